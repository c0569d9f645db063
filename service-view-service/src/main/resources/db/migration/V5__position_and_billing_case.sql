-- service-view-service: where the freight is (PositionReported: the latest report wins) and the
-- billing case as billing sees it (BillingCaseUpdated: checklist, accessorial decisions, exceptions;
-- the highest case version wins, so redelivered and older snapshots change nothing).
alter table shipment_case
    add column position_latitude    double precision,
    add column position_longitude   double precision,
    add column position_speed_kph   double precision,
    add column position_vehicle     varchar(64),
    add column position_reported_at timestamptz,
    add column billing_case_version bigint not null default 0,
    add column billing_case_json    text;
