package com.logisync.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * ERP cancelled the order before pickup. Published when LogiSync accepts the cancellation; the
 * load is then cancelled at the TMS (durably, like the handoff). A cancelled shipment is never billed.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderCancelled(Correlation correlation, String reason, Instant cancelledAt) implements ShipmentEvent {
}
