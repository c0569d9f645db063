-- Shared by every service (sync-runtime): an outbox row Kafka refuses for good (too large, say) is
-- tried a bounded number of times, then moved here with its reason (and announced on <topic>.dlq)
-- instead of blocking every row behind it.
alter table outbox_event add column attempts integer not null default 0;
alter table outbox_event add column last_error varchar(500);

create table outbox_dead (
    seq            bigint       primary key,
    event_id       varchar(80)  not null,
    topic          varchar(120) not null,
    partition_key  varchar(120) not null,
    ce_type        varchar(120) not null,
    payload        text         not null,
    traceparent    varchar(64),
    created_at     timestamptz  not null,
    reason         varchar(500) not null,
    dead_at        timestamptz  not null default now()
);
