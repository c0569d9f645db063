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
        Instant releasedAt) implements ShipmentEvent {

    public OrderReleased {
        lines = lines == null ? List.of() : List.copyOf(lines);
        stops = stops == null ? List.of() : List.copyOf(stops);
    }
}
