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

    /**
     * The rows of several shipments, locked for this transaction in shipment id order (so two batches that
     * share shipments never deadlock), as entities the session manages. Two statements of one shape whatever
     * the number of shipments: {@code select … for no key update}, joined to the ids (the lock Hibernate takes
     * for {@code PESSIMISTIC_WRITE} on PostgreSQL: the key never changes, so a foreign key's check need not
     * wait for it), then Hibernate's multi-id
     * load (also {@code = any(?)}, on rows this transaction holds). An HQL {@code shipmentId in ?1} with the
     * same ids was translated anew for every list length, and PostgreSQL planned a statement with as many
     * parameters each time: 10 % of billing's CPU at 2,000 shipments in flight (docs/benchmarks.md).
     *
     * @param table the entity's table, whose key column is {@code shipment_id}
     * @return the rows that exist, in shipment id order
     */
    public static <T> Uni<java.util.List<T>> lockAll(Class<T> entity, String table, java.util.Collection<String> shipmentIds) {
        String[] ids = new java.util.TreeSet<>(shipmentIds).toArray(String[]::new);
        // Joined to the ids rather than "where shipment_id = any($1)": a row a concurrent transaction changed while
        // this one waited for its lock is checked again against the statement's condition (PostgreSQL's EvalPlanQual),
        // and "= any($1)" is then a walk of the whole array, text comparison by text comparison, for every such row.
        // With four batches locking the same 1,000 shipments (the benchmark's shared phase) that came to 18-23 µs of
        // PostgreSQL per milestone; the join's condition is one comparison (docs/benchmarks.md, 2026-12-04).
        return SessionSql.select("select t.shipment_id from " + table + " t join unnest($1::text[]) as k(id)"
                        + " on t.shipment_id = k.id order by t.shipment_id for no key update of t", (Object) ids)
                .chain(lockedRows -> {
                    if (lockedRows.isEmpty()) {
                        return Uni.createFrom().item(java.util.List.<T>of());
                    }
                    // In the database's order (its collation may differ from Java's), only the rows that exist.
                    Object[] lockedIds = lockedRows.stream().map(r -> r[0]).toArray();
                    return Panache.getSession().chain(s -> s.find(entity, lockedIds))
                            .map(found -> found.stream().filter(java.util.Objects::nonNull).toList());
                });
    }
}
