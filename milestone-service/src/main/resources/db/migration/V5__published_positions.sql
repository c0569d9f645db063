-- milestone-service: which position of each vehicle was last published as PositionReported, so
-- pings (every few seconds) become at most one event per shipment per interval.
alter table vehicle_position add column published_reported_at timestamptz;
