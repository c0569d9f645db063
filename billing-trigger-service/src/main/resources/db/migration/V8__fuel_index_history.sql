-- billing-trigger-service: every value a week's diesel index was given, with who set it and when.
create table fuel_index_history (
    iso_week          varchar(8)    not null,
    price_per_gallon  numeric(6,3)  not null,
    source            varchar(120),
    set_at            timestamptz   not null,
    set_by            varchar(120)  not null
);
create index fuel_index_history_week on fuel_index_history (iso_week, set_at);
