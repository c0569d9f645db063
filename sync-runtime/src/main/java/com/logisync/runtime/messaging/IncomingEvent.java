package com.logisync.runtime.messaging;

import com.logisync.contracts.EventType;
import com.logisync.contracts.ShipmentEvent;

import java.time.Instant;

/**
 * A decoded CloudEvent from a LogiSync topic: its attributes, its payload and the trace context it
 * was published under.
 */
public record IncomingEvent(String eventId, EventType type, String source, Instant time, ShipmentEvent payload,
        String traceparent) {

    public String shipmentId() {
        return payload.correlation().shipmentId();
    }

    /** The trace id the producing step ran under, or null. */
    public String traceId() {
        return com.logisync.runtime.tracing.TraceContexts.traceIdOf(traceparent);
    }
}
