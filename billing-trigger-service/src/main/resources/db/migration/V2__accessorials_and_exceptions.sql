-- billing-trigger-service: the customer's contract (from ContractUpdated), the accessorials captured
-- for a shipment with their decision, and the exceptions that hold its invoice until resolved.
create table billing_contract (
    customer_id  varchar(64)  primary key,
    contract_id  varchar(64)  not null,
    erp_version  bigint       not null,
    payload      text         not null
);

create table billing_accessorial (
    accessorial_id  varchar(200)  primary key,
    shipment_id     varchar(64)   not null references billing_case (shipment_id),
    charge_code     varchar(8)    not null,
    quantity        numeric(12,2) not null,
    unit            varchar(16)   not null,
    evidence        varchar(1000),
    receipt_ref     varchar(120),
    started_at      timestamptz,
    ended_at        timestamptz,
    status          varchar(16)   not null,
    decided_by      varchar(80),
    reason          varchar(500),
    captured_at     timestamptz   not null,
    decided_at      timestamptz
);
create index billing_accessorial_shipment on billing_accessorial (shipment_id);

create table billing_exception (
    exception_id  varchar(200)  primary key,
    shipment_id   varchar(64)   not null references billing_case (shipment_id),
    kind          varchar(32)   not null,
    opened_at     timestamptz   not null,
    detail        varchar(500),
    resolved_at   timestamptz,
    resolution    varchar(500)
);
create index billing_exception_shipment on billing_exception (shipment_id);
