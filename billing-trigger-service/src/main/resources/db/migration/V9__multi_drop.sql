-- billing-trigger-service: a multi-drop shipment is billable when every delivery stop is delivered.
alter table billing_case
    add column delivery_stops  varchar(200),
    add column delivered_stops varchar(200);
