-- Shared by every service (sync-runtime): what an operator redrove from a dead-letter topic, when, by
-- whom and how it went (REDRIVEN: applied, or already applied before; FAILED: still cannot be processed,
-- may be redriven again after the next fix).
create table dead_letter_redrive (
    dlq_topic      varchar(160) not null,
    dlq_partition  integer      not null,
    dlq_offset     bigint       not null,
    event_id       varchar(120),
    redriven_at    timestamptz  not null,
    redriven_by    varchar(80)  not null,
    outcome        varchar(16)  not null,
    detail         varchar(500),
    primary key (dlq_topic, dlq_partition, dlq_offset)
);
