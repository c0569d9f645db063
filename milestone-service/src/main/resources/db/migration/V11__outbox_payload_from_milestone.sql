-- A recorded milestone's outbox row carries no copy of its event: payload_ref is the milestone's event id,
-- and the relay reads the payload from the milestone row (its primary key), which holds the same text,
-- written in the same transaction and never changed afterwards (a correction voids or re-times the row,
-- it does not rewrite its payload). Every other event keeps its payload in its outbox row.
create or replace view outbox_rows as
    select o.seq, o.txid, o.part, o.event_id, o.topic, o.partition_key, o.ce_type,
           coalesce(o.payload, m.payload) as payload, o.traceparent, o.created_at
    from outbox_event o
    left join milestone m on o.payload_ref is not null and m.event_id = o.payload_ref;
