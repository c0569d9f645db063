-- billing-trigger-service: each stop's stay kept as one row per stop, type and kind (the earliest valid arrival,
-- the latest valid departure), so that pricing a stop's detention reads its stay and not its history.
--
-- Detention was recomputed from an aggregate over every arrival and departure a shipment had reported
-- (billing_stop_event grouped by stop, type and kind): on the benchmark's lifecycle mix, where a stop collects
-- hundreds of reports (`./logisync bench 10 2000 lifecycle`, 2026-12-03), that aggregate was PostgreSQL's costliest
-- statement for billing, 12.5-13.0 µs per consumed event, and billing kept 0.80-0.91 x the published rate
-- (docs/benchmarks.md). A geofence reporting every few minutes during a long dwell does the same in production.
--
-- The stays are kept by triggers on billing_stop_event, not by the service: every writer (the consumers, a
-- redrive, a pod of the previous version during a rollout) keeps them alike. A report added moves its stay's
-- arrival earlier or its departure later; a correction (voided, re-timed) or a deletion recomputes the stays of
-- the rows it changed from their reports. at is null when every report of the group is voided (the charge is
-- then withdrawn). The triggers are per statement, over the statement's rows (transition tables): a consumer's
-- batch of reports is one statement, and one upsert of its stays. The stays are read under the case's lock, as
-- the reports are written under it.
create table billing_stop_stay (
    shipment_id    varchar(64)  not null references billing_case (shipment_id),
    stop_sequence  integer      not null,
    stop_type      varchar(16)  not null,
    kind           varchar(16)  not null,  -- ARRIVAL (earliest valid) or DEPARTURE (latest valid)
    at             timestamptz,            -- null: every report of the group voided
    primary key (shipment_id, stop_sequence, stop_type, kind)
);

-- No report may be written between the copy below and the triggers' creation (a pod of the previous version
-- during a rollout would otherwise add one that no stay counts): writers wait for this migration's end, up to their
-- lock_timeout, and then retry their batch as transient. Readers are not blocked.
lock table billing_stop_event in share row exclusive mode;

insert into billing_stop_stay (shipment_id, stop_sequence, stop_type, kind, at)
select shipment_id, stop_sequence, stop_type, kind,
       case when kind = 'ARRIVAL' then min(at) filter (where not voided) else max(at) filter (where not voided) end
from billing_stop_event group by shipment_id, stop_sequence, stop_type, kind;

create function billing_stop_stay_added() returns trigger language plpgsql as $$
begin
    insert into billing_stop_stay (shipment_id, stop_sequence, stop_type, kind, at)
    select shipment_id, stop_sequence, stop_type, kind,
           case when kind = 'ARRIVAL' then min(at) filter (where not voided) else max(at) filter (where not voided) end
    from added group by shipment_id, stop_sequence, stop_type, kind
    on conflict (shipment_id, stop_sequence, stop_type, kind) do update
        set at = case when excluded.kind = 'ARRIVAL' then least(billing_stop_stay.at, excluded.at)
                 else greatest(billing_stop_stay.at, excluded.at) end;
    return null;
end $$;

-- The groups a correction or a deletion touched, recomputed from the reports they still have; a group with none
-- left loses its stay.
create function billing_stop_stay_recompute(ids text[], seqs integer[], types text[], kinds text[]) returns void
language plpgsql as $$
begin
    insert into billing_stop_stay (shipment_id, stop_sequence, stop_type, kind, at)
    select e.shipment_id, e.stop_sequence, e.stop_type, e.kind,
           case when e.kind = 'ARRIVAL' then min(e.at) filter (where not e.voided)
                else max(e.at) filter (where not e.voided) end
    from billing_stop_event e
    join unnest(ids, seqs, types, kinds) as t(shipment_id, stop_sequence, stop_type, kind)
      on e.shipment_id = t.shipment_id and e.stop_sequence = t.stop_sequence and e.stop_type = t.stop_type
     and e.kind = t.kind
    group by e.shipment_id, e.stop_sequence, e.stop_type, e.kind
    on conflict (shipment_id, stop_sequence, stop_type, kind) do update set at = excluded.at;
    delete from billing_stop_stay s using unnest(ids, seqs, types, kinds) as t(shipment_id, stop_sequence, stop_type, kind)
    where s.shipment_id = t.shipment_id and s.stop_sequence = t.stop_sequence and s.stop_type = t.stop_type
      and s.kind = t.kind
      and not exists (select 1 from billing_stop_event e where e.shipment_id = s.shipment_id
                      and e.stop_sequence = s.stop_sequence and e.stop_type = s.stop_type and e.kind = s.kind);
end $$;

create function billing_stop_stay_changed() returns trigger language plpgsql as $$
begin
    perform billing_stop_stay_recompute(array_agg(shipment_id), array_agg(stop_sequence), array_agg(stop_type),
        array_agg(kind))
    from (select shipment_id, stop_sequence, stop_type, kind from before_change
          union select shipment_id, stop_sequence, stop_type, kind from after_change) t;
    return null;
end $$;

create function billing_stop_stay_deleted() returns trigger language plpgsql as $$
begin
    perform billing_stop_stay_recompute(array_agg(shipment_id), array_agg(stop_sequence), array_agg(stop_type),
        array_agg(kind))
    from (select distinct shipment_id, stop_sequence, stop_type, kind from before_change) t;
    return null;
end $$;

create trigger billing_stop_event_added after insert on billing_stop_event
    referencing new table as added for each statement execute function billing_stop_stay_added();
create trigger billing_stop_event_changed after update on billing_stop_event
    referencing old table as before_change new table as after_change
    for each statement execute function billing_stop_stay_changed();
create trigger billing_stop_event_deleted after delete on billing_stop_event
    referencing old table as before_change for each statement execute function billing_stop_stay_deleted();
