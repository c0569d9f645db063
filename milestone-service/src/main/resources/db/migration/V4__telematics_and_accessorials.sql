-- milestone-service: what telematics and the contracts add to milestones.

-- The vehicle dispatched for a shipment (from DispatchAccepted): resolves geofence events that
-- carry only a vehicle. A vehicle moves on to its next shipment, so the latest assignment wins.
create table vehicle_assignment (
    vehicle_id   varchar(64)  primary key,
    shipment_id  varchar(64)  not null,
    assigned_at  timestamptz  not null
);

-- Last known position per vehicle (position pings are not published one by one).
create table vehicle_position (
    vehicle_id   varchar(64)       primary key,
    shipment_id  varchar(64),
    latitude     double precision  not null,
    longitude    double precision  not null,
    speed_kph    double precision,
    heading_deg  double precision,
    reported_at  timestamptz       not null,
    received_at  timestamptz       not null
);

-- Per customer, the detention terms of its latest contract (from ContractUpdated).
create table customer_terms (
    customer_id             varchar(64)  primary key,
    contract_id             varchar(64)  not null,
    free_detention_minutes  integer      not null,
    erp_version             bigint       not null
);

-- Accessorials captured (detention, driver-reported): deterministic ids, each published once.
create table accessorial (
    accessorial_id  varchar(200) primary key,
    shipment_id     varchar(64)  not null,
    charge_code     varchar(8)   not null,
    quantity        numeric(12,2) not null,
    captured_at     timestamptz  not null,
    payload         text         not null
);
create index accessorial_shipment on accessorial (shipment_id);
