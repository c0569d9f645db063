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

    /**
     * The milestones a service task can depend on, in event-time order: a delay over the threshold, the
     * actual delivery, a signed POD (voided ones included, as the timeline has them).
     */
    public Uni<List<CaseMilestone>> taskFacts(String shipmentId, int thresholdMinutes, java.util.Set<String> osdReasons) {
        return list("shipmentId = ?1 and (delayMinutes > ?2 or podSignedBy is not null or podOsdNotes is not null"
                + " or (milestone in ?3 and classifier = ?4) or milestone = ?5 or reasonCode in ?6)"
                + " order by eventTime, eventId", shipmentId, (long) thresholdMinutes,
                List.of(MilestoneType.DELIVERED, MilestoneType.DEPARTED_PICKUP, MilestoneType.REFUSED,
                        MilestoneType.DELIVERY_ATTEMPTED, MilestoneType.DELIVERY_NOT_COMPLETED),
                com.logisync.contracts.milestone.Classifier.ACTUAL, MilestoneType.DELAYED,
                osdReasons.isEmpty() ? List.of("-") : List.copyOf(osdReasons));
    }
}
