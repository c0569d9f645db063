package com.logisync.contracts.milestone;

import java.time.Instant;

/**
 * The one rule every consumer uses to decide a shipment's status from its milestones, whatever
 * order they arrive in: only ACTUAL milestones that move a shipment forward count; a higher
 * progress rank wins; between equal ranks the later event time wins. A late or out-of-order event
 * therefore never regresses the status.
 */
public final class StatusPrecedence {

    private StatusPrecedence() {
    }

    /** A status candidate: the milestone and when it happened. */
    public record Status(MilestoneType milestone, Instant eventTime) {
    }

    /** Whether {@code candidate} should replace {@code current} (which may be null) as the status. */
    public static boolean supersedes(Status current, MilestoneType candidate, Classifier classifier, Instant eventTime) {
        if (classifier != Classifier.ACTUAL || !candidate.movesStatus()) {
            return false;
        }
        if (current == null) {
            return true;
        }
        int byRank = Integer.compare(candidate.progressRank(), current.milestone().progressRank());
        if (byRank != 0) {
            return byRank > 0;
        }
        return eventTime.isAfter(current.eventTime());
    }

    /** The status after {@code candidate}: either the candidate or the unchanged current status. */
    public static Status apply(Status current, MilestoneType candidate, Classifier classifier, Instant eventTime) {
        return supersedes(current, candidate, classifier, eventTime) ? new Status(candidate, eventTime) : current;
    }
}
