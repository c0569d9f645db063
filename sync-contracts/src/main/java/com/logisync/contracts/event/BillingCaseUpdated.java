package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The billing case as billing-trigger-service sees it now, for the service agent: each billing rule
 * with whether it is met, every accessorial with its decision, and the exceptions. Published when
 * any of that changes, with every document at ERP (invoices, supplementary invoices, credit notes). {@code caseVersion} grows with every change of the case, so a consumer keeps
 * the highest version it saw and a redelivered or older snapshot changes nothing.
 */
@RegisterForReflection
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record BillingCaseUpdated(Correlation correlation, long caseVersion, boolean eligible, List<Check> checklist,
        List<Accessorial> accessorials, List<BillingIssue> exceptions, Instant updatedAt, List<Document> documents)
        implements ShipmentEvent {

    /** A snapshot from a billing that sent no documents (older publishers). */
    public BillingCaseUpdated(Correlation correlation, long caseVersion, boolean eligible, List<Check> checklist,
            List<Accessorial> accessorials, List<BillingIssue> exceptions, Instant updatedAt) {
        this(correlation, caseVersion, eligible, checklist, accessorials, exceptions, updatedAt, null);
    }

    /**
     * A document at ERP: kind INVOICE, SUPPLEMENTARY_INVOICE or CREDIT_NOTE, state REQUESTED, ISSUED or
     * FAILED, ERP's id once issued, the document it credits or adds to, and its charge lines as ERP was
     * asked for them (absent from older publishers).
     */
    @RegisterForReflection
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "BillingDocument")
    public record Document(String idempotencyKey, String kind, String state, String erpDocumentId, String currency,
            BigDecimal total, String originalKey, String creditedBy, Instant requestedAt, Instant issuedAt,
            String reason, List<InvoiceRequested.Charge> charges) {

        public Document(String idempotencyKey, String kind, String state, String erpDocumentId, String currency,
                BigDecimal total, String originalKey, String creditedBy, Instant requestedAt, Instant issuedAt,
                String reason) {
            this(idempotencyKey, kind, state, erpDocumentId, currency, total, originalKey, creditedBy, requestedAt,
                    issuedAt, reason, null);
        }
    }

    /** One billing rule: POD_RECEIVED, ACCESSORIALS_DECIDED, NO_OPEN_EXCEPTION, ... */
    @RegisterForReflection
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "BillingCheck")
    public record Check(String rule, boolean met, String detail) {
    }

    /** A captured accessorial charge and its decision: PENDING, APPROVED (by AUTO or a clerk) or REJECTED. */
    @RegisterForReflection
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "BillingAccessorial")
    public record Accessorial(String accessorialId, String chargeCode, BigDecimal quantity, String unit,
            String status, String decidedBy, String reason, Instant decidedAt, String receiptRef, String evidence) {
    }

    /** An exception that holds billing until it is resolved (by a later delivery or a clerk). */
    @RegisterForReflection
    public record BillingIssue(String exceptionId, String kind, String detail, Instant openedAt, Instant resolvedAt,
            String resolution) {
    }
}
