package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** The delay behind an open service task grew past the next severity. */
@RegisterForReflection
public record ServiceTaskEscalated(Correlation correlation, String taskId, String severity, long delayMinutes,
        String detail, Instant escalatedAt) implements ShipmentEvent {
}
