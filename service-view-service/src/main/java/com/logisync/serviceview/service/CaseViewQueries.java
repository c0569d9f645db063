package com.logisync.serviceview.service;

import com.logisync.runtime.rest.ProblemException;
import com.logisync.serviceview.repository.CaseMilestoneRepository;
import com.logisync.serviceview.repository.ShipmentCaseRepository;
import com.logisync.serviceview.repository.TransactionStageRepository;
import com.logisync.serviceview.rest.ShipmentCaseView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads of the case view. */
@ApplicationScoped
public class CaseViewQueries {

    /** One snapshot for all reads of a view, so it never mixes states from before and after a consumer's commit. */
    private static final String SNAPSHOT = "set transaction isolation level repeatable read read only";

    private final ShipmentCaseRepository cases;
    private final CaseMilestoneRepository milestones;
    private final TransactionStageRepository stages;

    public CaseViewQueries(ShipmentCaseRepository cases, CaseMilestoneRepository milestones,
            TransactionStageRepository stages) {
        this.cases = cases;
        this.milestones = milestones;
        this.stages = stages;
    }

    public Uni<ShipmentCaseView> caseView(String shipmentId) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery(SNAPSHOT).executeUpdate())
                .chain(() -> cases.findById(shipmentId))
                .chain(c -> c == null
                        ? Uni.createFrom().failure(ProblemException.notFound("Shipment", shipmentId))
                        : milestones.timeline(shipmentId).chain(timeline -> stages.stages(shipmentId)
                                .map(st -> ShipmentCaseView.of(c, timeline, st)))));
    }
}
