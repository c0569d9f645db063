-- Shared by every service (sync-runtime): a service may keep some of its log's rows in a table of its own
-- instead of writing an outbox row for each (milestone-service: the recorded milestone's row is itself the
-- log, V13__milestone_row_is_the_log.sql; issue 19, "one durable write per milestone").
--
-- Such a service
-- * registers its transactions the way outbox_event does (its own "before insert for each statement"
--   trigger calling logisync_outbox_register());
-- * replaces logisync_outbox_log_rows(txid) below with the count of its own rows a transaction wrote: the
--   commit's event count, which sizes the relays' rounds and the backlog that admission control reads;
-- * replaces the views outbox_rows (what the relay publishes) and outbox_backlog (what is not published
--   yet, V0.5) with ones that add its rows, numbered from the same sequence (outbox_event_seq_seq), so a
--   transaction's rows of both kinds are published in the order they were written. (This migration leaves
--   the views alone: on a new database it runs before every service's own, which drop and make them again.)
-- Here, with no such table, a transaction's events are its outbox rows.
create function logisync_outbox_log_rows(tx bigint) returns bigint language sql stable as $$ select 0::bigint $$;

create or replace function logisync_outbox_order() returns trigger language plpgsql as $$
declare
    next_seq bigint;
begin
    update outbox_counter set n = n + 1 where id = 1 returning n into next_seq;
    update outbox_txn set commit_seq = next_seq, committed_at = clock_timestamp(),
        events = (select count(*) from outbox_event where txid = new.txid) + logisync_outbox_log_rows(new.txid)
        where txid = new.txid;
    return null;
end $$;

-- A row Kafka refuses for good is tried a bounded number of times (V0.4). An outbox row counts its own
-- attempts; a row of a service's own log table (which the relay never changes) counts them here.
create table outbox_log_attempt (
    seq         bigint        primary key,
    attempts    integer       not null,
    last_error  varchar(500)
);

