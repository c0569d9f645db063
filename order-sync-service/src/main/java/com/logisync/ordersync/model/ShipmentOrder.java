package com.logisync.ordersync.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A shipment order as ERP released it, and where its handoff to the TMS stands. */
@Entity
@Table(name = "shipment_order")
public class ShipmentOrder {

    @Id
    @Column(name = "shipment_id")
    public String shipmentId;
    @Column(name = "order_id")
    public String orderId;
    @Column(name = "customer_id")
    public String customerId;
    @Column(name = "service_level")
    public String serviceLevel;
    @Enumerated(EnumType.STRING)
    public OrderStatus status;
    /** SHA-256 of the order as released: a repeat with the same content is the same order. */
    @Column(name = "content_hash")
    public String contentHash;
    /** The canonical OrderReleased payload, so the order can be re-sent to the TMS or re-published. */
    @Column(name = "release_json")
    public String releaseJson;
    /** The trace of ERP's release request: every later step of this shipment joins it. */
    public String traceparent;

    @Column(name = "load_id")
    public String loadId;
    @Column(name = "route_id")
    public String routeId;
    public String carrier;
    public String driver;
    public String vehicle;
    @Column(name = "planned_pickup")
    public Instant plannedPickup;
    @Column(name = "planned_delivery")
    public Instant plannedDelivery;
    @Column(name = "tms_system")
    public String tmsSystem;

    @Column(name = "dispatch_attempts")
    public int dispatchAttempts;
    /** TMS rejections (4xx, NAK) in a row. */
    @Column(name = "dispatch_rejections")
    public int dispatchRejections;
    /** Failed TMS calls in a row, for the backoff. */
    @Column(name = "consecutive_failures")
    public int consecutiveFailures;
    /** When the TMS should next be told something (create, update, cancel); null when it is in sync. */
    @Column(name = "next_dispatch_at")
    public Instant nextDispatchAt;
    @Column(name = "last_dispatch_error")
    public String lastDispatchError;

    /** How many amendments ERP made (0 = as released); {@code releaseJson} holds the latest content. */
    public int amendment;
    /** The amendment the TMS has confirmed. */
    @Column(name = "tms_amendment")
    public int tmsAmendment;
    @Column(name = "cancel_reason")
    public String cancelReason;
    @Column(name = "cancelled_at")
    public Instant cancelledAt;
    /** The TMS confirmed the cancellation (or there was no load to cancel). */
    @Column(name = "tms_cancelled")
    public boolean tmsCancelled;
    /** When the goods were picked up (from the milestones topic): no amendment or cancellation after that. */
    @Column(name = "picked_up_at")
    public Instant pickedUpAt;
    /** A handoff in flight holds the order until then; an expired claim means its holder died. */
    @Column(name = "claimed_until")
    public Instant claimedUntil;

    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Whether the TMS still has to be told something: the load, an amendment or the cancellation. */
    public boolean tmsOutOfSync() {
        if (cancelledAt != null) {
            return !tmsCancelled;
        }
        return status != OrderStatus.DISPATCH_FAILED && (loadId == null || tmsAmendment < amendment);
    }
}
