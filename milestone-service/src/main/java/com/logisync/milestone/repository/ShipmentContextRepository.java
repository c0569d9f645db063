package com.logisync.milestone.repository;

import com.logisync.milestone.model.ShipmentContext;
import com.logisync.runtime.repository.ShipmentRows;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

@ApplicationScoped
public class ShipmentContextRepository implements PanacheRepositoryBase<ShipmentContext, String> {

    private static final String INSERT_IF_ABSENT = "insert into shipment_context (shipment_id, updated_at)"
            + " values (:shipmentId, now()) on conflict (shipment_id) do nothing";

    /** The shipment's context, created if missing, locked for this transaction. */
    public Uni<ShipmentContext> lockOrCreate(String shipmentId) {
        return ShipmentRows.lockOrCreate(shipmentId, INSERT_IF_ABSENT, this::findById);
    }

    /** The existing context, locked for this transaction: milestones of one shipment are recorded one at a time. */
    public Uni<ShipmentContext> lock(String shipmentId) {
        return findById(shipmentId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Several contexts, locked in shipment id order (so two batches never deadlock). */
    public Uni<java.util.List<ShipmentContext>> lockAll(java.util.Collection<String> shipmentIds) {
        return find("shipmentId in ?1 order by shipmentId", java.util.List.copyOf(shipmentIds))
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}
