-- service-view-service: the task-fact groups' trigger finds each group's earliest and latest fact with two sorts of the
-- batch's facts, not with two ordered aggregates per group.
--
-- V17's trigger (V19's form) grouped a batch's new task facts and took of each group the earliest and the latest with
-- (array_agg(event_id order by ...))[1]: an ordered aggregate sorts its group's rows on its own, so a batch of 8,000
-- timeline rows with 1,000 facts in about as many groups began some 2,000 sorts. Two service-view instances side by
-- side on the same backlog (2026-12-07, forty-sixth session, docs/benchmark-log.md, one without the insert trigger at
-- all, for the bound): PostgreSQL spent 5.5-5.9 µs more per event with the trigger, and the instance consumed 6-12 %
-- less. On a copy of a benchmark's database (the latest 8,000 timeline rows inserted again under new ids, their delays
-- a second later, rolled back, eight rounds each): 121 ms with V19's trigger, 105 ms with this one, 86 ms with none.
-- A row trigger for the facts alone (WHEN new.task_fact) was slower still: 150 ms.
--
-- Now the facts are sorted twice, all groups at once: DISTINCT ON (shipment, group) in (event_time, event_id) order for
-- the earliest, in (event_time desc, event_id) order for the latest, the rule's order (the latest of equal times is the
-- smallest id). The rest is V19's: only the groups the batch moves are upserted, in shipment and key order. The outcome
-- is the same row for row (TaskFactGroupTest).
create or replace function case_task_fact_group_added() returns trigger language plpgsql as $$
begin
    insert into case_task_fact_group as g (shipment_id, group_key, first_time, first_id, last_time, last_id)
    with facts as (
        select shipment_id, event_time, event_id,
               case_task_fact_key(milestone, classifier, delay_minutes, reason_code, pod_signed_by, pod_unverified,
                                  pod_osd_notes, voided) as k
        from added where task_fact)
    select f.shipment_id, f.k, f.event_time, f.event_id, l.event_time, l.event_id
    from (select distinct on (shipment_id, k) shipment_id, k, event_time, event_id from facts
          order by shipment_id, k, event_time, event_id) f
    join (select distinct on (shipment_id, k) shipment_id, k, event_time, event_id from facts
          order by shipment_id, k, event_time desc, event_id) l on l.shipment_id = f.shipment_id and l.k = f.k
    left join case_task_fact_group o on o.shipment_id = f.shipment_id and o.group_key = f.k
    where o.shipment_id is null
       or (f.event_time, f.event_id) < (o.first_time, o.first_id)
       or l.event_time > o.last_time
       or l.event_time = o.last_time and l.event_id < o.last_id
    order by f.shipment_id, f.k
    on conflict (shipment_id, group_key) do update set
        first_time = case when (excluded.first_time, excluded.first_id) < (g.first_time, g.first_id)
                          then excluded.first_time else g.first_time end,
        first_id   = case when (excluded.first_time, excluded.first_id) < (g.first_time, g.first_id)
                          then excluded.first_id else g.first_id end,
        last_time  = case when excluded.last_time > g.last_time
                            or excluded.last_time = g.last_time and excluded.last_id < g.last_id
                          then excluded.last_time else g.last_time end,
        last_id    = case when excluded.last_time > g.last_time
                            or excluded.last_time = g.last_time and excluded.last_id < g.last_id
                          then excluded.last_id else g.last_id end
    where (excluded.first_time, excluded.first_id) < (g.first_time, g.first_id)
       or excluded.last_time > g.last_time
       or excluded.last_time = g.last_time and excluded.last_id < g.last_id;
    return null;
end $$;
