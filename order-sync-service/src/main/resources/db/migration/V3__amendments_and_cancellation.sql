-- Amendments, cancellation and pickup: the order keeps what ERP wants (amendment, cancel request)
-- and what the TMS has confirmed (tms_amendment, tms_cancelled); the sync worker closes the gap.
alter table shipment_order
    add column amendment            integer      not null default 0,
    add column tms_amendment        integer      not null default 0,
    add column cancel_reason        varchar(500),
    add column cancelled_at         timestamptz,
    add column tms_cancelled        boolean      not null default false,
    add column picked_up_at         timestamptz,
    -- who is talking to the TMS about this order right now, until when (a crashed holder's lease expires)
    add column claimed_until        timestamptz,
    -- failed TMS calls in a row, for the backoff (reset by a success or a new request from ERP)
    add column consecutive_failures integer      not null default 0;

drop index shipment_order_dispatch_due;
-- next_dispatch_at is set while the TMS has not yet confirmed what ERP wants, null when in sync
create index shipment_order_sync_due on shipment_order (next_dispatch_at) where next_dispatch_at is not null;
