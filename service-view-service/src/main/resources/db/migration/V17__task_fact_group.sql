-- A shipment's task facts kept as groups: for each shipment and each kind of fact the task rule tells apart, the
-- earliest and the latest report of that kind. Deriving a shipment's tasks reads those two reports per group, not
-- every fact the shipment ever reported.
--
-- Why: since V16 the derivation read a shipment's task facts through a partial index, but all of them. A shipment
-- that reports a delay every few minutes (a telematics feed, a week-long dwell) collects hundreds: on the
-- benchmark's lifecycle mix (`./logisync bench 30 2000 lifecycle`, 2026-12-03) the statement returned 8,778 rows per
-- batch and was PostgreSQL's costliest for service-view, 30.2 µs per event, a quarter of its active samples
-- (docs/benchmarks.md, "A shipment's facts as groups").
--
-- Why two reports per group are enough: the rule (ServiceTasks.derive) reads of a set of facts of one kind only
-- the earliest (when a task opened, the first refusal, the first POD, the pickup, where and why) and the latest (a
-- delay task's last report and its reason); what it compares with a threshold (the delay), what makes a report a
-- fact of one reason or another (type, classifier, OS&D reason, a signed, unverified or noted POD) and whether it
-- was voided are all in the group's key. So the earliest and latest of every group give the rule the same tasks
-- as the whole set, at every threshold (TaskFactGroupTest checks it against the whole set).
--
-- The order is the rule's: event_time, then event_id in byte order (collate "C", as case_milestone.event_id); the
-- latest is the one with the latest time and, of those, the smallest id (the rule keeps the first of equal times).
--
-- Kept by triggers on case_milestone, as billing_stop_stay is on billing's reports (billing V12): every writer (the
-- consumers, the replay's restore and its projection, a pod of the previous version during a rollout) keeps the
-- groups alike. A batch's rows are one insert statement and one upsert of its groups; a correction (voided, re-timed,
-- a POD recorded) or a deletion recomputes the groups of its shipments from their facts; emptying the timeline (the
-- replay's restore truncates it) empties the groups.
create table case_task_fact_group (
    shipment_id  varchar(64)  not null,
    group_key    text         not null,
    first_time   timestamptz  not null,
    first_id     varchar(200) collate "C" not null,
    last_time    timestamptz  not null,
    last_id      varchar(200) collate "C" not null,
    primary key (shipment_id, group_key)
);

-- What tells one kind of fact from another, for the rule: the row's type, classifier, delay, reason, POD and void.
create function case_task_fact_key(milestone text, classifier text, delay_minutes bigint, reason_code text,
        pod_signed_by text, pod_unverified text, pod_osd_notes text, voided boolean) returns text
language sql immutable parallel safe as $$
    select milestone || '|' || classifier || '|' || delay_minutes || '|' || coalesce(reason_code, '') || '|'
        || (pod_signed_by is not null)::int || (pod_unverified is not null)::int || (pod_osd_notes is not null)::int
        || voided::int
$$;

-- Every shipment's groups, computed from its facts: what the table holds, for the copy below and for a recompute
-- (a filter on shipment_id goes down to the partial index on the facts).
create view case_task_fact_groups as
select shipment_id, k as group_key, min(event_time) as first_time,
       (array_agg(event_id order by event_time, event_id))[1] as first_id, max(event_time) as last_time,
       (array_agg(event_id order by event_time desc, event_id))[1] as last_id
from (select shipment_id, event_time, event_id,
             case_task_fact_key(milestone, classifier, delay_minutes, reason_code, pod_signed_by, pod_unverified,
                                pod_osd_notes, voided) as k
      from case_milestone where task_fact) f
group by shipment_id, k;

-- The groups of these shipments, computed again from their facts (a correction or a deletion).
create function case_task_fact_group_recompute(ids text[]) returns void language plpgsql as $$
begin
    delete from case_task_fact_group where shipment_id = any(ids);
    insert into case_task_fact_group (shipment_id, group_key, first_time, first_id, last_time, last_id)
    select shipment_id, group_key, first_time, first_id, last_time, last_id from case_task_fact_groups
    where shipment_id = any(ids) order by shipment_id, group_key;
end $$;

-- No timeline row may be written between the copy below and the triggers' creation (a pod of the previous version
-- during a rollout would otherwise add a fact no group holds): writers wait for this migration's end, up to their
-- lock_timeout, then retry their batch as transient. Readers are not blocked.
lock table case_milestone in share row exclusive mode;

insert into case_task_fact_group (shipment_id, group_key, first_time, first_id, last_time, last_id)
select shipment_id, group_key, first_time, first_id, last_time, last_id from case_task_fact_groups;

-- Rows added: each group's earliest moves earlier, its latest later (the earliest of equal times by id, the latest of
-- equal times the smallest id), in shipment and key order, as the cases are locked.
create function case_task_fact_group_added() returns trigger language plpgsql as $$
begin
    insert into case_task_fact_group as g (shipment_id, group_key, first_time, first_id, last_time, last_id)
    select shipment_id, k, min(event_time), (array_agg(event_id order by event_time, event_id))[1],
           max(event_time), (array_agg(event_id order by event_time desc, event_id))[1]
    from (select shipment_id, event_time, event_id,
                 case_task_fact_key(milestone, classifier, delay_minutes, reason_code, pod_signed_by, pod_unverified,
                                    pod_osd_notes, voided) as k
          from added where task_fact) f
    group by shipment_id, k
    order by shipment_id, k
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

create function case_task_fact_group_changed() returns trigger language plpgsql as $$
begin
    perform case_task_fact_group_recompute(array_agg(shipment_id order by shipment_id))
    from (select shipment_id from before_change union select shipment_id from after_change) t;
    return null;
end $$;

create function case_task_fact_group_deleted() returns trigger language plpgsql as $$
begin
    perform case_task_fact_group_recompute(array_agg(shipment_id order by shipment_id))
    from (select distinct shipment_id from before_change) t;
    return null;
end $$;

create function case_task_fact_group_emptied() returns trigger language plpgsql as $$
begin
    truncate case_task_fact_group;
    return null;
end $$;

create trigger case_milestone_emptied after truncate on case_milestone
    for each statement execute function case_task_fact_group_emptied();
create trigger case_milestone_added after insert on case_milestone
    referencing new table as added for each statement execute function case_task_fact_group_added();
create trigger case_milestone_changed after update on case_milestone
    referencing old table as before_change new table as after_change
    for each statement execute function case_task_fact_group_changed();
create trigger case_milestone_deleted after delete on case_milestone
    referencing old table as before_change for each statement execute function case_task_fact_group_deleted();
