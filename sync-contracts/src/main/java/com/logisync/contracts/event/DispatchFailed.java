package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** The dispatch platform rejected the shipment for good. */
@RegisterForReflection
public record DispatchFailed(Correlation correlation, String tmsSystem, String reason, int attempts, Instant failedAt)
        implements ShipmentEvent {
}
