package com.logisync.milestone.repository;

import com.logisync.milestone.model.MilestoneEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MilestoneRepository implements PanacheRepositoryBase<MilestoneEntry, String> {

    /** Which of these event ids are already recorded (one query for a whole batch). */
    public Uni<java.util.Set<String>> recorded(java.util.Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(java.util.Set.of());
        }
        return find("select m.eventId from MilestoneEntry m where m.eventId in ?1", java.util.List.copyOf(eventIds))
                .project(String.class).list().map(java.util.HashSet::new);
    }

    /**
     * Inserts the rows with one statement per 500 and answers the event ids actually inserted: a row
     * a concurrent report inserted first is skipped, not an error (the caller answers it DUPLICATE).
     */
    public Uni<java.util.Set<String>> insertAll(java.util.List<com.logisync.milestone.model.MilestoneEntry> entries) {
        java.util.Set<String> inserted = new java.util.HashSet<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < entries.size(); from += 500) {
            var chunk = entries.subList(from, Math.min(entries.size(), from + 500));
            StringBuilder sql = new StringBuilder("insert into milestone (event_id, shipment_id, milestone, classifier,"
                    + " event_time, received_at, delay_minutes, late, out_of_order, payload) values ");
            java.util.List<Object> params = new java.util.ArrayList<>(chunk.size() * 10);
            for (int i = 0; i < chunk.size(); i++) {
                var e = chunk.get(i);
                sql.append(i == 0 ? "(" : ", (");
                for (int k = 1; k <= 10; k++) {
                    sql.append(k == 1 ? "" : ", ").append('?').append(i * 10 + k);
                }
                sql.append(')');
                params.add(e.eventId);
                params.add(e.shipmentId);
                params.add(e.milestone.name());
                params.add(e.classifier.name());
                params.add(e.eventTime.atOffset(java.time.ZoneOffset.UTC));
                params.add(e.receivedAt.atOffset(java.time.ZoneOffset.UTC));
                params.add(e.delayMinutes);
                params.add(e.late);
                params.add(e.outOfOrder);
                params.add(e.payload);
            }
            sql.append(" on conflict (event_id) do nothing returning event_id");
            chain = chain.chain(() -> getSession().chain(session -> {
                var query = session.createNativeQuery(sql.toString(), String.class);
                for (int k = 0; k < params.size(); k++) {
                    query.setParameter(k + 1, params.get(k));
                }
                return query.getResultList();
            }).invoke(inserted::addAll).replaceWithVoid());
        }
        return chain.replaceWith(inserted);
    }
}
