package com.logisync.serviceview.repository;

import com.logisync.serviceview.model.TransactionStage;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;

@ApplicationScoped
public class TransactionStageRepository implements PanacheRepositoryBase<TransactionStage, TransactionStage.Key> {

    /** Shipments per completed stage, and each stage's completions in the last hour in 5-minute buckets. */
    public record Counts(java.util.Map<com.logisync.serviceview.model.Stage, Long> total,
            java.util.Map<com.logisync.serviceview.model.Stage, List<Long>> lastHour) {
    }

    static final int BUCKETS = 12;
    static final long BUCKET_SECONDS = 300;

    /**
     * What readers see: the stages stored in {@code transaction_stage} and each case's view update (stage
     * CRM_VIEW_UPDATED), which the case row itself holds (migration V14).
     */
    public static final String ALL_STAGES = "shipment_stage";

    /**
     * Two statements: the count per stage, and the last hour's completions per stage and bucket (bucket
     * 11 ends at {@code now}); a stage completed in the future (a device clock ahead) counts in the last.
     */
    public Uni<Counts> summary(java.time.Instant now) {
        java.time.Instant from = now.minusSeconds(BUCKETS * BUCKET_SECONDS);
        return getSession().chain(s -> s.createNativeQuery("select stage, count(*) from " + ALL_STAGES + " group by stage",
                        Object[].class).getResultList()
                .chain(totals -> s.createNativeQuery("select stage, least(" + (BUCKETS - 1) + ", floor(extract(epoch from"
                                + " (completed_at - :from)) / " + BUCKET_SECONDS + "))::int as bucket, count(*)"
                                + " from " + ALL_STAGES + " where completed_at >= :from group by 1, 2", Object[].class)
                        .setParameter("from", from.atOffset(java.time.ZoneOffset.UTC)).getResultList()
                        .map(recent -> {
                            java.util.Map<com.logisync.serviceview.model.Stage, Long> total =
                                    new java.util.EnumMap<>(com.logisync.serviceview.model.Stage.class);
                            java.util.Map<com.logisync.serviceview.model.Stage, List<Long>> hour =
                                    new java.util.EnumMap<>(com.logisync.serviceview.model.Stage.class);
                            for (com.logisync.serviceview.model.Stage st : com.logisync.serviceview.model.Stage.values()) {
                                total.put(st, 0L);
                                hour.put(st, new java.util.ArrayList<>(java.util.Collections.nCopies(BUCKETS, 0L)));
                            }
                            totals.forEach(r -> total.put(com.logisync.serviceview.model.Stage.valueOf((String) r[0]),
                                    ((Number) r[1]).longValue()));
                            recent.forEach(r -> hour.get(com.logisync.serviceview.model.Stage.valueOf((String) r[0]))
                                    .set(((Number) r[1]).intValue(), ((Number) r[2]).longValue()));
                            return new Counts(total, hour);
                        })));
    }

    private static final String OF_SHIPMENTS = "select shipment_id, stage, completed_at, service, trace_id, event_id"
            + " from transaction_stage where shipment_id = any($1::text[])";
    private static final String UPSERT_ALL = "insert into transaction_stage (shipment_id, stage, completed_at, service,"
            + " trace_id, event_id) select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[],"
            + " $6::text[]) on conflict (shipment_id, stage) do update set completed_at = excluded.completed_at,"
            + " service = excluded.service, trace_id = excluded.trace_id, event_id = excluded.event_id";
    private static final String DELETE_ALL = "delete from transaction_stage where (shipment_id, stage) in"
            + " (select * from unnest($1::text[], $2::text[]))";

    /**
     * The stages of these shipments (whose cases the caller holds locked), as plain objects the session does
     * not manage: the projection writes a batch's changes with {@link #upsertAll} and {@link #deleteAll}.
     */
    public Uni<List<TransactionStage>> ofShipments(String[] shipmentIds) {
        return com.logisync.runtime.repository.SessionSql.select(OF_SHIPMENTS, (Object) shipmentIds)
                .map(rows -> rows.stream().map(TransactionStageRepository::stage).toList());
    }

    private static TransactionStage stage(Object[] r) {
        TransactionStage s = new TransactionStage();
        s.id = new TransactionStage.Key((String) r[0], com.logisync.serviceview.model.Stage.valueOf((String) r[1]));
        s.completedAt = ((java.time.OffsetDateTime) r[2]).toInstant();
        s.service = (String) r[3];
        s.traceId = (String) r[4];
        s.eventId = (String) r[5];
        return s;
    }

    /** Writes these stages, new or changed, in one statement. */
    public Uni<Integer> upsertAll(java.util.Collection<TransactionStage> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int n = changed.size();
        String[] ids = new String[n];
        String[] names = new String[n];
        java.time.OffsetDateTime[] at = new java.time.OffsetDateTime[n];
        String[] services = new String[n];
        String[] traces = new String[n];
        String[] events = new String[n];
        int i = 0;
        for (TransactionStage s : changed) {
            ids[i] = s.id.shipmentId();
            names[i] = s.id.stage().name();
            at[i] = com.logisync.runtime.repository.SessionSql.utc(s.completedAt);
            services[i] = s.service;
            traces[i] = s.traceId;
            events[i] = s.eventId;
            i++;
        }
        return com.logisync.runtime.repository.SessionSql.update(UPSERT_ALL, ids, names, at, services, traces, events);
    }

    /** Deletes these stages (withdrawn: nothing supports them any more), in one statement. */
    public Uni<Integer> deleteAll(java.util.Collection<TransactionStage.Key> withdrawn) {
        if (withdrawn.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return com.logisync.runtime.repository.SessionSql.update(DELETE_ALL,
                withdrawn.stream().map(TransactionStage.Key::shipmentId).toArray(String[]::new),
                withdrawn.stream().map(k -> k.stage().name()).toArray(String[]::new));
    }

    private static final String OF_SHIPMENT = "select shipment_id, stage, completed_at, service, trace_id, event_id"
            + " from " + ALL_STAGES + " where shipment_id = $1";

    /** Every stage of this shipment, the view update included, in the transaction's order. */
    public Uni<List<TransactionStage>> stages(String shipmentId) {
        return com.logisync.runtime.repository.SessionSql.select(OF_SHIPMENT, shipmentId).map(rows -> rows.stream()
                .map(TransactionStageRepository::stage)
                .sorted(Comparator.comparing((TransactionStage s) -> s.id.stage().ordinal())).toList());
    }
}
