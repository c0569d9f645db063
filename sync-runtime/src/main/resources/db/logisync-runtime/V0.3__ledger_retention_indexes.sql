-- Shared by every service (sync-runtime): the ledgers are purged by age, with an index each so the
-- purge never scans the table: processed_event after logisync.consumer.ledger-retention (longer than
-- any topic keeps its records), published outbox rows after logisync.outbox.retention.
create index processed_event_age on processed_event (processed_at);
create index outbox_event_published on outbox_event (published_at) where published_at is not null;
