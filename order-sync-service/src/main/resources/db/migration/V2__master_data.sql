-- order-sync-service: the governed copy of ERP's master data (ERP is the authority).
create table customer (
    customer_id  varchar(64)  primary key,
    erp_version  bigint       not null,
    payload      text         not null,
    updated_at   timestamptz  not null
);

create table contract (
    contract_id  varchar(64)  primary key,
    customer_id  varchar(64)  not null,
    erp_version  bigint       not null,
    payload      text         not null,
    updated_at   timestamptz  not null
);
create index contract_customer on contract (customer_id);
