package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * ERP issued the shipment's invoice. {@code idempotencyKey} ({@code <shipmentId>:rating-<revision>})
 * is what billing asked ERP with; the same key never yields a second invoice.
 */
@RegisterForReflection
public record InvoiceIssued(Correlation correlation, String invoiceId, int ratingRevision, String idempotencyKey,
        String contractId, String currency, BigDecimal total, Instant eligibleAt, Instant issuedAt)
        implements ShipmentEvent {
}
