-- The milestone's event id is compared byte by byte (collation "C"), not by the database's locale.
--
-- Every recorded milestone descends the primary key on event_id twice (the duplicate check and the insert),
-- and the relay's view joins it. Under a locale collation (C.UTF-8 here, en_US.UTF-8 on many clusters)
-- each comparison copies both strings and calls strcoll(); under "C" it is one memcmp(). A profile of
-- PostgreSQL under the benchmark (perf, 2026-12-01, while service-view consumed) put 21 % of its CPU in
-- B-tree comparisons and 5.6 % in their locale path (varstr_cmp's copies, strcoll, strcmp). Event ids are
-- ASCII (channel:partner:reference), so the order is unchanged.
--
-- The change rebuilds the two indexes on the column under an exclusive lock on milestone (the table itself
-- is not rewritten): 1.3 s per 2.2 million rows here, a minute or more on a table of a hundred million rows.
-- docs/deploy.md ("Schema migrations") says how to plan it.
drop view outbox_rows;
alter table milestone alter column event_id type varchar(200) collate "C";
create view outbox_rows as
    select o.seq, o.txid, o.part, o.event_id, o.topic, o.partition_key, o.ce_type,
           coalesce(o.payload, m.payload) as payload, o.traceparent, o.created_at
    from outbox_event o
    left join milestone m on o.payload_ref is not null and m.event_id = o.payload_ref;
