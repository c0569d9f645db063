package com.logisync.milestone.repository;

import com.logisync.milestone.model.ShipmentReference;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ShipmentReferenceRepository implements PanacheRepositoryBase<ShipmentReference, String> {

    /** The shipment any of these keys identifies, or null. */
    public Uni<String> resolve(List<String> refKeys) {
        if (refKeys.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return find("refKey in ?1", refKeys).firstResult().map(r -> r == null ? null : r.shipmentId);
    }
}
