-- service-view-service: each milestone's reason (canonical, the source's code and its code list), and
-- whether its POD was unverified (recorded and shown, never proof of delivery).
alter table case_milestone
    add column reason_code        varchar(64),
    add column reason_source_code varchar(20),
    add column reason_code_list   varchar(20),
    add column pod_signed_by      varchar(120),
    add column pod_unverified     varchar(300);
