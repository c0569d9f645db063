-- The answers to requests with an Idempotency-Key (sync-runtime IdempotencyKeys): one row per caller and
-- key, reserved before the call, completed with the answer after it, purged after 24 hours.
create table idempotency_key (
    caller       text        not null,
    idem_key     text        not null,
    operation    text        not null,
    fingerprint  text        not null,
    reserved_at  timestamptz not null,
    status       integer,
    content_type text,
    location     text,
    body         bytea,
    completed_at timestamptz,
    primary key (caller, idem_key)
);
create index idempotency_key_reserved_at on idempotency_key (reserved_at);
