-- order-sync-service: every version of a contract ERP sent, with who sent it and when.
create table contract_history (
    contract_id  varchar(64)  not null,
    erp_version  bigint       not null,
    payload      text         not null,
    received_at  timestamptz  not null,
    received_by  varchar(120) not null,
    primary key (contract_id, erp_version)
);
