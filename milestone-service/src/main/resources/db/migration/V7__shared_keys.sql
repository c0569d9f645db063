-- milestone-service: a key may name several shipments (a PO split over loads, a BOL reused): such a
-- key alone never picks one of them; a report that resolves only through it is parked AMBIGUOUS.
alter table shipment_reference drop constraint shipment_reference_pkey;
alter table shipment_reference add primary key (ref_key, shipment_id);
create index parked_milestone_status on parked_milestone (status, received_at, event_id);
