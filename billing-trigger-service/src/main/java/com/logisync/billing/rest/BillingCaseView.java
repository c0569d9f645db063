package com.logisync.billing.rest;

import com.logisync.billing.service.RatingEngine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.billing.model.BillingStatus;
import com.logisync.billing.service.BillingCaseService;
import com.logisync.billing.service.BillingEligibilityRules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A billing case with its eligibility checklist (each rule, met or not, and what is missing), accessorials and exceptions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BillingCaseView(String shipmentId, String orderId, String customerId, String loadId, BillingStatus status,
        Instant deliveredAt, Pod pod, Instant eligibleAt, List<BillingEligibilityRules.Check> checklist,
        List<Accessorial> accessorials, List<CaseException> exceptions, Invoice invoice, List<Document> documents,
        PodDocument podDocument, Instant supplementDueAt) {

    /**
     * A document at ERP after the first invoice request: INVOICE (the first, once issued, or a rebill),
     * SUPPLEMENTARY_INVOICE (late charges) or CREDIT_NOTE (voids {@code originalKey}); its state
     * (REQUESTED, ISSUED, FAILED), ERP's id, the lines it bills, and who asked for it and why.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ErpDocument")
    public record Document(int seq, String kind, String state, String idempotencyKey, String erpDocumentId,
            String currency, BigDecimal total, List<RatingEngine.Line> lines, String originalKey, String creditedBy,
            String requestedBy, String reason, Instant requestedAt, Instant issuedAt, int attempts, String lastError,
            Instant nextAttemptAt) {
    }

    /** The uploaded POD document (its content: GET .../pod-document). */
    public record PodDocument(String fileName, String contentType, int sizeBytes, String sha256, String uploadedBy,
            Instant uploadedAt) {
    }

    /**
     * Where the ERP invoice stands: the rating revision and key ERP is asked with, ERP's invoice id
     * once issued, and while it is not, the attempts, the last error and when the next try is due.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CaseInvoice")
    public record Invoice(Integer ratingRevision, String idempotencyKey, String invoiceId, String currency,
            BigDecimal total, Instant invoicedAt, Instant failedAt, int attempts, String lastError,
            Instant nextAttemptAt) {
    }

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CasePod")
    public record Pod(String signedBy, Instant signedAt, String documentRef) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CaseAccessorial")
    public record Accessorial(String accessorialId, String chargeCode, BigDecimal quantity, String unit, String status,
            String decidedBy, String reason, String evidence, String receiptRef, Instant startedAt, Instant endedAt,
            String billedIn) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CaseException(String exceptionId, String kind, Instant openedAt, String detail, Instant resolvedAt,
            String resolution) {
    }

    public static BillingCaseView of(BillingCaseService.CaseDetails d) {
        var b = d.billingCase();
        return new BillingCaseView(b.shipmentId, b.orderId, b.customerId, b.loadId, b.status, b.deliveredAt,
                b.podSignedBy == null ? null : new Pod(b.podSignedBy, b.podSignedAt, b.podDocumentRef), b.eligibleAt,
                d.checklist(),
                d.accessorials().stream().map(a -> new Accessorial(a.accessorialId, a.chargeCode, a.quantity, a.unit,
                        a.status, a.decidedBy, a.reason, a.evidence, a.receiptRef, a.startedAt, a.endedAt, a.billedIn))
                        .toList(),
                d.exceptions().stream().map(e -> new CaseException(e.exceptionId, e.kind, e.openedAt, e.detail,
                        e.resolvedAt, e.resolution)).toList(),
                b.status == BillingStatus.OPEN || b.status == BillingStatus.CANCELLED ? null
                        : new Invoice(b.ratingRevision == 0 ? null : b.ratingRevision, b.invoiceKey(), b.invoiceId,
                                b.invoiceCurrency, b.invoiceTotal, b.invoicedAt, b.invoiceFailedAt, b.invoiceAttempts,
                                b.invoiceError, b.nextInvoiceAt),
                d.documents().stream().map(x -> new Document(x.seq, x.kind, x.state, x.idempotencyKey, x.erpDocumentId,
                        x.currency, x.total, lines(x.ratingJson), x.originalKey, x.creditedBy, x.requestedBy, x.reason,
                        x.requestedAt, x.issuedAt, x.attempts, x.error, x.nextAttemptAt)).toList(),
                d.podDocument() == null ? null : new PodDocument(d.podDocument().fileName(),
                        d.podDocument().contentType(), d.podDocument().sizeBytes(), d.podDocument().sha256(),
                        d.podDocument().uploadedBy(), d.podDocument().uploadedAt()),
                b.supplementDueAt);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .findAndRegisterModules();

    private static List<RatingEngine.Line> lines(String ratingJson) {
        try {
            return JSON.readValue(ratingJson, RatingEngine.Rating.class).lines();
        } catch (Exception e) {
            return null;
        }
    }
}
