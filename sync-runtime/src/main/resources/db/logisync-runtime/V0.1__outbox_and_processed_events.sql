-- Shared by every service (sync-runtime): the transactional outbox and the idempotent-consumer ledger.

-- Events written in the same transaction as the state change they describe; the relay publishes
-- them in seq order and stamps published_at.
create table outbox_event (
    seq            bigserial    primary key,
    event_id       varchar(80)  not null unique,
    topic          varchar(120) not null,
    partition_key  varchar(120) not null,
    ce_type        varchar(120) not null,
    payload        text         not null,
    traceparent    varchar(64),
    created_at     timestamptz  not null default now(),
    published_at   timestamptz
);
create index outbox_event_unpublished on outbox_event (seq) where published_at is null;

-- One row per event a consumer has applied, written in the same transaction as the effect, so a
-- redelivered event is recognised and skipped.
create table processed_event (
    consumer      varchar(80)  not null,
    event_id      varchar(120) not null,
    processed_at  timestamptz  not null default now(),
    primary key (consumer, event_id)
);
