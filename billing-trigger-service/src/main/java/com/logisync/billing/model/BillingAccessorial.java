package com.logisync.billing.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/** An accessorial captured for a shipment, and its decision (PENDING, APPROVED, REJECTED, or WITHDRAWN when a recomputed detention no longer applies). */
@Entity
@Table(name = "billing_accessorial")
public class BillingAccessorial {

    @Id
    @Column(name = "accessorial_id")
    public String accessorialId;
    @Column(name = "shipment_id")
    public String shipmentId;
    @Column(name = "charge_code")
    public String chargeCode;
    public BigDecimal quantity;
    public String unit;
    public String evidence;
    @Column(name = "receipt_ref")
    public String receiptRef;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "ended_at")
    public Instant endedAt;
    public String status;
    /** AUTO (the contract's policy) or who decided. */
    @Column(name = "decided_by")
    public String decidedBy;
    public String reason;
    @Column(name = "captured_at")
    public Instant capturedAt;
    @Column(name = "decided_at")
    public Instant decidedAt;
    /** The idempotency key of the document that billed it; null while not billed. */
    @Column(name = "billed_in")
    public String billedIn;
}
