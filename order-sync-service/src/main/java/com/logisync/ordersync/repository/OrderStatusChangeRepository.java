package com.logisync.ordersync.repository;

import com.logisync.ordersync.model.OrderStatusChange;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class OrderStatusChangeRepository implements PanacheRepository<OrderStatusChange> {

    public Uni<List<OrderStatusChange>> history(String shipmentId) {
        return list("shipmentId = ?1 order by id", shipmentId);
    }
}
