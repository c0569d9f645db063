package com.logisync.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.OrderLine;
import com.logisync.contracts.model.Stop;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/** ERP released an order and LogiSync accepted it as a shipment. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderReleased(Correlation correlation, String serviceLevel, List<OrderLine> lines, List<Stop> stops,
        Instant releasedAt, com.logisync.contracts.model.ContractTerms contract) implements ShipmentEvent {

    public OrderReleased {
        lines = lines == null ? List.of() : List.copyOf(lines);
        stops = stops == null ? List.of() : List.copyOf(stops);
    }

    /** An order before its contract is decided (order release decides it with {@link #withContract}). */
    public OrderReleased(Correlation correlation, String serviceLevel, List<OrderLine> lines, List<Stop> stops,
            Instant releasedAt) {
        this(correlation, serviceLevel, lines, stops, releasedAt, null);
    }

    /** The same order, priced under these contract terms. */
    public OrderReleased withContract(com.logisync.contracts.model.ContractTerms terms) {
        return new OrderReleased(correlation, serviceLevel, lines, stops, releasedAt, terms);
    }
}
