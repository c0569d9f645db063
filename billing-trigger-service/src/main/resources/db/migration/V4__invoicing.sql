-- billing-trigger-service: the invoice conversation with ERP, durable across ERP outages and restarts.
-- rating_revision/rating_json: what is billed, frozen before the first call so every retry under the
-- same idempotency key (<shipment>:rating-<revision>) sends the same thing. next_invoice_at says a call
-- is due; claimed_until is the lease of the one worker (of any replica) talking to ERP about the case.
alter table billing_case
    add column rating_revision       integer       not null default 0,
    add column rating_json           text,
    add column invoice_currency      varchar(3),
    add column invoice_total         numeric(14,2),
    add column invoice_id            varchar(64),
    add column invoiced_at           timestamptz,
    add column invoice_failed_at     timestamptz,
    add column invoice_error         varchar(500),
    add column invoice_attempts      integer       not null default 0,
    add column invoice_rejections    integer       not null default 0,
    add column consecutive_failures  integer       not null default 0,
    add column next_invoice_at       timestamptz,
    add column claimed_until         timestamptz,
    add column traceparent           varchar(64);
create index billing_case_invoice_due on billing_case (next_invoice_at) where next_invoice_at is not null;
