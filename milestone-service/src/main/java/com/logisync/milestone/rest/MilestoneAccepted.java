package com.logisync.milestone.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What happened to a reported milestone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MilestoneAccepted(String eventId, Outcome outcome, String shipmentId, Long delayMinutes, Boolean late,
        Boolean outOfOrder, java.util.List<String> candidates) {

    public MilestoneAccepted(String eventId, Outcome outcome, String shipmentId, Long delayMinutes, Boolean late,
            Boolean outOfOrder) {
        this(eventId, outcome, shipmentId, delayMinutes, late, outOfOrder, null);
    }

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "AcceptanceOutcome")
    public enum Outcome {
        /** Recorded and published. */
        RECORDED,
        /** Seen before; nothing new was published. */
        DUPLICATE,
        /** No shipment matches its keys yet; kept and released when the order arrives. */
        PARKED,
        /** Its keys name several shipments (a PO split over loads): kept for ops with the candidates, attached to none. */
        AMBIGUOUS
    }
}
