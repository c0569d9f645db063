-- The milestone table's two secondary indexes keyed so that PostgreSQL's B-tree deduplication applies
-- (PostgreSQL 13 and later): a key shared by many rows is stored once with the list of its rows.
--
-- * milestone_shipment (shipment_id, event_time) -> (shipment_id). Every reader of it finds a shipment's
--   milestones (the status facts after a correction, unverified PODs, a driver's POD) and sorts the few it keeps
--   itself; none read it in event-time order. With the event time in the key every entry was distinct.
-- * milestone_log (txid, part, seq) -> (txid, part). The relays read a commit's rows of their partitions
--   (txid = any(...) and part = any(...)) and order them by seq themselves (OutboxRelay); a commit of a batch
--   holds up to a thousand rows over 16 partitions, so a key stands for dozens of them.
--
-- Measured on the benchmark's database (2026-12-03, 2,360,782 milestones, 2.3 GB): milestone_shipment 146 MB ->
-- 17 MB, milestone_log 119 MB -> 19 MB; each built in 1.1-1.4 s. A scratch copy of the table took batches of
-- 1,000 rows 15-20 % faster (pgbench, 2 sessions: 145-156 transactions/s with the old keys, 173-180 with the new):
-- every insert changes a page of an index five to seven times smaller, that stays in the buffer cache.
--
-- Dropping an index locks its table exclusively until the migration commits: the old version's writers and its
-- relays wait meanwhile (a report's request retries past its lock_timeout, the relay its round), for about 2.5 s
-- per 2.4 million rows in the buffer cache (docs/deploy.md, "Schema migrations").
drop index milestone_shipment;
create index milestone_shipment on milestone (shipment_id);
drop index milestone_log;
create index milestone_log on milestone (txid, part) where txid is not null;
