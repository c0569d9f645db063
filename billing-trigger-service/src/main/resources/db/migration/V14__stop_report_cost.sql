-- billing-trigger-service: what a stop report costs PostgreSQL, cut by two thirds.
--
-- Measured (2026-12-06, forty-second session): on the benchmark's lifecycle mix the insert of a batch's stop reports
-- (StopDetention#recordAll, about 500 rows a batch) was billing's heaviest statement, 9.2 µs per consumed event and
-- about half of the samples in which a billing backend was active (pg_stat_activity every 50 ms over 40 s of
-- billing's window alone): 43 µs per report row. On a copy of that run's database, 2,000 reports inserted in one
-- statement and rolled back, six rounds each: 85 ms as it was, 53 ms without the foreign key below, 60 ms without
-- the stays' trigger, 37 ms without either (docs/benchmark-log.md, forty-second session).
--
-- 1. The foreign key from a report to its case goes. PostgreSQL checks it with a query per inserted row (a
--    "for key share" of the case, 16 µs a row here), and it can never fail: reports are written only by
--    BillingCaseService#applyAll (a batch, a single event, a redriven one), which creates the case of every shipment
--    it is given and locks it before it writes a report, in the same transaction, and no case is ever deleted. billing_stop_stay keeps its
--    key: its trigger inserts a row only for a stop's first report of a kind.
alter table billing_stop_event drop constraint if exists billing_stop_event_shipment_id_fkey;

-- 2. A report that does not move its stop's stay no longer locks the stay's row. Since V13 such a report left the
--    row as it was, but "on conflict do update ... where" still locks every conflicting row it does not update (a
--    new xmax written and logged, per stop and kind, per batch). The groups that change nothing are now left out
--    before the upsert, read under the case lock that every writer of reports takes first; the upsert keeps its
--    condition for a group another transaction creates meanwhile. The outcome is the same row for row (StopStayTest;
--    the unchanged row keeps xmax 0). Measured as above: 74 ms against 84 for the 2,000 reports.
create or replace function billing_stop_stay_added() returns trigger language plpgsql as $$
begin
    insert into billing_stop_stay as s (shipment_id, stop_sequence, stop_type, kind, at)
    select a.shipment_id, a.stop_sequence, a.stop_type, a.kind, a.at
    from (select shipment_id, stop_sequence, stop_type, kind,
                 case when kind = 'ARRIVAL' then min(at) filter (where not voided)
                      else max(at) filter (where not voided) end as at
          from added group by shipment_id, stop_sequence, stop_type, kind) a
    left join billing_stop_stay o on o.shipment_id = a.shipment_id and o.stop_sequence = a.stop_sequence
        and o.stop_type = a.stop_type and o.kind = a.kind
    where o.shipment_id is null
       or a.at is not null
          and (o.at is null or (a.kind = 'ARRIVAL' and a.at < o.at) or (a.kind <> 'ARRIVAL' and a.at > o.at))
    order by a.shipment_id, a.stop_sequence, a.stop_type, a.kind
    on conflict (shipment_id, stop_sequence, stop_type, kind) do update
        set at = excluded.at
        where excluded.at is not null
          and (s.at is null
               or (excluded.kind = 'ARRIVAL' and excluded.at < s.at)
               or (excluded.kind <> 'ARRIVAL' and excluded.at > s.at));
    return null;
end $$;
