-- Events of a shipment that service-view's consumers dead-lettered: until one is redriven successfully
-- (dead_letter_redrive, outcome REDRIVEN), the shipment's case view lacks a fact and the monitor lists
-- it as CRM_VIEW_NOT_UPDATED.
create table case_dead_letter (
    event_id          varchar(120) not null primary key,
    shipment_id       varchar(64)  not null,
    topic             varchar(160) not null,
    reason            varchar(500),
    dead_lettered_at  timestamptz  not null
);
create index case_dead_letter_shipment on case_dead_letter (shipment_id);
