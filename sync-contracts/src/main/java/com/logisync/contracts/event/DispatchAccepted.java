package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.DispatchReference;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** The dispatch platform accepted the shipment and assigned a load. */
@RegisterForReflection
public record DispatchAccepted(Correlation correlation, DispatchReference dispatch, Instant acceptedAt)
        implements ShipmentEvent {
}
