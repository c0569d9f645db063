package com.logisync.runtime.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.LockModeType;

import java.util.function.BiFunction;

/**
 * The one way every service gets "the row of this shipment, for update": create it if it is
 * missing, without failing when another channel or replica creates it at the same moment, then
 * lock it. Several consumers (and REST calls) of the same shipment then take turns instead of
 * overwriting each other's changes or failing on a duplicate key.
 */
public final class ShipmentRows {

    private ShipmentRows() {
    }

    /**
     * @param insertIfAbsent an {@code insert … on conflict do nothing} with a {@code :shipmentId} parameter
     * @param find the repository's {@code findById(id, lockMode)}
     */
    public static <T> Uni<T> lockOrCreate(String shipmentId, String insertIfAbsent,
            BiFunction<String, LockModeType, Uni<T>> find) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(insertIfAbsent).setParameter("shipmentId", shipmentId).executeUpdate())
                .chain(() -> find.apply(shipmentId, LockModeType.PESSIMISTIC_WRITE));
    }
}
