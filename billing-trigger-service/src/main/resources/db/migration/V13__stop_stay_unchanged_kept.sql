-- billing-trigger-service: a report that does not move its stop's stay leaves the stay's row as it is.
--
-- The trigger of V12 upserted every group of added reports into its stay with "do update set at = least(...)"
-- (or greatest), so a later arrival or an earlier departure, which changes nothing, still wrote a new version of
-- the stay's row. On the benchmark's lifecycle mix a stop collects hundreds of reports: after one run
-- (2026-12-04) billing_stop_stay held 8,001 rows and had been updated 945,195 times, once per report. Reading a
-- batch's stays (StopDetention, about 1,200 rows a batch) took 0.9 µs per consumed event in one run and 5.3-9.5 in
-- the next three, against 2-4 ms a read (about 1.5 µs per event) on the same table once the load had stopped, and
-- billing alone fell from 1.07 to 0.87 x the published rate (docs/benchmarks.md). Now the update runs only where
-- the stay moves: an earlier valid arrival, a later valid departure, or a time where every report had been voided.
-- The outcome is the same row for row (least and greatest ignore nulls; a group whose added reports are all voided
-- moves nothing). Reports that arrive in time order still move their stop's departure each time; its arrival,
-- once.
create or replace function billing_stop_stay_added() returns trigger language plpgsql as $$
begin
    insert into billing_stop_stay (shipment_id, stop_sequence, stop_type, kind, at)
    select shipment_id, stop_sequence, stop_type, kind,
           case when kind = 'ARRIVAL' then min(at) filter (where not voided) else max(at) filter (where not voided) end
    from added group by shipment_id, stop_sequence, stop_type, kind
    on conflict (shipment_id, stop_sequence, stop_type, kind) do update
        set at = excluded.at
        where excluded.at is not null
          and (billing_stop_stay.at is null
               or (excluded.kind = 'ARRIVAL' and excluded.at < billing_stop_stay.at)
               or (excluded.kind <> 'ARRIVAL' and excluded.at > billing_stop_stay.at));
    return null;
end $$;
