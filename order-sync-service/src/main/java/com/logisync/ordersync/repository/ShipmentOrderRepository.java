package com.logisync.ordersync.repository;

import com.logisync.ordersync.model.OrderStatus;
import com.logisync.ordersync.model.ShipmentOrder;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class ShipmentOrderRepository implements PanacheRepositoryBase<ShipmentOrder, String> {

    /** A page of orders, newest first, optionally of one customer and in one status. */
    public Uni<List<ShipmentOrder>> page(String customerId, OrderStatus status, int page, int size) {
        return filtered(customerId, status, null, null, "order by o.createdAt desc, o.shipmentId").page(page, size).list();
    }

    /**
     * A page of orders, newest first (creation time, then shipment id), after {@code after} (the last order
     * of the previous page, or null); {@code limit} rows. Creation times never change, so orders written
     * while a client pages are neither skipped nor repeated (new ones appear before the first page).
     */
    public Uni<List<ShipmentOrder>> after(String customerId, OrderStatus status, Instant updatedSince,
            com.logisync.runtime.rest.Paging.Position after, int limit) {
        return filtered(customerId, status, updatedSince, after, "order by o.createdAt desc, o.shipmentId")
                .page(0, limit).list();
    }

    public Uni<Long> countFiltered(String customerId, OrderStatus status) {
        return filtered(customerId, status, null, null, "").count();
    }

    /** Orders of one customer, in one status, changed since, after a page's last order: each filter when given. */
    private io.quarkus.hibernate.reactive.panache.PanacheQuery<ShipmentOrder> filtered(String customerId,
            OrderStatus status, Instant updatedSince, com.logisync.runtime.rest.Paging.Position after, String orderBy) {
        io.quarkus.panache.common.Parameters p = new io.quarkus.panache.common.Parameters();
        StringBuilder where = new StringBuilder("from ShipmentOrder o where 1 = 1");
        if (customerId != null) {
            where.append(" and o.customerId = :customerId");
            p.and("customerId", customerId);
        }
        if (status != null) {
            where.append(" and o.status = :status");
            p.and("status", status);
        }
        if (updatedSince != null) {
            where.append(" and o.updatedAt >= :updatedSince");
            p.and("updatedSince", updatedSince);
        }
        if (after != null) {
            where.append(" and (o.createdAt < :at or (o.createdAt = :at and o.shipmentId > :id))");
            p.and("at", after.at()).and("id", after.id());
        }
        return find(where + " " + orderBy, p);
    }

    public Uni<ShipmentOrder> findByOrderId(String orderId) {
        return find("orderId", orderId).firstResult();
    }

    /** The order, locked until the transaction ends (amendment, cancellation, recording a TMS answer). */
    public Uni<ShipmentOrder> lockByOrderId(String orderId) {
        return find("orderId", orderId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<ShipmentOrder> lock(String shipmentId) {
        return findById(shipmentId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Orders the TMS has to be told something about, whose next attempt is due and no one holds; oldest first. */
    public Uni<List<String>> dueForSync(Instant now, int limit) {
        return find("select o.shipmentId from ShipmentOrder o where o.nextDispatchAt <= ?1"
                + " and (o.claimedUntil is null or o.claimedUntil <= ?1) order by o.nextDispatchAt", now)
                .project(String.class).page(0, limit).list();
    }

    /**
     * Takes the TMS conversation about one order until {@code leaseUntil}: only one caller (request,
     * retry worker, replica) wins, and the lease lets another try if the winner dies mid-call.
     */
    public Uni<Boolean> claim(String shipmentId, Instant now, Instant leaseUntil) {
        return update("claimedUntil = ?1 where shipmentId = ?2 and nextDispatchAt <= ?3"
                + " and (claimedUntil is null or claimedUntil <= ?3)", leaseUntil, shipmentId, now).map(n -> n == 1);
    }

    /** Marks the goods picked up (the first report wins); unknown shipments are not ours and are ignored. */
    private static final String MARK_PICKED_UP = "update shipment_order o set picked_up_at = p.at"
            + " from unnest($1::text[], $2::timestamptz[]) as p(id, at)"
            + " where o.shipment_id = p.id and o.picked_up_at is null returning o.shipment_id";

    /** Marks each order picked up at its time, unless it already is; answers the shipments marked now. */
    public Uni<java.util.List<String>> markPickedUp(java.util.Map<String, Instant> pickups) {
        String[] ids = pickups.keySet().toArray(String[]::new);
        java.time.OffsetDateTime[] at = pickups.values().stream().map(com.logisync.runtime.repository.SessionSql::utc)
                .toArray(java.time.OffsetDateTime[]::new);
        return com.logisync.runtime.repository.SessionSql.select(MARK_PICKED_UP, ids, at)
                .map(rows -> rows.stream().map(r -> (String) r[0]).toList());
    }
}
