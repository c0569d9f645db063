package com.logisync.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A normalised, deduplicated and enriched milestone. {@code eventId} is deterministic (originating
 * party + the source's own id), so a redelivered report is recognised; {@code revision} grows when
 * the same event is updated. {@code outOfOrder} marks an event older than the shipment's current
 * status: recorded, but it did not move the status.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MilestoneRecorded(
        String eventId,
        int revision,
        Correlation correlation,
        MilestoneType milestone,
        Classifier classifier,
        EventTime eventTime,
        Instant receivedAt,
        Location location,
        Reason reason,
        Source source,
        ProofOfDelivery pod,
        Enrichment enrichment,
        boolean outOfOrder) implements ShipmentEvent {
}
