package com.logisync.contracts.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The contract an order was released under, decided once at release (or amendment) and carried on
 * the order's events: the contract id and the ERP version of it, and the lane (its origin and
 * destination as the contract writes them) with the service level. Billing rates with exactly this.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContractTerms(String contractId, long version, String originRegion, String destinationRegion,
        String serviceLevel) {
}
