-- Carriers' reports milestone-service parked (no shipment, or several, matched their keys), as its
-- MilestoneParked events said. One recorded later (a case_milestone row with the same event id) was
-- matched; the others are listed as stuck (PARKED_UNMATCHED) once they waited too long.
create table parked_report (
    event_id     varchar(120) not null primary key,
    partner_id   varchar(80),
    milestone    varchar(40),
    keys         varchar(1000),
    status       varchar(16)  not null,
    candidates   varchar(1000),
    parked_at    timestamptz  not null
);
create index parked_report_parked_at on parked_report (parked_at);
