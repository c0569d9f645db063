-- billing-trigger-service: the billing case published for the service agent (BillingCaseUpdated).
-- case_version grows with every published change; snapshot_hash is what was last published, so an
-- event that changes nothing the agent sees publishes nothing.
alter table billing_case
    add column case_version   bigint      not null default 0,
    add column snapshot_hash  varchar(64);
