package com.logisync.billing.repository;

import com.logisync.billing.model.BillingCase;
import com.logisync.runtime.repository.ShipmentRows;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class BillingCaseRepository implements PanacheRepositoryBase<BillingCase, String> {

    private static final String INSERT_IF_ABSENT = "insert into billing_case (shipment_id, status, updated_at)"
            + " values (:shipmentId, 'OPEN', now()) on conflict (shipment_id) do nothing";

    /** The shipment's case, created if missing, locked for this transaction. */
    public Uni<BillingCase> lockOrCreate(String shipmentId) {
        return ShipmentRows.lockOrCreate(shipmentId, INSERT_IF_ABSENT, this::findById);
    }
}
