package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** A service task is closed: by the shipment's delivery, or by an agent with the resolution. */
@RegisterForReflection
public record ServiceTaskResolved(Correlation correlation, String taskId, String resolvedBy, String resolution,
        Instant resolvedAt) implements ShipmentEvent {
}
