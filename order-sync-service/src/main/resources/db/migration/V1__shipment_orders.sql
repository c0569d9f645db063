-- order-sync-service: shipment orders released by ERP and their dispatch handoff to the TMS.
create table shipment_order (
    shipment_id          varchar(64)  primary key,
    order_id             varchar(64)  not null unique,
    customer_id          varchar(64)  not null,
    service_level        varchar(32)  not null,
    status               varchar(32)  not null,
    content_hash         varchar(64)  not null,
    release_json         text         not null,
    traceparent          varchar(64),
    load_id              varchar(64),
    route_id             varchar(64),
    carrier              varchar(120),
    driver               varchar(120),
    vehicle              varchar(64),
    planned_pickup       timestamptz,
    planned_delivery     timestamptz,
    tms_system           varchar(32),
    dispatch_attempts    integer      not null default 0,
    dispatch_rejections  integer      not null default 0,
    next_dispatch_at     timestamptz,
    last_dispatch_error  varchar(500),
    created_at           timestamptz  not null,
    updated_at           timestamptz  not null
);
create index shipment_order_dispatch_due on shipment_order (next_dispatch_at) where status = 'DISPATCH_PENDING';
create index shipment_order_customer on shipment_order (customer_id, status);

create table order_status_change (
    id           bigserial    primary key,
    shipment_id  varchar(64)  not null references shipment_order (shipment_id),
    status       varchar(32)  not null,
    reason       varchar(500),
    changed_at   timestamptz  not null
);
create index order_status_change_shipment on order_status_change (shipment_id, id);
