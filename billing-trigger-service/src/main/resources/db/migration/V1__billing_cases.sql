-- billing-trigger-service: one billing case per shipment, built from the orders and milestones topics.
create table billing_case (
    shipment_id       varchar(64)  primary key,
    order_id          varchar(64),
    customer_id       varchar(64),
    load_id           varchar(64),
    status            varchar(32)  not null,
    cancelled         boolean      not null default false,
    delivered_at      timestamptz,
    delivered_event   varchar(200),
    pod_signed_by     varchar(120),
    pod_signed_at     timestamptz,
    pod_document_ref  varchar(120),
    pod_received_at   timestamptz,
    eligible_at       timestamptz,
    updated_at        timestamptz  not null
);
create index billing_case_status on billing_case (status);
