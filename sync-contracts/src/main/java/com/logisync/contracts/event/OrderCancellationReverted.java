package com.logisync.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A cancellation LogiSync accepted was refused by the TMS because the goods were already picked up
 * (order-sync's pickup guard reads a consumer that may lag): the cancellation is undone, the order is
 * dispatched again for everyone, and billing bills the shipment as usual. {@code reason} is the TMS's.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderCancellationReverted(Correlation correlation, String reason, Instant revertedAt)
        implements ShipmentEvent {
}
