package com.logisync.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.OrderLine;
import com.logisync.contracts.model.Stop;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * ERP amended a released order before pickup. Carries the whole order as amended (not a diff), with
 * the contract terms decided again for it, so
 * a consumer needs no earlier event to apply it; {@code amendment} counts up from 1 and a consumer
 * ignores an amendment older than the one it has.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderAmended(Correlation correlation, int amendment, String serviceLevel, List<OrderLine> lines,
        List<Stop> stops, Instant amendedAt, com.logisync.contracts.model.ContractTerms contract) implements ShipmentEvent {

    public OrderAmended {
        lines = lines == null ? List.of() : List.copyOf(lines);
        stops = stops == null ? List.of() : List.copyOf(stops);
    }

    public OrderAmended(Correlation correlation, int amendment, String serviceLevel, List<OrderLine> lines,
            List<Stop> stops, Instant amendedAt) {
        this(correlation, amendment, serviceLevel, lines, stops, amendedAt, null);
    }
}
