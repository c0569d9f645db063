-- Shared by every service (sync-runtime): the outbox becomes a log that replicas publish together.
--
-- Before: one relay per database (a session advisory lock) read unpublished rows by seq and deleted
-- or stamped each batch it published. Now:
-- * every transaction that writes outbox rows gets a commit sequence number, taken at commit time
--   from a one-row counter whose lock is held until the commit is visible: commit_seq order is
--   commit order, so a relay reading "commit_seq > my mark" never skips a transaction that took its
--   row ids early and committed late;
-- * rows are spread over 16 relay partitions by their partition key (the shipment), so a shipment's
--   events are in one partition, in commit order, then row order;
-- * each relay replica leases a fair share of the partitions (lease row with a fencing token) and
--   advances each partition's high-water mark after Kafka acknowledged what it sent: no per-row
--   stamp, no per-row delete on the publication path; fully published transactions are purged in
--   bulk after logisync.outbox.retention.

-- One row per transaction that wrote outbox rows; commit_seq is set by the deferred trigger below.
create table outbox_txn (
    txid          bigint      primary key,
    commit_seq    bigint      unique,
    committed_at  timestamptz,
    events        integer
);

create table outbox_counter (
    id  integer primary key check (id = 1),
    n   bigint  not null
);

-- A relay partition: who publishes it (lease, fencing token) and how far it is published: every row
-- of the partition written by a commit up to published_commit is on Kafka (relays take whole commits).
create table outbox_partition (
    part              smallint     primary key,
    published_commit  bigint       not null default 0,
    owner             varchar(80),
    lease_until       timestamptz,
    fence             bigint       not null default 0
);
insert into outbox_partition (part) select generate_series(0, 15);

-- The relay replicas alive: a replica counts while it has been seen within the lease time.
create table outbox_member (
    member   varchar(80) primary key,
    seen_at  timestamptz not null
);

-- Existing rows: those already published belong to commit 0 (published everywhere by the marks'
-- default), those still waiting to commit 1, in their seq order.
insert into outbox_txn (txid, commit_seq, committed_at, events) values (-1, 0, now(), 0), (-2, 1, now(), 0);
insert into outbox_counter (id, n) values (1, 1);
alter table outbox_event add column txid bigint;
update outbox_event set txid = case when published_at is null then -2 else -1 end;
update outbox_txn set events = (select count(*) from outbox_event where published_at is null) where txid = -2;
update outbox_txn set events = (select count(*) from outbox_event where published_at is not null) where txid = -1;
alter table outbox_event alter column txid set not null;
alter table outbox_event alter column txid set default (pg_current_xact_id()::text::bigint);
alter table outbox_event add column part smallint generated always as ((hashtext(partition_key) & 15)::smallint) stored;
drop index outbox_event_unpublished;
drop index outbox_event_published;
alter table outbox_event drop column published_at;
create index outbox_event_txid on outbox_event (txid, part, seq);
-- Event ids are random UUIDs made by the outbox itself, unique by construction: the unique index on
-- them cost a random B-tree insert per event and was never searched.
alter table outbox_event drop constraint outbox_event_event_id_key;

-- A queue table: rows come and go by the million, so its statistics and dead rows are kept fresh
-- far more often than the defaults (10 % / 20 % of the table) would.
alter table outbox_event set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
alter table outbox_txn set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);

-- The first statement of a transaction that writes outbox rows registers the transaction (once).
create function logisync_outbox_register() returns trigger language plpgsql as $$
begin
    insert into outbox_txn (txid) values (pg_current_xact_id()::text::bigint) on conflict do nothing;
    return null;
end $$;
create trigger outbox_register before insert on outbox_event
    for each statement execute function logisync_outbox_register();

-- At commit (deferred), once per transaction: the next commit sequence number. The counter's row
-- lock is held until the commit is visible, so the numbers are handed out in commit order.
create function logisync_outbox_order() returns trigger language plpgsql as $$
declare
    next_seq bigint;
begin
    update outbox_counter set n = n + 1 where id = 1 returning n into next_seq;
    update outbox_txn set commit_seq = next_seq, committed_at = clock_timestamp(),
        events = (select count(*) from outbox_event where txid = new.txid) where txid = new.txid;
    return null;
end $$;
create constraint trigger outbox_order after insert on outbox_txn
    deferrable initially deferred for each row execute function logisync_outbox_order();

-- What the relays have not published yet (tests, operators, the benchmark).
create view outbox_backlog as
    select o.*, t.commit_seq from outbox_event o
    join outbox_txn t on t.txid = o.txid
    join outbox_partition p on p.part = o.part
    where t.commit_seq > p.published_commit;
