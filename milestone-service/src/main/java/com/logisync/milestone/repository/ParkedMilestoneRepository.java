package com.logisync.milestone.repository;

import com.logisync.milestone.model.ParkedMilestone;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ParkedMilestoneRepository implements PanacheRepositoryBase<ParkedMilestone, String> {

    /** UNMATCHED parked milestones that carried one of these keys (AMBIGUOUS ones wait for ops). */
    public Uni<List<ParkedMilestone>> carrying(List<String> refKeys) {
        StringBuilder q = new StringBuilder();
        Object[] params = new Object[refKeys.size()];
        for (int i = 0; i < refKeys.size(); i++) {
            q.append(i == 0 ? "" : " or ").append("('|' || refKeys || '|') like ?").append(i + 1);
            params[i] = "%|" + refKeys.get(i) + "|%";
        }
        return list("status = 'UNMATCHED' and (" + q + ") order by receivedAt", params);
    }
}
