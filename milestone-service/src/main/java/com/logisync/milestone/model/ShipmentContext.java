package com.logisync.milestone.model;

import com.logisync.contracts.milestone.MilestoneType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** What milestone-service knows of a shipment from the orders topic: keys, windows, trace and status. */
@Entity
@Table(name = "shipment_context")
public class ShipmentContext {

    @Id
    @Column(name = "shipment_id")
    public String shipmentId;
    @Column(name = "order_id")
    public String orderId;
    @Column(name = "load_id")
    public String loadId;
    @Column(name = "customer_id")
    public String customerId;
    @Column(name = "pickup_window_start")
    public Instant pickupWindowStart;
    @Column(name = "pickup_window_end")
    public Instant pickupWindowEnd;
    @Column(name = "pickup_zone")
    public String pickupZone;
    @Column(name = "delivery_window_start")
    public Instant deliveryWindowStart;
    @Column(name = "delivery_window_end")
    public Instant deliveryWindowEnd;
    @Column(name = "delivery_zone")
    public String deliveryZone;
    @Column(name = "delivery_stop_sequence")
    public Integer deliveryStopSequence;
    /** The carrier the TMS dispatched the load to (DispatchAccepted): its partner proves delivery. */
    public String carrier;
    /** The shipment's trace (from ERP's release): recording a milestone joins it. */
    public String traceparent;
    @Enumerated(EnumType.STRING)
    @Column(name = "status_milestone")
    public MilestoneType statusMilestone;
    @Column(name = "status_event_time")
    public Instant statusEventTime;
    /** The order amendment the windows come from (0 = as released). */
    @Column(name = "order_amendment")
    public int orderAmendment;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
