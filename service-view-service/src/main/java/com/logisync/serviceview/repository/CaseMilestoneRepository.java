package com.logisync.serviceview.repository;

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
}
