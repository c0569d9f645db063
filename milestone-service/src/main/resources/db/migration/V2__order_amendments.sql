-- milestone-service: which order amendment the shipment's windows come from (0 = as released).
alter table shipment_context add column order_amendment integer not null default 0;
