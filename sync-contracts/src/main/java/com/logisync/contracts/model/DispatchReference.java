package com.logisync.contracts.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** What the dispatch platform (TMS) assigned to the shipment. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DispatchReference(String loadId, String routeId, String carrier, String driver, String vehicle,
        Instant plannedPickup, Instant plannedDelivery, String tmsSystem) {
}
