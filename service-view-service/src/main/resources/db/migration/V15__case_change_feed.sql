-- The customer's change feed (GET /api/v1/shipments?customerId=&updatedSince=&cursor=) gets a narrow table of
-- its own, so that a case update can be a HOT update.
--
-- The feed pages a customer's cases by the time each last changed. Until now it read the index
-- shipment_case_customer_updated (customer_id, updated_at), and every event the projection applies sets
-- updated_at: no case update could be HOT, so each wrote a new row version with an entry in each of the case's
-- four indexes. At 2,000 shipments in flight the case update was the projection's heaviest statement
-- (39 µs of PostgreSQL per event; docs/benchmarks.md, "The case update and HOT"). Now case_change holds the
-- feed's position of each case (a row per case that has a customer, written by the same statement as the case),
-- updated_at is in no index of shipment_case, and the table keeps a fifth of each page free for the new
-- versions of its rows.
--
-- Written so that it can be run by hand before a rollout and again after it (deploy.md, "Schema migrations"):
-- run again, it only moves the feed position of the cases the old version changed meanwhile.
create table if not exists case_change (
    shipment_id  varchar(64)  primary key,
    customer_id  varchar(64)  not null,
    changed_at   timestamptz  not null
);
create index if not exists case_change_customer on case_change (customer_id, changed_at, shipment_id);

insert into case_change (shipment_id, customer_id, changed_at)
    select shipment_id, customer_id, updated_at from shipment_case where customer_id is not null
    on conflict (shipment_id) do update set customer_id = excluded.customer_id, changed_at = excluded.changed_at
    where (case_change.customer_id, case_change.changed_at)
        is distinct from (excluded.customer_id, excluded.changed_at);

drop index if exists shipment_case_customer_updated;
alter table shipment_case set (fillfactor = 80);
