package com.logisync.billing.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** ERP's invoicing API (base URL: {@code quarkus.rest-client.erp.url}). One invoice per Idempotency-Key. */
@RegisterRestClient(configKey = "erp")
@Path("/erp/api/v1/invoices")
public interface ErpInvoiceApi {

    @POST
    Uni<InvoiceCreated> issue(@HeaderParam("Idempotency-Key") String idempotencyKey, InvoiceRequest request);

    record Pod(String signedBy, Instant signedAt, String documentRef) {
    }

    /** A charge line: {@code rateQualifier} PER_UNIT (money per unit) or PERCENT_OF_LINEHAUL (fuel). */
    record InvoiceLine(String code, String description, BigDecimal quantity, String unit, BigDecimal rate,
            BigDecimal amount, String basis, String currency, String rateQualifier) {
    }

    /** The references ERP and the shipper match the invoice with. */
    record References(List<String> poNumbers, String bol, String pro) {
    }

    /**
     * The POD document uploaded to the billing case: always referenced (name, type, size, SHA-256);
     * its content (base64) only when the shipper's contract wants the POD with the invoice.
     */
    record PodDocument(String fileName, String contentType, int sizeBytes, String sha256, String contentBase64) {
    }

    /**
     * A document ERP is asked to issue: {@code documentType} INVOICE (the first, or the one that
     * rebills a voided invoice), SUPPLEMENTARY_INVOICE (charges that came after the invoice) or
     * CREDIT_NOTE (voids {@code originalInvoiceId}, amounts negative).
     */
    record InvoiceRequest(String shipmentId, String orderId, String customerId, String loadId, String contractId,
            int ratingRevision, String currency, List<InvoiceLine> lines, BigDecimal total, Instant deliveredAt,
            Pod pod, Long contractVersion, References references, String documentType, String originalInvoiceId,
            PodDocument podDocument) {
    }

    /** ERP's id of the issued document (an invoice's or a credit note's). */
    record InvoiceCreated(String invoiceId) {
    }
}
