-- milestone-service: a telematics record without a load reference whose vehicle has no known dispatch
-- (the orders consumer lags), or whose vehicle's last known shipment was delivered before the record
-- happened (its next load is not known yet), or whose load reference names no known shipment yet, waits
-- here instead of being dead-lettered or attached to the wrong shipment; it is tried again every few
-- seconds (parked_at moves on each retry) and dead-lettered after logisync.telematics.park-expire-after.
create table telematics_parked (
    vehicle_id     varchar(64)  not null,
    event_id       varchar(200) not null,
    record         text         not null,
    reported_at    timestamptz  not null,
    seen_shipment  varchar(64),
    reason         varchar(300) not null,
    parked_at      timestamptz  not null default now(),
    first_parked_at timestamptz not null default now(),
    primary key (vehicle_id, event_id)
);
