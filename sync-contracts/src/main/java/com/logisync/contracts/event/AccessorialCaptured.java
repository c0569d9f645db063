package com.logisync.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.StopType;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A chargeable service observed during the shipment, with its evidence: detention from arrival and
 * departure at a stop beyond the contract's free time ({@code DTL} at pickup, {@code DTU} at
 * delivery, minutes billable as quantity), or a driver-reported accessorial such as liftgate
 * ({@code LFT}) or lumper ({@code UNL}, with the receipt). Billing decides whether it is approved;
 * this event only says it happened. {@code accessorialId} is deterministic, so it is captured once.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccessorialCaptured(String accessorialId, Correlation correlation, String chargeCode,
        BigDecimal quantity, String unit, StopType stopType, Instant startedAt, Instant endedAt, String evidence,
        String receiptRef, Source source, Instant capturedAt) implements ShipmentEvent {
}
