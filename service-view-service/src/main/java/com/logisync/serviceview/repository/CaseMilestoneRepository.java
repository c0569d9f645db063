package com.logisync.serviceview.repository;

import com.logisync.contracts.milestone.MilestoneType;

import com.logisync.serviceview.model.CaseMilestone;
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

    /**
     * The milestones a service task can depend on, of many shipments in one statement, by shipment, each list in
     * event-time order: a delay over the shipment's threshold, the actual delivery, a signed POD, damage (voided ones
     * included, as the timeline has them). The statement takes the lowest threshold; a report over it but not over
     * its own shipment's, and nothing else a task depends on, is left out here. A consumer's batch derives the tasks
     * of hundreds of shipments: a statement each cost a round trip and a flush of the session each.
     */
    public Uni<java.util.Map<String, List<CaseMilestone>>> taskFacts(java.util.Map<String, Integer> thresholds,
            java.util.Set<String> osdReasons) {
        if (thresholds.isEmpty()) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        int lowest = thresholds.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        List<String> reasons = osdReasons.isEmpty() ? List.of("-") : List.copyOf(osdReasons);
        return list("shipmentId in ?1 and (delayMinutes > ?2 or podSignedBy is not null or podOsdNotes is not null"
                + " or (milestone in ?3 and classifier = ?4) or milestone = ?5 or reasonCode in ?6)"
                + " order by shipmentId, eventTime, eventId", List.copyOf(thresholds.keySet()), (long) lowest,
                List.copyOf(TASK_MILESTONES), com.logisync.contracts.milestone.Classifier.ACTUAL, MilestoneType.DELAYED,
                reasons).map(rows -> {
                    java.util.Map<String, List<CaseMilestone>> byShipment = new java.util.HashMap<>();
                    for (CaseMilestone m : rows) {
                        if (m.delayMinutes > thresholds.get(m.shipmentId) || m.podSignedBy != null || m.podOsdNotes != null
                                || TASK_MILESTONES.contains(m.milestone)
                                        && m.classifier == com.logisync.contracts.milestone.Classifier.ACTUAL
                                || m.milestone == MilestoneType.DELAYED || m.reasonCode != null && reasons.contains(m.reasonCode)) {
                            byShipment.computeIfAbsent(m.shipmentId, k -> new java.util.ArrayList<>()).add(m);
                        }
                    }
                    return byShipment;
                });
    }
}
