package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Billing rated the shipment and asks ERP for the invoice under {@code idempotencyKey}: the charge
 * lines (linehaul, discount, fuel surcharge, accessorials) with their basis, as ERP will bill them.
 */
@RegisterForReflection
public record InvoiceRequested(Correlation correlation, int ratingRevision, String idempotencyKey, String contractId,
        String currency, List<Charge> charges, BigDecimal total, Instant requestedAt, Long contractVersion)
        implements ShipmentEvent {

    public InvoiceRequested(Correlation correlation, int ratingRevision, String idempotencyKey, String contractId,
            String currency, List<Charge> charges, BigDecimal total, Instant requestedAt) {
        this(correlation, ratingRevision, idempotencyKey, contractId, currency, charges, total, requestedAt, null);
    }

    @RegisterForReflection
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "InvoiceCharge")
    public record Charge(String code, String description, BigDecimal quantity, String unit, BigDecimal rate,
            BigDecimal amount, String basis, String currency, String rateQualifier) {

        public Charge(String code, String description, BigDecimal quantity, String unit, BigDecimal rate,
                BigDecimal amount, String basis) {
            this(code, description, quantity, unit, rate, amount, basis, null, null);
        }
    }
}
