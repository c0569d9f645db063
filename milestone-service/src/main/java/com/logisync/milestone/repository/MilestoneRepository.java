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
}
