-- service-view-service: every business key a shipment is known by (lookup), the customers' service
-- preferences (delay threshold), proactive service tasks, and the invoice's charges.
create table case_key (
    key_value    varchar(120) not null,
    key_type     varchar(16)  not null,
    shipment_id  varchar(64)  not null,
    primary key (key_value, shipment_id)
);
create index case_key_shipment on case_key (shipment_id);

create table customer_preference (
    customer_id              varchar(64) primary key,
    delay_threshold_minutes  integer     not null,
    erp_version              bigint      not null
);

-- One task per shipment and reason: task_id = <shipmentId>:<reason>.
create table service_task (
    task_id          varchar(120) primary key,
    shipment_id      varchar(64)  not null,
    customer_id      varchar(64),
    reason           varchar(32)  not null,
    severity         varchar(16)  not null,
    delay_minutes    bigint       not null,
    threshold_minutes integer     not null,
    detail           varchar(500),
    status           varchar(16)  not null,
    opened_at        timestamptz  not null,
    updated_at       timestamptz  not null,
    resolved_at      timestamptz,
    resolved_by      varchar(80),
    resolution       varchar(500)
);
create index service_task_open on service_task (status, customer_id);
create index service_task_shipment on service_task (shipment_id);

alter table shipment_case
    add column invoice_revision  integer not null default 0,
    add column charges_json      text,
    add column eta               timestamptz,
    add column eta_reported_at   timestamptz;
create index shipment_case_customer_updated on shipment_case (customer_id, updated_at desc);

-- The monitor's stuck queries start from one stage's completions older than a cutoff.
create index transaction_stage_stage_time on transaction_stage (stage, completed_at);
