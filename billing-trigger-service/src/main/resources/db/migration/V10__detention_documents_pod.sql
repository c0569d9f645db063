-- billing-trigger-service: detention as tariffs define it, every document sent to ERP, the POD document.
--
-- billing_stop: the order's stops by sequence with their appointment (window start), from the order as
-- released or last amended. billing_stop_event: every actual arrival and departure reported at a stop;
-- a correction re-times or voids one, and the stop's detention is computed again until it is invoiced.
create table billing_stop (
    stop_id        varchar(80)  primary key,  -- <shipment_id>:<stop_sequence>
    shipment_id    varchar(64)  not null references billing_case (shipment_id),
    stop_sequence  integer      not null,
    stop_type      varchar(16)  not null,
    window_start   timestamptz
);
create index billing_stop_shipment on billing_stop (shipment_id);

create table billing_stop_event (
    event_id       varchar(200) primary key,
    shipment_id    varchar(64)  not null references billing_case (shipment_id),
    stop_sequence  integer      not null,  -- 0: the report named no stop (the first pickup, the last delivery)
    stop_type      varchar(16)  not null,
    kind           varchar(16)  not null,  -- ARRIVAL or DEPARTURE
    at             timestamptz  not null,
    voided         boolean      not null default false
);
create index billing_stop_event_shipment on billing_stop_event (shipment_id, stop_sequence);

-- Which document billed an accessorial (null: not billed yet; a late charge goes on a supplementary invoice).
alter table billing_accessorial add column billed_in varchar(120);

-- Every document after the first invoice request: the first invoice once issued, supplementary
-- invoices, credit notes and rebills. One ERP document per idempotency_key, asked in seq order per case.
create table billing_document (
    idempotency_key    varchar(120) primary key,
    shipment_id        varchar(64)  not null references billing_case (shipment_id),
    seq                integer      not null,
    kind               varchar(32)  not null,  -- INVOICE, SUPPLEMENTARY_INVOICE, CREDIT_NOTE
    state              varchar(16)  not null,  -- REQUESTED, ISSUED, FAILED
    rating_json        text         not null,
    currency           varchar(3)   not null,
    total              numeric(14,2) not null,
    original_key       varchar(120),
    credited_by        varchar(120),
    erp_document_id    varchar(64),
    requested_by       varchar(80),
    reason             varchar(500),
    requested_at       timestamptz  not null,
    issued_at          timestamptz,
    error              varchar(500),
    attempts           integer      not null default 0,
    rejections         integer      not null default 0,
    consecutive_failures integer    not null default 0,
    next_attempt_at    timestamptz,
    claimed_until      timestamptz,
    claim_token        varchar(36),
    unique (shipment_id, seq)
);
create index billing_document_due on billing_document (next_attempt_at) where state = 'REQUESTED';
alter table billing_case add column document_seq integer not null default 0;

-- The lease of the worker holding a case carries a token every write of the claimed case checks:
-- a worker that stalled past its lease cannot write over the new holder's work.
alter table billing_case add column claim_token varchar(36);

-- The POD document (image or PDF) uploaded to the case; the invoice request references it.
create table billing_pod_document (
    shipment_id    varchar(64)  primary key references billing_case (shipment_id),
    content_type   varchar(100) not null,
    file_name      varchar(200),
    size_bytes     integer      not null,
    sha256         varchar(64)  not null,
    content        bytea        not null,
    uploaded_by    varchar(80)  not null,
    uploaded_at    timestamptz  not null
);

-- Late charges wait a hold, then go on one supplementary invoice together.
alter table billing_case add column supplement_due_at timestamptz;
create index billing_case_supplement_due on billing_case (supplement_due_at) where supplement_due_at is not null;
