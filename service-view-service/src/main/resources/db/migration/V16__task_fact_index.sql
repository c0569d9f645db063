-- The timeline rows a service task can depend on, marked and indexed by shipment, so that deriving a shipment's
-- tasks reads those rows and not its whole history.
--
-- A consumer's batch derives the tasks of every shipment one of its events may change (a delay, a stop's
-- arrival, a POD, a correction ...) and read their task facts with one statement. That statement filtered the
-- shipments' whole timelines: with 215 shipments of 570 reports each it scanned the table (1.1 million rows,
-- 143,000 passing the filter) in 215 ms, PostgreSQL's costliest statement for service-view on the benchmark's
-- lifecycle mix (`./logisync bench 10 2000 lifecycle`, 2026-12-03: service-view alone at 0.44 x the published
-- rate; docs/benchmarks.md). Through this index it reads the 15,000 rows of those shipments that are facts.
--
-- task_fact is a superset of what CaseMilestoneRepository.taskFacts keeps: any delay (thresholds are >= 0: a
-- customer's is validated @PositiveOrZero at master data, service-view's default at startup), a POD, a reason
-- (X12's normal-status codes NS and NA are stored as no reason), a delay report, and the actual delivery,
-- pickup, refusal and attempts. It is generated, so every writer (the consumers, the replay, a pod of the
-- previous version during a rollout) sets it alike. TaskFactColumnTest checks it against the Java rule for every
-- milestone type.
--
-- Adding a stored generated column rewrites the table under an exclusive lock: 2.7 s for 1.1 million rows here,
-- then 0.2 s for the index; a minute or more for a hundred million rows (docs/deploy.md, "Schema migrations").
alter table case_milestone add column task_fact boolean not null generated always as (
    delay_minutes > 0
    or pod_signed_by is not null
    or pod_osd_notes is not null
    or reason_code is not null
    or milestone = 'DELAYED'
    or (classifier = 'ACTUAL'
        and milestone in ('DELIVERED', 'DEPARTED_PICKUP', 'REFUSED', 'DELIVERY_ATTEMPTED', 'DELIVERY_NOT_COMPLETED'))
) stored;
create index case_milestone_task_fact on case_milestone (shipment_id, event_time, event_id) where task_fact;
