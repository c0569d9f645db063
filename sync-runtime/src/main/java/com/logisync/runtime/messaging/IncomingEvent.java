package com.logisync.runtime.messaging;

import com.logisync.contracts.EventType;
import com.logisync.contracts.LogiSyncEvent;
import com.logisync.contracts.ShipmentEvent;

import java.time.Instant;

/**
 * A decoded CloudEvent from a LogiSync topic: its attributes, its payload and the trace context it
 * was published under.
 */
public record IncomingEvent(String eventId, EventType type, String source, Instant time, LogiSyncEvent payload,
        String traceparent) {

    /** The shipment the event is about, or null for an event that is not about one shipment (master data). */
    public String shipmentId() {
        return payload instanceof ShipmentEvent s ? s.correlation().shipmentId() : null;
    }

    /** The payload as a shipment event, or null for master data. */
    public ShipmentEvent shipmentEvent() {
        return payload instanceof ShipmentEvent s ? s : null;
    }

    /** The trace id the producing step ran under, or null. */
    public String traceId() {
        return com.logisync.runtime.tracing.TraceContexts.traceIdOf(traceparent);
    }
}
