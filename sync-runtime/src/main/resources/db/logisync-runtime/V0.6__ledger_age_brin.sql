-- Shared by every service (sync-runtime). The consumers' ledger is written in the order of time (rows
-- stamped now(), event ids time-ordered), so the purge's index on processed_at can be a BRIN index: a
-- few pages summarising block ranges, next to nothing to maintain per insert, where the B-tree took one
-- more index entry per consumed event. The purge (LedgerRetention) reads the ranges older than the
-- retention; a row backdated by hand is still found (BRIN is lossy, never incomplete).
drop index if exists processed_event_age;
create index processed_event_age on processed_event using brin (processed_at);
