package com.logisync.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A recorded milestone was corrected, because status only moves forward and a wrong report must be
 * undone by a fact of its own: VOID (it no longer counts), RETIME (it happened at {@code eventTime}),
 * or RECORD_POD (an ops user attaches a POD received by other means, a scanned paper POD, to a
 * delivery, or milestone-service when the dispatch names the carrier whose partner reported a POD before
 * it; for a delivery that partner reported unsigned, the POD is the verdict alone, {@code verified} and no
 * signer). {@code correctedBy} is the token's subject, or {@code milestone-service} for such a POD;
 * {@code statusAfter} the shipment's status recomputed without (or with) it.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MilestoneCorrected(
        Correlation correlation,
        String correctionId,
        String correctedEventId,
        MilestoneType milestone,
        Action action,
        String reason,
        String correctedBy,
        EventTime eventTime,
        ProofOfDelivery pod,
        Instant correctedAt,
        MilestoneType statusAfter,
        Instant statusAfterTime) implements ShipmentEvent {

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CorrectionAction")
    public enum Action {
        VOID, RETIME, RECORD_POD
    }
}
