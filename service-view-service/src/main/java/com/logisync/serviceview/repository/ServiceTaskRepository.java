package com.logisync.serviceview.repository;

import com.logisync.serviceview.model.ServiceTask;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ServiceTaskRepository implements PanacheRepositoryBase<ServiceTask, String> {

    public Uni<List<ServiceTask>> ofShipment(String shipmentId) {
        return list("shipmentId = ?1 order by openedAt, taskId", shipmentId);
    }

    /** The tasks of these shipments in one statement: by shipment, each list as {@link #ofShipment} gives it. */
    public Uni<java.util.Map<String, List<ServiceTask>>> ofShipments(java.util.Collection<String> shipmentIds) {
        if (shipmentIds.isEmpty()) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        return list("shipmentId in ?1 order by shipmentId, openedAt, taskId", List.copyOf(shipmentIds)).map(found -> {
            java.util.Map<String, List<ServiceTask>> byShipment = new java.util.HashMap<>();
            found.forEach(t -> byShipment.computeIfAbsent(t.shipmentId, k -> new java.util.ArrayList<>()).add(t));
            return byShipment;
        });
    }

    /** Tasks by status and customer (either may be null), oldest first. */
    /** Tasks oldest first (opened, then task id), after {@code after}; {@code limit} rows. */
    public Uni<List<ServiceTask>> find(String status, String customerId, com.logisync.runtime.rest.Paging.Position after,
            int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (status != null) {
            q.append(" and status = :status");
            p.and("status", status);
        }
        if (customerId != null) {
            q.append(" and customerId = :customerId");
            p.and("customerId", customerId);
        }
        if (after != null) {
            q.append(" and (openedAt > :at or (openedAt = :at and taskId > :id))");
            p.and("at", after.at()).and("id", after.id());
        }
        return find(q + " order by openedAt, taskId", p).page(0, limit).list();
    }
}
