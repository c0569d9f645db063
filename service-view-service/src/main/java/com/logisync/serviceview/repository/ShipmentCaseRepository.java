package com.logisync.serviceview.repository;

import com.logisync.runtime.repository.ShipmentRows;
import com.logisync.serviceview.model.ShipmentCase;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ShipmentCaseRepository implements PanacheRepositoryBase<ShipmentCase, String> {

    private static final String INSERT_IF_ABSENT = "insert into shipment_case (shipment_id, updated_at)"
            + " values (:shipmentId, now()) on conflict (shipment_id) do nothing";

    /** The shipment's case, created if missing, locked for this transaction. */
    public Uni<ShipmentCase> lockOrCreate(String shipmentId) {
        return ShipmentRows.lockOrCreate(shipmentId, INSERT_IF_ABSENT, this::findById);
    }
}
