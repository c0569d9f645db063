-- billing-trigger-service: which milestone gave the POD, so a correction that voids it takes it back.
alter table billing_case add column pod_event varchar(200);
-- Whether the delivery came from someone entitled to prove it (the dispatched carrier's partner, the
-- driver app, ops): with a contract that lets the POD document follow, such a delivery is billable unsigned.
alter table billing_case add column delivery_verified boolean not null default false;
