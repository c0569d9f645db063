package com.logisync.milestone.repository;

import com.logisync.milestone.model.ShipmentReference;
import com.logisync.runtime.repository.SessionSql;
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

    private static final String RESOLVE_ALL = "select ref_key, shipment_id from shipment_reference"
            + " where ref_key = any($1::text[])";
    /** Takes the keys' advisory locks in sorted order, in one statement. */
    private static final String LOCK_KEYS = "select count(*) from (select pg_advisory_xact_lock(hashtext(k))"
            + " from (select distinct k from unnest($1::text[]) k order by k) sorted) locked";

    /** Every known key among these, to the shipment it identifies (one query for a whole batch). */
    public Uni<java.util.Map<String, String>> resolveAll(java.util.Collection<String> refKeys) {
        if (refKeys.isEmpty()) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        return SessionSql.select(RESOLVE_ALL, (Object) refKeys.toArray(String[]::new)).map(found -> {
                    java.util.Map<String, String> byKey = new java.util.HashMap<>();
                    found.forEach(r -> byKey.put((String) r[0], (String) r[1]));
                    return byKey;
                });
    }

    /**
     * Serialises everyone who registers these keys or parks a milestone under them, until the
     * transaction ends: without it, a report parked while its order's keys are being registered
     * could be missed by both sides and stay parked. Take it after any shipment row lock, keys in
     * sorted order, so two holders never wait on each other.
     */
    public Uni<Void> lockKeys(java.util.Collection<String> refKeys) {
        if (refKeys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return SessionSql.select(LOCK_KEYS, (Object) refKeys.toArray(String[]::new)).replaceWithVoid();
    }
}
