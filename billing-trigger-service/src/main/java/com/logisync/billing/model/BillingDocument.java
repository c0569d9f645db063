package com.logisync.billing.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One document of a case at ERP, under its own idempotency key: the first invoice once issued, a
 * supplementary invoice for late charges, a credit note voiding an invoice, the invoice that rebills
 * it. Asked for in {@code seq} order per case, each exactly once.
 */
@Entity
@Table(name = "billing_document")
public class BillingDocument {

    public static final String INVOICE = "INVOICE";
    public static final String SUPPLEMENTARY_INVOICE = "SUPPLEMENTARY_INVOICE";
    public static final String CREDIT_NOTE = "CREDIT_NOTE";
    public static final String REQUESTED = "REQUESTED";
    public static final String ISSUED = "ISSUED";
    public static final String FAILED = "FAILED";

    @Id
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "shipment_id")
    public String shipmentId;
    public int seq;
    public String kind;
    public String state;
    /** What ERP is asked to issue, frozen so every retry sends the same document. */
    @Column(name = "rating_json")
    public String ratingJson;
    public String currency;
    public BigDecimal total;
    /** The document a credit note voids, or a supplementary invoice adds to. */
    @Column(name = "original_key")
    public String originalKey;
    /** The credit note that voided this invoice. */
    @Column(name = "credited_by")
    public String creditedBy;
    @Column(name = "erp_document_id")
    public String erpDocumentId;
    @Column(name = "requested_by")
    public String requestedBy;
    public String reason;
    @Column(name = "requested_at")
    public Instant requestedAt;
    @Column(name = "issued_at")
    public Instant issuedAt;
    public String error;
    public int attempts;
    public int rejections;
    @Column(name = "consecutive_failures")
    public int consecutiveFailures;
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    @Column(name = "claimed_until")
    public Instant claimedUntil;
    @Column(name = "claim_token")
    public String claimToken;

    public boolean isInvoice() {
        return INVOICE.equals(kind) || SUPPLEMENTARY_INVOICE.equals(kind);
    }
}
