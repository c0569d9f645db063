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
     * Two statements: the count per stage, and the last hour's completions per stage and bucket (bucket
     * 11 ends at {@code now}); a stage completed in the future (a device clock ahead) counts in the last.
     */
    public Uni<Counts> summary(java.time.Instant now) {
        java.time.Instant from = now.minusSeconds(BUCKETS * BUCKET_SECONDS);
        return getSession().chain(s -> s.createNativeQuery("select stage, count(*) from transaction_stage group by stage",
                        Object[].class).getResultList()
                .chain(totals -> s.createNativeQuery("select stage, least(" + (BUCKETS - 1) + ", floor(extract(epoch from"
                                + " (completed_at - :from)) / " + BUCKET_SECONDS + "))::int as bucket, count(*)"
                                + " from transaction_stage where completed_at >= :from group by 1, 2", Object[].class)
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

    public Uni<List<TransactionStage>> stages(String shipmentId) {
        return list("id.shipmentId", shipmentId).map(stages -> stages.stream()
                .sorted(Comparator.comparing((TransactionStage s) -> s.id.stage().ordinal())).toList());
    }
}
