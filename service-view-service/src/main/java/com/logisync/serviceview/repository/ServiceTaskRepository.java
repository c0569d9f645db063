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

    /** Tasks by status and customer (either may be null), oldest first. */
    public Uni<List<ServiceTask>> find(String status, String customerId, int page, int size) {
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
        return find(q + " order by openedAt, taskId", p).page(page, size).list();
    }
}
