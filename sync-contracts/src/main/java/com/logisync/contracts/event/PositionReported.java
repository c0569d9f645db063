package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * The last known position of the vehicle carrying a shipment. Telematics pings arrive every few
 * seconds; milestone-service publishes at most one of these per shipment per interval
 * ({@code logisync.telematics.position-every}, 5 minutes by default), so consumers see where the
 * freight is without the ping stream. A consumer keeps the one with the latest {@code reportedAt}.
 */
@RegisterForReflection
public record PositionReported(Correlation correlation, String vehicleId, double latitude, double longitude,
        Double speedKph, Double headingDeg, Instant reportedAt) implements ShipmentEvent {
}
