-- service-view-service: the invoice ERP issued (or why it refused it), from the billing topic.
alter table shipment_case
    add column invoice_total     numeric(14,2),
    add column invoice_currency  varchar(3),
    add column invoice_failure   varchar(500);
