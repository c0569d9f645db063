package com.logisync.serviceview.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What a customer is told about its shipment: one event of the track-and-trace events API and the
 * {@code data} of every webhook. In the shape of the DCSA Track &amp; Trace standard where it fits
 * ({@code eventID}, {@code eventType} TRANSPORT or SHIPMENT, {@code eventClassifierCode} PLN/EST/ACT,
 * {@code eventDateTime} when it happened against {@code eventCreatedDateTime} when LogiSync learned it,
 * {@code transportEventTypeCode} ARRI/DEPA, {@code documentTypeCode} INV for an invoice), with the
 * customer's own references, the local time in the stop's zone beside UTC, the reason, the ETA and the POD.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "CustomerEvent")
public record CustomerEvent(
        @Schema(example = "0b6f3c1e-4a21-4c55-9d1b-1f2a3b4c5d6e") String eventID,
        @Schema(description = "What a subscription selects: `shipment.<milestone>` or `invoice.issued`",
                example = "shipment.delayed") String type,
        @Schema(enumeration = {"TRANSPORT", "SHIPMENT"}) String eventType,
        @Schema(enumeration = {"PLN", "EST", "ACT"}) String eventClassifierCode,
        @Schema(description = "When it happened (UTC)") Instant eventDateTime,
        @Schema(description = "When LogiSync recorded it (UTC)") Instant eventCreatedDateTime,
        @Schema(enumeration = {"ARRI", "DEPA"}) String transportEventTypeCode,
        @Schema(description = "DCSA shipment event code where one fits (ISSU for an invoice, CMPL for a delivery)")
        String shipmentEventTypeCode,
        @Schema(example = "INV") String documentTypeCode,
        @Schema(description = "The canonical milestone", example = "DELAYED") String milestone,
        String shipmentId,
        String customerId,
        References references,
        LocalTime eventLocalDateTime,
        Place location,
        Why reason,
        Eta eta,
        Pod pod,
        Invoice invoice) {

    /** The same event with the shipment's known references added to its own (each list without repeats). */
    public CustomerEvent withKnownReferences(List<String> pos, List<String> bols, List<String> pros) {
        References r = references == null ? new References(null, List.of(), List.of(), List.of(), null) : references;
        References merged = new References(r.orderId(), merge(r.purchaseOrders(), pos), merge(r.billsOfLading(), bols),
                merge(r.proNumbers(), pros), r.loadId());
        return new CustomerEvent(eventID, type, eventType, eventClassifierCode, eventDateTime, eventCreatedDateTime,
                transportEventTypeCode, shipmentEventTypeCode, documentTypeCode, milestone, shipmentId, customerId, merged,
                eventLocalDateTime, location, reason, eta, pod, invoice);
    }

    private static List<String> merge(List<String> a, List<String> b) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(a == null ? List.of() : a);
        if (b != null) {
            all.addAll(b);
        }
        return List.copyOf(all);
    }

    /** The customer's own references for the shipment. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @Schema(name = "CustomerReferences")
    public record References(String orderId, List<String> purchaseOrders, List<String> billsOfLading,
            List<String> proNumbers, String loadId) {
    }

    /**
     * The event time where it happened: in the zone the report named (REPORTED), else the stop's (STOP), else
     * the customer's (CUSTOMER).
     */
    @RegisterForReflection
    @Schema(name = "LocalEventTime")
    public record LocalTime(@Schema(example = "2026-12-02T09:00:00") String local,
            @Schema(example = "America/Chicago") String zoneId,
            @Schema(enumeration = {"REPORTED", "STOP", "CUSTOMER"}) String zoneSource) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "CustomerEventLocation")
    public record Place(String name, String locationCode, String city, String region, String country,
            Integer stopSequence, String stopType) {
    }

    /** Why: the canonical reason, the carrier's own code and its code list. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "CustomerEventReason")
    public record Why(@Schema(example = "WEATHER") String code, @Schema(example = "AO") String sourceCode,
            @Schema(example = "X12-1651") String codeList, String description) {
    }

    /** The delivery estimate: the carrier's latest, or one LogiSync predicted (labelled so). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "CustomerEventEta")
    public record Eta(Instant estimated, @Schema(enumeration = {"CARRIER", "PREDICTED"}) String kind,
            String local, String zoneId) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "CustomerEventPod")
    public record Pod(String signedBy, Instant signedAt, String documentRef, String osdNotes) {
    }

    /** The invoice ERP issued, line by line as billing asked for it. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "CustomerEventInvoice")
    public record Invoice(String invoiceId, String currency, BigDecimal total, Instant issuedAt, List<Line> lines,
            @Schema(enumeration = {"INVOICE", "SUPPLEMENTARY_INVOICE"}) String kind,
            @Schema(description = "For a supplementary invoice (late charges): the invoice it adds to") String originalInvoiceId) {

        public Invoice(String invoiceId, String currency, BigDecimal total, Instant issuedAt, List<Line> lines) {
            this(invoiceId, currency, total, issuedAt, lines, "INVOICE", null);
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "CustomerInvoiceLine")
    public record Line(String code, String description, BigDecimal quantity, String unit, BigDecimal rate,
            BigDecimal amount, String rateQualifier) {
    }
}
