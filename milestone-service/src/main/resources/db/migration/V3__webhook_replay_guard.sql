-- milestone-service: signatures of accepted webhook calls, so an exact replay within the allowed
-- age is refused (across replicas). Rows older than twice the age are purged.
create table webhook_delivery (
    partner_id   varchar(40)  not null,
    signature    varchar(80)  not null,
    received_at  timestamptz  not null default now(),
    primary key (partner_id, signature)
);
create index webhook_delivery_age on webhook_delivery (received_at);
