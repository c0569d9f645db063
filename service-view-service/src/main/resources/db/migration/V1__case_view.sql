-- service-view-service: the CRM read model, built from every topic.
create table shipment_case (
    shipment_id            varchar(64)  primary key,
    order_id               varchar(64),
    customer_id            varchar(64),
    service_level          varchar(32),
    pickup_name            varchar(120),
    delivery_name          varchar(120),
    delivery_window_start  timestamptz,
    delivery_window_end    timestamptz,
    dispatch_status        varchar(16),
    dispatch_failure       varchar(500),
    load_id                varchar(64),
    route_id               varchar(64),
    carrier                varchar(120),
    driver                 varchar(120),
    vehicle                varchar(64),
    planned_pickup         timestamptz,
    planned_delivery       timestamptz,
    status_milestone       varchar(32),
    status_event_time      timestamptz,
    pod_signed_by          varchar(120),
    pod_signed_at          timestamptz,
    pod_document_ref       varchar(120),
    billing_state          varchar(32),
    eligible_at            timestamptz,
    invoice_id             varchar(64),
    updated_at             timestamptz  not null
);
create index shipment_case_customer on shipment_case (customer_id, status_milestone);

create table case_milestone (
    event_id        varchar(200) primary key,
    shipment_id     varchar(64)  not null,
    milestone       varchar(32)  not null,
    classifier      varchar(16)  not null,
    event_time      timestamptz  not null,
    received_at     timestamptz  not null,
    location_name   varchar(120),
    delay_minutes   bigint       not null,
    late            boolean      not null,
    out_of_order    boolean      not null,
    source_system   varchar(32),
    partner_id      varchar(40)
);
create index case_milestone_shipment on case_milestone (shipment_id, event_time);

-- The business-transaction monitor: when each stage completed, where, under which trace.
create table transaction_stage (
    shipment_id   varchar(64)  not null,
    stage         varchar(32)  not null,
    completed_at  timestamptz  not null,
    service       varchar(64),
    trace_id      varchar(32),
    event_id      varchar(200),
    primary key (shipment_id, stage)
);
