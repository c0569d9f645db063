-- service-view-service: customers are told, not asked.
--
-- customer_event: the customer-facing event log (the track-and-trace events API and the source of every
-- delivery). Written in the projection's transaction, never rewritten, not part of the read model's replay.
-- Read in (feed_xid, feed_seq) order and only below the oldest transaction still running
-- (pg_snapshot_xmin), so a page never skips a row that commits late nor repeats one.
create table customer_event (
    feed_xid          xid8         not null default pg_current_xact_id(),
    feed_seq          bigserial    not null,
    event_id          varchar(120) not null unique,
    customer_id       varchar(64),
    shipment_id       varchar(64)  not null,
    event_type        varchar(40)  not null,
    event_date_time   timestamptz  not null,
    created_at        timestamptz  not null,
    payload           text         not null,
    primary key (feed_xid, feed_seq)
);
create index customer_event_customer on customer_event (customer_id, feed_xid, feed_seq);

-- A customer's subscription: a signed webhook (JSON) or an EDI profile (X12 214/210 by HTTP POST).
create table subscription (
    subscription_id   varchar(64)  primary key,
    customer_id       varchar(64)  not null,
    format            varchar(8)   not null,
    target_url        varchar(500) not null,
    event_types       text[]       not null,
    secret            varchar(200) not null,
    edi_profile       text,
    status            varchar(16)  not null,
    failing_since     timestamptz,
    created_by        varchar(120),
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    deleted_at        timestamptz
);
create index subscription_customer on subscription (customer_id, created_at, subscription_id);

-- One row per event and subscription: the delivery outbox. delivery_id is the webhook-id, the same on
-- every attempt. Only the oldest pending delivery of a subscription and shipment is sent (per-shipment
-- order); a sender holds it by a lease while it calls, so a sender killed mid-call is replaced.
create table delivery (
    delivery_id       varchar(64)  primary key,
    subscription_id   varchar(64)  not null,
    shipment_id       varchar(64)  not null,
    seq               bigserial    not null,
    event_id          varchar(120) not null,
    event_type        varchar(40)  not null,
    status            varchar(16)  not null,
    attempts          integer      not null default 0,
    next_attempt_at   timestamptz  not null,
    claimed_until     timestamptz,
    claim_token       varchar(64),
    content_type      varchar(60),
    body              text,
    control_number    bigint,
    created_at        timestamptz  not null,
    delivered_at      timestamptz,
    last_status       integer,
    last_error        varchar(500)
);
create index delivery_pending on delivery (subscription_id, shipment_id, seq) where status = 'PENDING';
create index delivery_due on delivery (next_attempt_at) where status = 'PENDING';
create index delivery_log on delivery (subscription_id, seq);

create table delivery_attempt (
    delivery_id       varchar(64)  not null,
    attempt           integer      not null,
    attempted_at      timestamptz  not null,
    status_code       integer,
    error             varchar(500),
    duration_ms       integer      not null,
    primary key (delivery_id, attempt)
);

-- X12 interchange control numbers (ISA13/GS06/ST02), per subscription (one trading partner each).
create table edi_control (
    subscription_id   varchar(64)  primary key,
    last_number       bigint       not null
);

-- The customer's time zone (for local times when a stop's zone is not known) and its notification contacts
-- (named in the tasks an agent acts on with the customer) from the customer master.
alter table customer_preference add column time_zone varchar(64),
    add column notification_contacts varchar(1000);

-- What the case view shows of each milestone beside UTC, and the POD's over/short/damage notes.
alter table case_milestone
    add column local_event_time varchar(32),
    add column zone_id          varchar(64),
    add column reason_text      varchar(200),
    add column pod_osd_notes    varchar(300);

-- Missed pickup: the pickup window's end.
alter table shipment_case add column pickup_window_end timestamptz;
-- The stops' IANA zones: local times of reports that give only an offset (or UTC).
alter table shipment_case add column pickup_zone varchar(64), add column delivery_zone varchar(64);
create index shipment_case_pickup_window on shipment_case (pickup_window_end) where cancelled_at is null;

-- A customer without service preferences gets the default delay threshold.
alter table customer_preference alter column delay_threshold_minutes drop not null;
