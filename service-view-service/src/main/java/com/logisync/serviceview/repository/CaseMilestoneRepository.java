package com.logisync.serviceview.repository;

import com.logisync.contracts.milestone.MilestoneType;

import com.logisync.serviceview.model.CaseMilestone;
import com.logisync.serviceview.model.TaskFact;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class CaseMilestoneRepository implements PanacheRepositoryBase<CaseMilestone, String> {

    /** The timeline in event-time order (not arrival order). */
    public Uni<List<CaseMilestone>> timeline(String shipmentId) {
        return list("shipmentId = ?1 order by eventTime, eventId", shipmentId);
    }

    private static final java.util.Set<MilestoneType> TASK_MILESTONES = java.util.EnumSet.of(MilestoneType.DELIVERED,
            MilestoneType.DEPARTED_PICKUP, MilestoneType.REFUSED, MilestoneType.DELIVERY_ATTEMPTED,
            MilestoneType.DELIVERY_NOT_COMPLETED);

    /** Whether the timeline row can be a fact a service task depends on, with the customer's delay threshold. */
    public static boolean isTaskFact(TaskFact m, long threshold, java.util.Set<String> osdReasons) {
        return m.delayMinutes > threshold || m.podSignedBy != null || m.podOsdNotes != null
                || TASK_MILESTONES.contains(m.milestone) && m.classifier == com.logisync.contracts.milestone.Classifier.ACTUAL
                || m.milestone == MilestoneType.DELAYED || m.reasonCode != null && osdReasons.contains(m.reasonCode);
    }

    /**
     * The rows of the shipments that {@link #isTaskFact} may keep at any threshold, reduced to what the rule reads: of
     * each group of facts alike for the rule (V17's {@code case_task_fact_group}: type, classifier, delay, reason, POD,
     * void), the earliest and the latest. The groups are kept by triggers on the timeline; the rows are then read by
     * their ids, so a shipment's read costs its groups, not its history (V16 read every fact of the shipment through
     * the partial index on {@code task_fact}: on a shipment that reports a delay every few minutes, hundreds). One
     * statement text whatever the number of shipments (arrays, not {@code in} lists). The rows are read into plain
     * {@link TaskFact} objects (the 16 columns the derivation reads), neither entities the session manages nor
     * instances of the entity class, whose enhanced field writes track each change.
     */
    private static final String TASK_FACTS = "select event_id, shipment_id, milestone, classifier, event_time,"
            + " location_name, delay_minutes, partner_id, reason_code, reason_source_code, reason_code_list,"
            + " pod_signed_by, pod_unverified, reason_text, pod_osd_notes, voided from case_milestone"
            + " where event_id = any(array(select unnest(array[first_id, last_id]) from case_task_fact_group"
            + " where shipment_id = any($1::text[]))) order by shipment_id, event_time, event_id";

    /**
     * The milestones a service task can depend on, of many shipments in one statement, by shipment, each list in
     * event-time order: a delay over the shipment's threshold, the actual delivery, a signed POD, damage (voided ones
     * included, as the timeline has them), the earliest and the latest of each group of facts alike for the rule
     * ({@link #TASK_FACTS}): the rule reads nothing else of them, so it derives the same tasks as from all of them.
     * A consumer's batch derives the tasks of hundreds of shipments: a statement each cost a round trip and a flush of
     * the session each.
     */
    public Uni<java.util.Map<String, List<TaskFact>>> taskFacts(java.util.Map<String, Integer> thresholds,
            java.util.Set<String> osdReasons) {
        if (thresholds.isEmpty()) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        return com.logisync.runtime.repository.SessionSql.select(TASK_FACTS,
                (Object) thresholds.keySet().toArray(String[]::new)).map(rows -> {
                    java.util.Map<String, List<TaskFact>> byShipment = new java.util.HashMap<>();
                    for (Object[] row : rows) {
                        TaskFact m = fromRow(row);
                        if (isTaskFact(m, thresholds.get(m.shipmentId), osdReasons)) {
                            byShipment.computeIfAbsent(m.shipmentId, k -> new java.util.ArrayList<>()).add(m);
                        }
                    }
                    return byShipment;
                });
    }

    private static TaskFact fromRow(Object[] r) {
        TaskFact m = new TaskFact();
        m.eventId = (String) r[0];
        m.shipmentId = (String) r[1];
        m.milestone = MilestoneType.valueOf((String) r[2]);
        m.classifier = com.logisync.contracts.milestone.Classifier.valueOf((String) r[3]);
        m.eventTime = SubscriptionStore.instant(r[4]);
        m.locationName = (String) r[5];
        m.delayMinutes = ((Number) r[6]).longValue();
        m.partnerId = (String) r[7];
        m.reasonCode = (String) r[8];
        m.reasonSourceCode = (String) r[9];
        m.reasonCodeList = (String) r[10];
        m.podSignedBy = (String) r[11];
        m.podUnverified = (String) r[12];
        m.reasonText = (String) r[13];
        m.podOsdNotes = (String) r[14];
        m.voided = (Boolean) r[15];
        return m;
    }
}
