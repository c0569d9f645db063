-- billing-trigger-service: the weekly diesel index the fuel surcharge is looked up with, and the
-- shipment's lane (from its order) for rating.
create table fuel_index (
    iso_week         varchar(8)     primary key,
    price_per_gallon numeric(8,3)   not null,
    source           varchar(120),
    updated_at       timestamptz    not null
);

alter table billing_case
    add column origin_region       varchar(16),
    add column destination_region  varchar(16),
    add column order_amendment     integer not null default 0;
