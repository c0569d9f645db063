package com.logisync.milestone.repository;

import com.logisync.milestone.model.ShipmentReference;
import com.logisync.runtime.repository.SessionSql;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ShipmentReferenceRepository implements PanacheRepositoryBase<ShipmentReference, String> {

    /**
     * Which shipment a report's keys name: the most specific key that names exactly one shipment wins
     * (keys come most specific first: shipment, load, order, BOL, PRO, PO). When every known key is
     * shared by several shipments (a PO split over loads), the report is ambiguous: the candidates
     * are listed and none is chosen. When no key is known, neither.
     */
    public record Resolution(String shipmentId, List<String> candidates) {

        public static final Resolution UNKNOWN = new Resolution(null, List.of());

        public boolean ambiguous() {
            return shipmentId == null && !candidates.isEmpty();
        }

        public static Resolution of(List<String> refKeys, java.util.Map<String, List<String>> byKey) {
            List<String> firstShared = null;
            for (String key : refKeys) {
                List<String> shipments = byKey.get(key);
                if (shipments == null || shipments.isEmpty()) {
                    continue;
                }
                if (shipments.size() == 1) {
                    return new Resolution(shipments.get(0), List.of());
                }
                firstShared = firstShared == null ? shipments : firstShared;
            }
            return firstShared == null ? UNKNOWN : new Resolution(null, List.copyOf(firstShared));
        }
    }

    /** How these keys resolve (see {@link Resolution}). */
    public Uni<Resolution> resolve(List<String> refKeys) {
        return resolveAll(refKeys).map(byKey -> Resolution.of(refKeys, byKey));
    }

    private static final String RESOLVE_ALL = "select ref_key, shipment_id from shipment_reference"
            + " where ref_key = any($1::text[]) order by ref_key, shipment_id";
    /** Takes the keys' advisory locks in sorted order, in one statement. */
    private static final String LOCK_KEYS = "select count(*) from (select pg_advisory_xact_lock(hashtext(k))"
            + " from (select distinct k from unnest($1::text[]) k order by k) sorted) locked";

    /** Every known key among these, to the shipments it names (one query for a whole batch). */
    public Uni<java.util.Map<String, List<String>>> resolveAll(java.util.Collection<String> refKeys) {
        if (refKeys.isEmpty()) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        return SessionSql.select(RESOLVE_ALL, (Object) refKeys.toArray(String[]::new)).map(found -> {
                    java.util.Map<String, List<String>> byKey = new java.util.HashMap<>();
                    found.forEach(r -> byKey.computeIfAbsent((String) r[0], k -> new java.util.ArrayList<>())
                            .add((String) r[1]));
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
