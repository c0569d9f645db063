package com.logisync.contracts.event;

import com.logisync.contracts.LogiSyncEvent;
import com.logisync.contracts.milestone.MilestoneType;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * milestone-service kept a report that names no known shipment (UNMATCHED: recorded as soon as an
 * order carrying one of its keys arrives) or several (AMBIGUOUS, with the candidates, for ops). Not a
 * shipment event: it has no shipment yet. service-view lists such reports as stuck once they wait
 * longer than {@code logisync.monitor.parked-unmatched}, until a {@code MilestoneRecorded} with the
 * same event id shows the report was matched.
 */
@RegisterForReflection
public record MilestoneParked(String eventId, String partnerId, MilestoneType milestone, Instant eventTime,
        List<String> keys, String status, List<String> candidates, Instant parkedAt) implements LogiSyncEvent {

    /** Keyed by the report's event id: a report's parking and nothing else share no order with it. */
    @Override
    public String partitionKey() {
        return "parked:" + eventId;
    }
}
