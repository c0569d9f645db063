-- service-view-service: the order's latest amendment and its cancellation, from logisync.orders.v1.
alter table shipment_case
    add column order_amendment integer not null default 0,
    add column cancelled_at    timestamptz,
    add column cancel_reason   varchar(500);
