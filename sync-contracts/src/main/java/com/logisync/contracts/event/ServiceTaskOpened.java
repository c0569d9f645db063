package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A proactive service task for the CRM: a shipment's delay passed its customer's threshold. One task
 * per shipment and reason ({@code taskId} = {@code <shipmentId>:<reason>}); a growing delay raises
 * its severity ({@link ServiceTaskEscalated}), a delivery or an agent resolves it ({@link ServiceTaskResolved}).
 */
@RegisterForReflection
public record ServiceTaskOpened(Correlation correlation, String taskId, String reason, String severity,
        long delayMinutes, int thresholdMinutes, String detail, Instant openedAt) implements ShipmentEvent {
}
