package com.logisync.ordersync.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.ordersync.model.OrderStatus;
import com.logisync.ordersync.model.ShipmentOrder;

import java.time.Instant;
import java.util.List;

/** One page of orders, newest first. */
public record OrderPage(List<Summary> items, int page, int size, long total) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(String shipmentId, String orderId, String customerId, OrderStatus status, String loadId,
            Instant createdAt, Instant updatedAt) {

        public static Summary of(ShipmentOrder o) {
            return new Summary(o.shipmentId, o.orderId, o.customerId, o.status, o.loadId, o.createdAt, o.updatedAt);
        }
    }
}
