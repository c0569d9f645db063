-- milestone-service: partner trust, corrections and X12 interchanges.

-- The carrier the TMS dispatched the load to: only the partner reporting for it proves delivery.
alter table shipment_context add column carrier varchar(120);

-- Every interchange received, per sender and ISA13: the same number with other content is refused,
-- with the same content it is a duplicate (answered with the acknowledgement sent the first time).
create table x12_interchange (
    partner_id      varchar(40)  not null,
    sender_id       varchar(40)  not null,
    control_number  varchar(9)   not null,
    content_sha256  varchar(64)  not null,
    test            boolean      not null,
    ack_control     varchar(9),
    received_at     timestamptz  not null,
    primary key (sender_id, control_number)
);

-- The acknowledgements' own interchange control numbers, one sequence per partner.
create table x12_ack_control (
    partner_id   varchar(40) primary key,
    last_number  bigint      not null
);

-- A report whose keys name several shipments (a PO split over loads) waits for ops, with the candidates.
alter table parked_milestone add column status varchar(16) not null default 'UNMATCHED';
alter table parked_milestone add column candidates varchar(600);
alter table parked_milestone add column partner_id varchar(40);

-- Corrections: a voided milestone no longer counts for the status; a re-timed one counts at its new time.
alter table milestone add column voided boolean not null default false;
create table milestone_correction (
    correction_id  varchar(200) primary key,
    event_id       varchar(200) not null,
    action         varchar(16)  not null,
    corrected_by   varchar(120) not null,
    reason         varchar(500) not null,
    new_event_time timestamptz,
    recorded_at    timestamptz  not null
);
create index milestone_correction_event on milestone_correction (event_id);
