package com.logisync.billing.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** What billing knows of one shipment: the facts its eligibility rules look at, and where it stands. */
@Entity
@Table(name = "billing_case")
public class BillingCase {

    @Id
    @Column(name = "shipment_id")
    public String shipmentId;
    @Column(name = "order_id")
    public String orderId;
    @Column(name = "customer_id")
    public String customerId;
    @Column(name = "load_id")
    public String loadId;
    @Enumerated(EnumType.STRING)
    public BillingStatus status;
    public boolean cancelled;
    @Column(name = "delivered_at")
    public Instant deliveredAt;
    @Column(name = "delivered_event")
    public String deliveredEvent;
    @Column(name = "pod_signed_by")
    public String podSignedBy;
    @Column(name = "pod_signed_at")
    public Instant podSignedAt;
    @Column(name = "pod_document_ref")
    public String podDocumentRef;
    @Column(name = "pod_received_at")
    public Instant podReceivedAt;
    /** The delivery came from someone entitled to prove it (see the contract's podDocumentMayFollow). */
    @Column(name = "delivery_verified")
    public boolean deliveryVerified;
    /** The milestone whose POD counts (a correction voiding it takes the POD back). */
    @Column(name = "pod_event")
    public String podEvent;
    @Column(name = "eligible_at")
    public Instant eligibleAt;
    /** The contract terms the order was released (or last amended) under: what it is rated with. */
    @Column(name = "contract_id")
    public String contractId;
    @Column(name = "contract_version")
    public Long contractVersion;
    @Column(name = "lane_origin")
    public String laneOrigin;
    @Column(name = "lane_destination")
    public String laneDestination;
    @Column(name = "service_level")
    public String serviceLevel;
    /** The shipment's references, {@code TYPE:value|…} (PO numbers, BOL, PRO), from every event that named them. */
    @Column(name = "reference_keys")
    public String referenceKeys;
    /** The planned pickup day in the pickup stop's zone (the fuel week's default basis). */
    @Column(name = "pickup_day")
    public java.time.LocalDate pickupDay;
    @Column(name = "delivery_zone")
    public String deliveryZone;
    /** The order's delivery stops by sequence ({@code 2|3}), and those delivered so far. */
    @Column(name = "delivery_stops")
    public String deliveryStops;
    @Column(name = "delivered_stops")
    public String deliveredStops;
    /** The lane the shipment is rated on, from its order (as released or last amended). */
    @Column(name = "origin_region")
    public String originRegion;
    @Column(name = "destination_region")
    public String destinationRegion;
    @Column(name = "order_amendment")
    public int orderAmendment;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * When the case last changed: stamped as Hibernate writes a change, so an event that changes nothing the
     * case holds (a truck's in-transit report, an estimate) writes no row at all.
     */
    @jakarta.persistence.PreUpdate
    void changed() {
        updatedAt = Instant.now();
    }

    /** The rating revision billed (0 until the first invoice request); a clerk's re-invoice makes the next one. */
    @Column(name = "rating_revision")
    public int ratingRevision;
    /** The rating sent to ERP under this revision, frozen so every retry sends the same invoice. */
    @Column(name = "rating_json")
    public String ratingJson;
    @Column(name = "invoice_currency")
    public String invoiceCurrency;
    @Column(name = "invoice_total")
    public java.math.BigDecimal invoiceTotal;
    @Column(name = "invoice_id")
    public String invoiceId;
    @Column(name = "invoiced_at")
    public Instant invoicedAt;
    @Column(name = "invoice_failed_at")
    public Instant invoiceFailedAt;
    @Column(name = "invoice_error")
    public String invoiceError;
    @Column(name = "invoice_attempts")
    public int invoiceAttempts;
    @Column(name = "invoice_rejections")
    public int invoiceRejections;
    @Column(name = "consecutive_failures")
    public int consecutiveFailures;
    /** When the next call to ERP is due; null when nothing is to be asked. */
    @Column(name = "next_invoice_at")
    public Instant nextInvoiceAt;
    /** The lease of the one worker talking to ERP about this case. */
    @Column(name = "claimed_until")
    public Instant claimedUntil;
    /** The trace the case became eligible in: the invoice call continues it. */
    public String traceparent;
    /** The version of the last BillingCaseUpdated published for this case. */
    @Column(name = "case_version")
    public long caseVersion;
    /** A digest of what that snapshot said: an unchanged case publishes nothing. */
    @Column(name = "snapshot_hash")
    public String snapshotHash;

    /** The last document sequence number given out for this case (see billing_document). */
    @Column(name = "document_seq")
    public int documentSeq;
    /** When the late charges (approved after the invoice request) are put on a supplementary invoice. */
    @Column(name = "supplement_due_at")
    public Instant supplementDueAt;
    /** The token of the worker's lease: a write of a claimed case checks it, so a stalled worker cannot write. */
    @Column(name = "claim_token")
    public String claimToken;

    /** The idempotency key of the current rating revision: one invoice per key at ERP. */
    public String invoiceKey() {
        return ratingRevision == 0 ? null : shipmentId + ":rating-" + ratingRevision;
    }
}
