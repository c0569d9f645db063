-- The timeline's two shipment indexes keyed so that PostgreSQL's B-tree deduplication applies (PostgreSQL 13 and
-- later): a shipment's key is stored once with the list of its rows, as milestone-service's V14 does.
--
-- * case_milestone_shipment (shipment_id, event_time) -> (shipment_id). The case view reads a shipment's timeline
--   ordered by (event_time, event_id), and sorted it already (the event id breaks ties, the index did not hold it).
-- * case_milestone_task_fact (shipment_id, event_time, event_id) where task_fact -> (shipment_id) where task_fact.
--   Since V17 only a recompute of a shipment's fact groups reads it (case_task_fact_groups, filtered by shipment),
--   and that aggregates in its own order.
--
-- Measured on the benchmark's database (2026-12-03, 2,429,060 timeline rows): case_milestone_shipment 153 MB ->
-- 17 MB, case_milestone_task_fact 37 MB -> 2.2 MB; built in 1.2 s and 0.3 s. A scratch copy of the table (its
-- indexes, not its triggers) took batches of 1,000 rows 17-21 % faster (pgbench, 2 sessions: 236-250 transactions/s
-- with the old keys, 286-292 with the new).
--
-- Dropping an index locks its table exclusively until the migration commits: the timeline's writers of the old
-- version wait (and retry their batch past their lock_timeout), and so do case-view reads of a timeline, for
-- about 1.5 s per 2.4 million rows in the buffer cache (docs/deploy.md, "Schema migrations").
drop index case_milestone_shipment;
create index case_milestone_shipment on case_milestone (shipment_id);
drop index case_milestone_task_fact;
create index case_milestone_task_fact on case_milestone (shipment_id) where task_fact;
