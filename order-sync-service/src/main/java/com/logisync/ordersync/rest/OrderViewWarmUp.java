package com.logisync.ordersync.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.ordersync.service.OrderReleaseService;
import com.logisync.runtime.health.WarmUp;
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
        return WarmUp.first("select order_id from shipment_order limit 1", "no order yet",
                id -> releases.find(id).map(r -> WarmUp.serialised(json, id, OrderView.of(r.order(), r.history()))));
    }
}
