package com.logisync.milestone.repository;

import com.logisync.milestone.model.MilestoneEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MilestoneRepository implements PanacheRepositoryBase<MilestoneEntry, String> {

    private static final String RECORDED = "select event_id from milestone where event_id = any(cast(?1 as text[]))";

    /**
     * Every row of a batch in one statement of constant shape (arrays unnested), so the database
     * parses one statement and Hibernate's plan cache holds one entry, whatever the batch size.
     */
    private static final String INSERT_ALL = "insert into milestone (event_id, shipment_id, milestone, classifier,"
            + " event_time, received_at, delay_minutes, late, out_of_order, payload)"
            + " select * from unnest(cast(?1 as text[]), cast(?2 as text[]), cast(?3 as text[]), cast(?4 as text[]),"
            + " cast(cast(?5 as text[]) as timestamptz[]), cast(cast(?6 as text[]) as timestamptz[]),"
            + " cast(cast(?7 as text[]) as bigint[]), cast(cast(?8 as text[]) as boolean[]),"
            + " cast(cast(?9 as text[]) as boolean[]), cast(?10 as text[]))"
            + " on conflict (event_id) do nothing returning event_id";

    /** Which of these event ids are already recorded (one query for a whole batch). */
    public Uni<java.util.Set<String>> recorded(java.util.Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(java.util.Set.of());
        }
        return getSession().chain(session -> session.createNativeQuery(RECORDED, String.class)
                .setParameter(1, eventIds.toArray(String[]::new)).getResultList())
                .map(java.util.HashSet::new);
    }

    /**
     * Inserts the rows with one statement and answers the event ids actually inserted: a row a
     * concurrent report inserted first is skipped, not an error (the caller answers it DUPLICATE).
     */
    public Uni<java.util.Set<String>> insertAll(java.util.List<MilestoneEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(java.util.Set.of());
        }
        int n = entries.size();
        String[][] columns = new String[10][n];
        for (int i = 0; i < n; i++) {
            MilestoneEntry e = entries.get(i);
            columns[0][i] = e.eventId;
            columns[1][i] = e.shipmentId;
            columns[2][i] = e.milestone.name();
            columns[3][i] = e.classifier.name();
            columns[4][i] = e.eventTime.toString();
            columns[5][i] = e.receivedAt.toString();
            columns[6][i] = Long.toString(e.delayMinutes);
            columns[7][i] = Boolean.toString(e.late);
            columns[8][i] = Boolean.toString(e.outOfOrder);
            columns[9][i] = e.payload;
        }
        return getSession().chain(session -> {
            var query = session.createNativeQuery(INSERT_ALL, String.class);
            for (int k = 0; k < columns.length; k++) {
                query.setParameter(k + 1, columns[k]);
            }
            return query.getResultList();
        }).map(java.util.HashSet::new);
    }
}
