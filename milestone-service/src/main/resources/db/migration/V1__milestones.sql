-- milestone-service: the order context learned from logisync.orders.v1, and recorded milestones.
create table shipment_context (
    shipment_id            varchar(64)  primary key,
    order_id               varchar(64),
    load_id                varchar(64),
    customer_id            varchar(64),
    pickup_window_start    timestamptz,
    pickup_window_end      timestamptz,
    pickup_zone            varchar(64),
    delivery_window_start  timestamptz,
    delivery_window_end    timestamptz,
    delivery_zone          varchar(64),
    delivery_stop_sequence integer,
    traceparent            varchar(64),
    status_milestone       varchar(32),
    status_event_time      timestamptz,
    updated_at             timestamptz  not null
);

-- Any business key (order id, load id, BOL, PRO, PO) that identifies a shipment: "TYPE:value".
create table shipment_reference (
    ref_key      varchar(100) primary key,
    shipment_id  varchar(64)  not null
);
create index shipment_reference_shipment on shipment_reference (shipment_id);

create table milestone (
    event_id       varchar(200) primary key,
    shipment_id    varchar(64)  not null,
    milestone      varchar(32)  not null,
    classifier     varchar(16)  not null,
    event_time     timestamptz  not null,
    received_at    timestamptz  not null,
    delay_minutes  bigint       not null,
    late           boolean      not null,
    out_of_order   boolean      not null,
    payload        text         not null
);
create index milestone_shipment on milestone (shipment_id, event_time);

-- Milestones that matched no shipment yet: kept, and released when the order arrives.
create table parked_milestone (
    event_id     varchar(200) primary key,
    ref_keys     varchar(600) not null,
    request      text         not null,
    received_at  timestamptz  not null
);
