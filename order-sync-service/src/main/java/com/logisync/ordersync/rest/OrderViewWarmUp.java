package com.logisync.ordersync.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.ordersync.service.OrderReleaseService;
import com.logisync.runtime.health.WarmUp;
import com.logisync.runtime.repository.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads one order as {@code GET /api/v1/orders/{orderId}} does, view and JSON included, before the pod reports ready. */
@ApplicationScoped
public class OrderViewWarmUp implements WarmUp {

    private final OrderReleaseService releases;
    private final ObjectMapper json;

    public OrderViewWarmUp(OrderReleaseService releases, ObjectMapper json) {
        this.releases = releases;
        this.json = json;
    }

    @Override
    public String name() {
        return "order view";
    }

    @Override
    public Uni<String> run() {
        return Panache.withSession(() -> SessionSql.select("select order_id from shipment_order limit 1"))
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item("no order yet");
                    }
                    String orderId = (String) rows.get(0)[0];
                    return releases.find(orderId).map(r -> {
                        try {
                            return orderId + ", " + json.writeValueAsBytes(OrderView.of(r.order(), r.history())).length + " bytes";
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                });
    }
}
