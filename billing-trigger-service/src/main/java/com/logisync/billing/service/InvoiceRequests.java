package com.logisync.billing.service;

import com.logisync.billing.client.ErpInvoiceApi;
import com.logisync.billing.model.BillingCase;
import com.logisync.billing.model.BillingPodDocument;

import java.util.Base64;
import java.util.List;

/** What ERP is sent for one document of a case: the frozen rating with the case's references and POD. */
public final class InvoiceRequests {

    private InvoiceRequests() {
    }

    public static ErpInvoiceApi.InvoiceRequest build(BillingCase b, RatingEngine.Rating rating, int revision,
            String documentType, String originalInvoiceId, BillingPodDocument document, boolean withContent) {
        // document: metadata always, content only when the shipper wants the POD with the invoice
        List<String> refs = BillingCaseService.referenceKeys(b);
        ErpInvoiceApi.PodDocument pod = document == null ? null
                : new ErpInvoiceApi.PodDocument(document.fileName, document.contentType, document.sizeBytes,
                        document.sha256, withContent ? Base64.getEncoder().encodeToString(document.content) : null);
        return new ErpInvoiceApi.InvoiceRequest(b.shipmentId, b.orderId, b.customerId, b.loadId, rating.contractId(),
                revision, rating.currency(), rating.lines().stream().map(l -> new ErpInvoiceApi.InvoiceLine(
                        l.code(), l.description(), l.quantity(), l.unit(), l.rate(), l.amount(), l.basis(),
                        l.currency() != null ? l.currency() : rating.currency(), l.rateQualifier())).toList(),
                rating.total(), b.deliveredAt, b.podSignedBy == null ? null
                        : new ErpInvoiceApi.Pod(b.podSignedBy, b.podSignedAt, b.podDocumentRef), rating.contractVersion(),
                new ErpInvoiceApi.References(values(refs, "PO:"), first(values(refs, "BOL:")), first(values(refs, "PRO:"))),
                documentType, originalInvoiceId, pod);
    }

    private static List<String> values(List<String> keys, String prefix) {
        return keys.stream().filter(k -> k.startsWith(prefix)).map(k -> k.substring(prefix.length())).toList();
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? null : values.get(0);
    }
}
