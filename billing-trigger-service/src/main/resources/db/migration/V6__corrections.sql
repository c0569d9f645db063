-- billing-trigger-service: which milestone gave the POD, so a correction that voids it takes it back.
alter table billing_case add column pod_event varchar(200);
