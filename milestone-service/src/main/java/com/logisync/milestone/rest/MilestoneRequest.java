package com.logisync.milestone.rest;

import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.SourceSystem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** A milestone in LogiSync's canonical JSON, as carriers and integrators post it. */
@Schema(description = "A canonical milestone report")
@Timed
public record MilestoneRequest(
        @Schema(description = "The reporter's own id of this event; with the source and partner it makes the event id",
                example = "evt-000981")
        @NotBlank @Size(max = 100) String sourceEventId,
        @Schema(description = "Defaults to REST_API") SourceSystem sourceSystem,
        @Schema(example = "SWIFT") @NotBlank @Size(max = 40) String partnerId,
        @NotNull MilestoneType milestone,
        @Schema(description = "Defaults to ACTUAL") Classifier classifier,
        @Schema(description = "When it happened, with its UTC offset (or give localEventTime instead)",
                example = "2026-12-02T15:42:00-06:00")
        OffsetDateTime eventTime,
        @Size(max = 20) String sourceStatusCode,
        @NotNull @Valid Keys references,
        Location location,
        Reason reason,
        @Valid Pod pod,
        @Schema(description = "When it happened, in the stop's local time without offset, as EDI and many telematics"
                + " feeds report it: resolved to UTC with the stop's IANA zone from the order", example = "2026-12-02T15:42:00")
        LocalDateTime localEventTime,
        @Schema(description = "The IANA zone of the place the milestone was reported from, where the reporter knows it:"
                + " resolves localEventTime before the stop's zone is tried", example = "America/Denver")
        @Size(max = 64) String localTimeZone) {

    /** A report with a local time whose zone is left to the stop. */
    public MilestoneRequest(String sourceEventId, SourceSystem sourceSystem, String partnerId, MilestoneType milestone,
            Classifier classifier, OffsetDateTime eventTime, String sourceStatusCode, Keys references, Location location,
            Reason reason, Pod pod, LocalDateTime localEventTime) {
        this(sourceEventId, sourceSystem, partnerId, milestone, classifier, eventTime, sourceStatusCode, references,
                location, reason, pod, localEventTime, null);
    }

    /** The canonical JSON shape without a local time (the common case). */
    public MilestoneRequest(String sourceEventId, SourceSystem sourceSystem, String partnerId, MilestoneType milestone,
            Classifier classifier, OffsetDateTime eventTime, String sourceStatusCode, Keys references, Location location,
            Reason reason, Pod pod) {
        this(sourceEventId, sourceSystem, partnerId, milestone, classifier, eventTime, sourceStatusCode, references,
                location, reason, pod, null, null);
    }


    /** Any business key that identifies the shipment; at least one. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ShipmentKeys")
    public record Keys(@Size(max = 64) String shipmentId, @Size(max = 64) String orderId, @Size(max = 64) String loadId,
            @Size(max = 64) String bol, @Size(max = 64) String pro, @Size(max = 64) String po) {

        @AssertTrue(message = "must name at least one of shipmentId, orderId, loadId, bol, pro, po")
        @Schema(hidden = true)
        public boolean isAnyKey() {
            // As !refKeys().isEmpty(), without building the keys (validated for every report of every batch).
            return named(shipmentId) || named(loadId) || named(orderId) || named(bol) || named(pro) || named(po);
        }

        /** The keys as {@code TYPE:value}, most specific first. */
        public List<String> refKeys() {
            List<String> keys = new ArrayList<>(4); // a report names one or two (an empty list would grow to ten)
            add(keys, "SHIPMENT", shipmentId);
            add(keys, "LOAD", loadId);
            add(keys, "ORDER", orderId);
            add(keys, "BOL", bol);
            add(keys, "PRO", pro);
            add(keys, "PO", po);
            return keys;
        }

        /** {@link MilestoneRequest#plainlyValid()} for the keys: at most 64 characters each, at least one named. */
        boolean plainlyValid() {
            return atMost(shipmentId, 64) && atMost(orderId, 64) && atMost(loadId, 64) && atMost(bol, 64)
                    && atMost(pro, 64) && atMost(po, 64) && isAnyKey();
        }

        private static boolean named(String value) {
            return value != null && !value.isBlank();
        }

        private static void add(List<String> keys, String type, String value) {
            if (named(value)) {
                keys.add(type + ":" + value);
            }
        }
    }

    /** A signed POD; an EDI signer comes without its own time and is taken as signed at the delivery. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "PodReport")
    public record Pod(@NotBlank @Size(max = 120) String signedBy, @NotNull OffsetDateTime signedAt,
            @Size(max = 120) String documentRef, @Size(max = 1000) String osdNotes) {

        /** {@link MilestoneRequest#plainlyValid()} for the POD. */
        boolean plainlyValid() {
            return notBlank(signedBy, 120) && signedAt != null && atMost(documentRef, 120) && atMost(osdNotes, 1000);
        }
    }

    /**
     * Whether every constraint on this report holds, checked by hand: the batch endpoint asks this of each of up to
     * 1,000 reports, and Bean Validation's walk of the same constraints was 4 % of milestone-service's CPU on the
     * benchmark (async-profiler, 2026-12-04). {@code false} means "ask the validator", which names every violation;
     * {@code true} is given only where the validator finds none (MilestoneRequestValidityTest checks both on every
     * edge of every constraint, and fails when a constraint is added here without a check).
     */
    public boolean plainlyValid() {
        return notBlank(sourceEventId, 100) && notBlank(partnerId, 40) && milestone != null
                && (eventTime != null || localEventTime != null) && atMost(sourceStatusCode, 20)
                && references != null && references.plainlyValid() && (pod == null || pod.plainlyValid())
                && atMost(localTimeZone, 64);
    }

    /** {@code @NotBlank @Size(max)} as Hibernate Validator decides them: not null, not blank ({@code String#isBlank}), not longer. */
    private static boolean notBlank(String value, int max) {
        return value != null && value.length() <= max && !value.isBlank();
    }

    /** {@code @Size(max)}: null or not longer. */
    private static boolean atMost(String value, int max) {
        return value == null || value.length() <= max;
    }

    public SourceSystem effectiveSource() {
        return sourceSystem == null ? SourceSystem.REST_API : sourceSystem;
    }

    public Classifier effectiveClassifier() {
        return classifier == null ? Classifier.ACTUAL : classifier;
    }

    /** Deterministic: originating party + the source's own id, so a repeat is recognised. */
    public String eventId() {
        return effectiveSource() + ":" + partnerId + ":" + sourceEventId;
    }
}
