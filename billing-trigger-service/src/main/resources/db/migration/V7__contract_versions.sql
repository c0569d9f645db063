-- billing-trigger-service: every contract version ERP sent, and the terms each order was released under
-- (decided once by order release): a renewal or a second contract never reprices a shipment in flight.
create table billing_contract_version (
    contract_id  varchar(64)  not null,
    erp_version  bigint       not null,
    customer_id  varchar(64)  not null,
    payload      text         not null,
    received_at  timestamptz  not null default now(),
    primary key (contract_id, erp_version)
);
alter table billing_case
    add column contract_id      varchar(64),
    add column contract_version bigint,
    add column lane_origin      varchar(16),
    add column lane_destination varchar(16),
    add column service_level    varchar(32),
    add column pickup_day       date,
    add column delivery_zone    varchar(64);
-- The shipment's references as ERP and the shipper know them (PO numbers, BOL, PRO), for the invoice.
alter table billing_case add column reference_keys varchar(1000);
