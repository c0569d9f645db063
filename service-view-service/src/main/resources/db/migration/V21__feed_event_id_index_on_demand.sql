-- service-view-service: the customer feed keeps its unique index on event_id only while something needs it.
--
-- customer_event's unique key on event_id (V12) cost the live feed insert more than any other of its indexes: on a
-- copy of a benchmark's feed of 5.58 million rows, 8,000 rows took 116-124 ms with it and 73-80 ms without it
-- (2.76 million rows: 108-148 against 85-96; docs/benchmark-log.md, forty-seventh session). Each new event id lands on
-- a random leaf page of a B-tree that outgrows the buffer cache as the feed grows.
--
-- What needed it, and what takes its place:
-- - An invoice's event is told twice by design (its event and billing's snapshot): the partial unique index below
--   keeps it once, and the feed writes invoices with an untargeted "on conflict do nothing".
-- - A delivery found its event by event_id: it now carries the event's feed position (feed_xid, feed_seq), the
--   feed's primary key. The rows below that have no body yet get theirs here, while the index still exists.
-- - A milestone's event can be in the feed already only after a replay restored the timeline behind the feed. A replay
--   builds the unique index again before it restores (CREATE UNIQUE INDEX CONCURRENTLY) and keeps it until ten minutes
--   after it finished (FeedEventIdIndex).
-- - Pods of the previous version write invoices with "on conflict (event_id)", which PostgreSQL refuses without a
--   unique index on exactly that column. So this file drops nothing: the running version drops the index once every
--   member of service-view's consumer groups has this version's client-id prefix (docs/deploy.md).
alter table delivery add column feed_xid xid8, add column feed_seq bigint;

update delivery d set feed_xid = e.feed_xid, feed_seq = e.feed_seq
    from customer_event e where e.event_id = d.event_id and d.body is null;

create unique index customer_event_invoice on customer_event (event_id) where event_type = 'invoice.issued';

-- Until when a test or an operator holds the index (FeedEventIdIndex#hold); a replay holds it by its own row.
create table feed_event_id_index (
    id          integer      primary key check (id = 1),
    held_until  timestamptz  not null
);
