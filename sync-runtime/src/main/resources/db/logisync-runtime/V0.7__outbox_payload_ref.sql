-- Shared by every service (sync-runtime): an outbox row may name where its payload is kept instead of
-- carrying a copy. milestone-service keeps every recorded milestone's event in its milestone row; writing
-- the same ~700 bytes into outbox_event too cost PostgreSQL a second copy (heap and WAL) per milestone
-- and the service a second encoding of it on the hot path (docs/benchmarks.md, 2026-12-01).
--
-- The relay reads the rows it publishes through the view outbox_rows. Here the payload is the row's
-- own; a service whose rows name a payload_ref replaces the view with one that finds the payload by it
-- (milestone-service: V11__outbox_payload_from_milestone.sql). A row with neither is refused by the
-- check below, so a payload can never go missing on the way to Kafka.
alter table outbox_event alter column payload drop not null;
alter table outbox_event add column payload_ref varchar(200);
alter table outbox_event add constraint outbox_event_payload_or_ref check (payload is not null or payload_ref is not null);

create view outbox_rows as
    select o.seq, o.txid, o.part, o.event_id, o.topic, o.partition_key, o.ce_type, o.payload, o.traceparent,
           o.created_at
    from outbox_event o;
