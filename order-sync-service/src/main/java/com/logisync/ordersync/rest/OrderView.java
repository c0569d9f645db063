package com.logisync.ordersync.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.ordersync.model.OrderStatus;
import com.logisync.ordersync.model.OrderStatusChange;
import com.logisync.ordersync.model.ShipmentOrder;

import java.time.Instant;
import java.util.List;

/** An order as ERP and operators see it: status, dispatch reference and history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(String shipmentId, String orderId, String customerId, String serviceLevel, OrderStatus status,
        int amendment, Cancellation cancellation, Instant pickedUpAt, Dispatch dispatch, List<StatusChange> history) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cancellation(String reason, Instant at, boolean confirmedByTms) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dispatch(String loadId, String routeId, String carrier, String driver, String vehicle,
            Instant plannedPickup, Instant plannedDelivery, String tmsSystem, int attempts, Instant nextAttemptAt,
            String lastError, int tmsAmendment, boolean inSync) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusChange(OrderStatus status, Instant at, String reason) {
    }

    public static OrderView of(ShipmentOrder o, List<OrderStatusChange> history) {
        return new OrderView(o.shipmentId, o.orderId, o.customerId, o.serviceLevel, o.status, o.amendment,
                o.cancelledAt == null ? null : new Cancellation(o.cancelReason, o.cancelledAt, o.tmsCancelled),
                o.pickedUpAt,
                new Dispatch(o.loadId, o.routeId, o.carrier, o.driver, o.vehicle, o.plannedPickup, o.plannedDelivery,
                        o.tmsSystem, o.dispatchAttempts, o.nextDispatchAt, o.lastDispatchError, o.tmsAmendment,
                        !o.tmsOutOfSync()),
                history.stream().map(h -> new StatusChange(h.status, h.changedAt, h.reason)).toList());
    }
}
