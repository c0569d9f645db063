-- milestone-service: detention is priced by billing-trigger-service from the stops' arrivals and
-- departures; the customer's detention terms are no longer kept here.
drop table if exists customer_terms;
