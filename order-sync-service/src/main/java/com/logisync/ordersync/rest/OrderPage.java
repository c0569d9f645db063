package com.logisync.ordersync.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.ordersync.model.OrderStatus;
import com.logisync.ordersync.model.ShipmentOrder;

import java.time.Instant;
import java.util.List;

/**
 * One page of orders, newest first. {@code nextCursor} (absent on the last page) asks for the next;
 * {@code page}, {@code size} and {@code total} belong to the deprecated page/size paging.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderPage(List<Summary> items,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(deprecated = true) int page,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(deprecated = true) int size,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(deprecated = true) long total,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "The cursor of the next page; absent on the last")
        String nextCursor) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "OrderSummary")
    public record Summary(String shipmentId, String orderId, String customerId, OrderStatus status, String loadId,
            Instant createdAt, Instant updatedAt) {

        public static Summary of(ShipmentOrder o) {
            return new Summary(o.shipmentId, o.orderId, o.customerId, o.status, o.loadId, o.createdAt, o.updatedAt);
        }
    }
}
