package com.logisync.contracts.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Objects;

/**
 * The one correlation key strategy: every event carries every business key known so far, so any
 * of them finds the shipment.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Correlation(
        String shipmentId,
        String orderId,
        String loadId,
        String invoiceId,
        String customerId,
        List<ExternalReference> references) {

    public Correlation {
        Objects.requireNonNull(shipmentId, "shipmentId");
        references = references == null ? List.of() : List.copyOf(references);
    }

    public Correlation withLoadId(String newLoadId) {
        return new Correlation(shipmentId, orderId, newLoadId, invoiceId, customerId, references);
    }
}
