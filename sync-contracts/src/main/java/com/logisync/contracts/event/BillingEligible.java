package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** Every billing rule is met: the shipment can be rated and invoiced. */
@RegisterForReflection
public record BillingEligible(Correlation correlation, Instant deliveredAt, Instant podReceivedAt, Instant eligibleAt)
        implements ShipmentEvent {
}
