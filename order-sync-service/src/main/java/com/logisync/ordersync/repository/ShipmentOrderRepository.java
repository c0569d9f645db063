package com.logisync.ordersync.repository;

import com.logisync.ordersync.model.OrderStatus;
import com.logisync.ordersync.model.ShipmentOrder;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class ShipmentOrderRepository implements PanacheRepositoryBase<ShipmentOrder, String> {

    /** A page of orders, newest first, optionally of one customer and in one status. */
    public Uni<List<ShipmentOrder>> page(String customerId, OrderStatus status, int page, int size) {
        return filtered(customerId, status, "order by o.createdAt desc, o.shipmentId").page(page, size).list();
    }

    public Uni<Long> countFiltered(String customerId, OrderStatus status) {
        return filtered(customerId, status, "").count();
    }

    private io.quarkus.hibernate.reactive.panache.PanacheQuery<ShipmentOrder> filtered(String customerId,
            OrderStatus status, String orderBy) {
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
        return find(where + " " + orderBy, p);
    }

    public Uni<ShipmentOrder> findByOrderId(String orderId) {
        return find("orderId", orderId).firstResult();
    }

    /** Pending handoffs whose next attempt is due, oldest first. */
    public Uni<List<String>> dueForDispatch(Instant now, int limit) {
        return find("select o.shipmentId from ShipmentOrder o where o.status = ?1 and o.nextDispatchAt <= ?2"
                + " order by o.nextDispatchAt", OrderStatus.DISPATCH_PENDING, now)
                .project(String.class).page(0, limit).list();
    }

    /**
     * Takes the handoff of one order for {@code lease}: only one caller (request, retry worker,
     * replica) wins, and the lease lets another retry if the winner dies mid-handoff.
     */
    public Uni<Boolean> claimDispatch(String shipmentId, Instant now, Instant leaseUntil) {
        return update("nextDispatchAt = ?1 where shipmentId = ?2 and status = ?3 and nextDispatchAt <= ?4",
                leaseUntil, shipmentId, OrderStatus.DISPATCH_PENDING, now).map(n -> n == 1);
    }
}
