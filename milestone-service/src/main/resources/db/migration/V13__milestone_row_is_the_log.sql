-- The recorded milestone's row is itself its publication log entry (issue 19: one durable write per milestone).
--
-- Until now every recorded milestone wrote its milestone row and an outbox_event row naming it (V11), which
-- the relays read and purged later: a second heap row, its index entries and its WAL, then its delete and
-- vacuum, per milestone (22.7 µs of PostgreSQL's execution time per milestone, 2026-12-03). Now the milestone
-- row carries what the relay needs to publish it and takes part in the log itself
-- (V0.8__outbox_log_rows_of_a_service.sql in sync-runtime):
-- * txid: the writing transaction, registered in outbox_txn by the same statement trigger as outbox_event's,
--   so the milestone is published once its commit has its commit-ordered sequence number;
-- * seq: from outbox_event's own sequence, so a transaction's milestones and its other events (corrections,
--   positions, accessorials of the same shipments, all on the milestones topic) go out in the order written;
-- * part: the relay partition, hashtext(shipment id) & 15, as outbox_event computes it from the partition key;
-- * ce_id, traceparent: the CloudEvents id (time-ordered, made by the service) and the trace the record carries.
-- A milestone row is never deleted, so the relays' purge leaves it; its log columns stay as the record of when
-- and under which id it was published. The topic and the type are the same for every milestone row.
--
-- The service's insert sets the five columns itself (txid and seq included: no column defaults). A row without
-- txid is not in the log: the rows recorded before this migration, published through their outbox rows, and
-- during a rolling upgrade those a pod of the previous version still writes, with an outbox row naming each (V11).
-- Any such outbox row still waiting is published through the view's first branch, which finds its payload as
-- V11 did. Adding the columns changes only the catalog; the index is partial, over the log's rows, but its build
-- reads the whole table under a lock that blocks writes (docs/deploy.md, "Schema migrations").
alter table milestone add column txid bigint;
alter table milestone add column seq bigint;
alter table milestone add column part smallint;
alter table milestone add column ce_id uuid;
alter table milestone add column traceparent varchar(64);
-- A row in the log has what publishing needs (checked for new rows; the old ones have no txid).
alter table milestone add constraint milestone_log_complete
    check (txid is null or (seq is not null and part is not null and ce_id is not null)) not valid;
create index milestone_log on milestone (txid, part, seq) where txid is not null;

create trigger milestone_log_register before insert on milestone
    for each statement execute function logisync_outbox_register();

create or replace function logisync_outbox_log_rows(tx bigint) returns bigint language sql stable as $$
    select count(*) from milestone where txid = tx
$$;

-- The relay's rows: outbox rows (a payload of their own, or, for a milestone recorded before V13, the
-- milestone row's), then the milestone rows themselves, with outbox_event's column types.
drop view outbox_backlog;
create or replace view outbox_rows as
    select o.seq, o.txid, o.part, o.event_id, o.topic, o.partition_key, o.ce_type,
           coalesce(o.payload, m.payload) as payload, o.traceparent, o.created_at
    from outbox_event o
    left join milestone m on o.payload_ref is not null and m.event_id = o.payload_ref
    union all
    select m.seq, m.txid, m.part, m.ce_id::text::varchar(80), 'logisync.milestones.v1'::varchar(120),
           m.shipment_id::varchar(120), 'com.logisync.milestone.recorded.v1'::varchar(120), m.payload,
           m.traceparent, m.received_at
    from milestone m
    where m.txid is not null;

-- What the relays have not published yet (tests, operators: docs/operations.md), milestone rows included.
create view outbox_backlog as
    select r.*, t.commit_seq from outbox_rows r
    join outbox_txn t on t.txid = r.txid
    join outbox_partition p on p.part = r.part
    where t.commit_seq > p.published_commit;
