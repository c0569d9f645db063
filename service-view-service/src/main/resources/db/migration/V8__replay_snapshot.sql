-- A snapshot of the read model with the topic offsets it corresponds to (the live consumer groups'
-- committed offsets, read before the copy): a replay restores it and re-reads the topics from those
-- offsets, so shipments older than the topics keep survive a replay. The copies themselves are tables
-- snap_<table>, created by each snapshot as a copy of the live table (so they follow its columns).
create table read_model_snapshot (
    snapshot_id bigint primary key,
    taken_at timestamptz not null,
    offsets text not null,
    cases integer not null
);

-- The replay in progress or last finished: where it has read to, where it stops, and who runs it (a
-- lease renewed with every batch, so another replica, or this one after a restart, resumes a replay
-- whose owner died).
create table read_model_replay (
    id integer primary key check (id = 1),
    state text not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    snapshot_id bigint,
    snapshot_taken_at timestamptz,
    positions text not null,
    end_offsets text,
    records bigint not null default 0,
    skipped bigint not null default 0,
    resumed integer not null default 0,
    error text,
    owner text,
    heartbeat_at timestamptz
);
