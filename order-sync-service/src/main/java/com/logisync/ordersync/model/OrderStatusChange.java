package com.logisync.ordersync.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One step of an order's status history, with when and why. */
@Entity
@Table(name = "order_status_change")
public class OrderStatusChange {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "shipment_id")
    public String shipmentId;
    @Enumerated(EnumType.STRING)
    public OrderStatus status;
    public String reason;
    @Column(name = "changed_at")
    public Instant changedAt;

    public static OrderStatusChange of(String shipmentId, OrderStatus status, String reason, Instant at) {
        OrderStatusChange c = new OrderStatusChange();
        c.shipmentId = shipmentId;
        c.status = status;
        c.reason = reason;
        c.changedAt = at;
        return c;
    }
}
