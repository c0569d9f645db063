-- The view update (stage CRM_VIEW_UPDATED) is kept on the case row, not as a row of its own.
--
-- Every event the projection applies updates its shipment's case and, until now, rewrote the shipment's
-- CRM_VIEW_UPDATED row in transaction_stage as well (latest wins): a second non-HOT update per shipment and
-- batch, with two index entries and a dead row. At 2,000 shipments in flight that upsert was 12.8 µs of
-- PostgreSQL per event consumed (docs/benchmarks.md, "Thousands of shipments"). Its time is the case's
-- updated_at; its trace and event are the two columns below; its service is service-view itself.
-- shipment_stage is what the readers see: the stored stages and the case's view update, one row each.
-- Written so that it can be run by hand before a rollout (deploy.md, "Schema migrations"): run again by Flyway,
-- it only moves what the old version wrote meanwhile.
alter table shipment_case add column if not exists view_trace_id varchar(32),
    add column if not exists view_event_id varchar(200);

update shipment_case c set view_trace_id = s.trace_id, view_event_id = coalesce(s.event_id, ''),
        updated_at = greatest(c.updated_at, s.completed_at)
    from transaction_stage s where s.shipment_id = c.shipment_id and s.stage = 'CRM_VIEW_UPDATED';
delete from transaction_stage where stage = 'CRM_VIEW_UPDATED';

create or replace view shipment_stage as
    select shipment_id, stage, completed_at, service, trace_id, event_id from transaction_stage
    union all
    select shipment_id, 'CRM_VIEW_UPDATED', updated_at, 'service-view-service', view_trace_id, view_event_id
        from shipment_case where view_event_id is not null;

-- A read-model snapshot taken before this migration is restored by the columns both tables have
-- (ReadModelReplay#restore): give it the same shape, so the view update it holds is not restored as a row.
do $$
begin
    if to_regclass('snap_shipment_case') is not null and to_regclass('snap_transaction_stage') is not null then
        alter table snap_shipment_case add column if not exists view_trace_id varchar(32),
            add column if not exists view_event_id varchar(200);
        update snap_shipment_case c set view_trace_id = s.trace_id, view_event_id = coalesce(s.event_id, ''),
                updated_at = greatest(c.updated_at, s.completed_at)
            from snap_transaction_stage s where s.shipment_id = c.shipment_id and s.stage = 'CRM_VIEW_UPDATED';
        delete from snap_transaction_stage where stage = 'CRM_VIEW_UPDATED';
    end if;
end $$;
