package com.logisync.testsupport;

import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Correlation;

import java.time.Instant;

/**
 * The {@code MilestoneRecorded} a test publishes, as milestone-service would: an ACTUAL report of
 * partner SWIFT over REST by default, received 30 s after it happened, with its event id made the way
 * milestone-service makes it ({@code <system>:<partner>:<source id>}). Change only what the test is about.
 */
public final class Milestones {

    private final Correlation correlation;
    private final String sourceEventId;
    private final MilestoneType type;
    private final Instant at;
    private Classifier classifier = Classifier.ACTUAL;
    private SourceSystem system = SourceSystem.REST_API;
    private String partner = "SWIFT";
    private String sourceCode;
    private long receivedAfterSeconds = 30;
    private Location location;
    private Reason reason;
    private ProofOfDelivery pod;
    private Enrichment enrichment;
    private java.time.LocalDateTime local;
    private String zoneId;

    private Milestones(Correlation correlation, String sourceEventId, MilestoneType type, Instant at) {
        this.correlation = correlation;
        this.sourceEventId = sourceEventId;
        this.type = type;
        this.at = at;
    }

    /** A report of {@code type} at {@code at} for the shipment, with the source's own id. */
    public static Milestones reported(Correlation correlation, String sourceEventId, MilestoneType type, Instant at) {
        return new Milestones(correlation, sourceEventId, type, at);
    }

    /** {@code SHP-x}'s correlation as order-sync makes it: order {@code ORD-SHP-x}, load {@code LD-SHP-x}. */
    public static Correlation correlation(String shipmentId, String customerId) {
        return new Correlation(shipmentId, "ORD-" + shipmentId, "LD-" + shipmentId, null, customerId, null);
    }

    public Milestones classifier(Classifier value) {
        this.classifier = value;
        return this;
    }

    /** Reported through another channel or by another partner (the event id follows). */
    public Milestones source(SourceSystem value, String partnerId, String code) {
        this.system = value;
        this.partner = partnerId;
        this.sourceCode = code;
        return this;
    }

    public Milestones receivedAfterSeconds(long seconds) {
        this.receivedAfterSeconds = seconds;
        return this;
    }

    public Milestones location(Location value) {
        this.location = value;
        return this;
    }

    public Milestones reason(Reason value) {
        this.reason = value;
        return this;
    }

    public Milestones pod(ProofOfDelivery value) {
        this.pod = value;
        return this;
    }

    /** The event time as reported where it happened: local date-time and the stop's zone (beside {@code at}). */
    public Milestones local(java.time.LocalDateTime value, String zone) {
        this.local = value;
        this.zoneId = zone;
        return this;
    }

    public Milestones enrichment(Enrichment value) {
        this.enrichment = value;
        return this;
    }

    public MilestoneRecorded build() {
        return new MilestoneRecorded(system.name() + ":" + partner + ":" + sourceEventId, 1, correlation, type,
                classifier, local == null ? EventTime.ofUtc(at)
                        : new EventTime(at, local, zoneId, com.logisync.contracts.milestone.TimeResolution.SOURCE_UTC),
                at.plusSeconds(receivedAfterSeconds), location, reason,
                new Source(system, partner, sourceEventId, sourceCode), pod, enrichment, false);
    }
}
