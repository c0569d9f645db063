package com.logisync.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.logisync.contracts.EventType;
import com.logisync.contracts.LogiSyncEvent;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes a LogiSync event to the test broker exactly as another service's outbox relay would:
 * binary-mode CloudEvent keyed by shipment id, optionally under a trace.
 */
public final class EventPublisher {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private EventPublisher() {
    }

    /** Publishes the event and returns its CloudEvents id. */
    public static String publish(LogiSyncEvent event, String traceparent) {
        return publish(event, UUID.randomUUID().toString(), traceparent);
    }

    /** Publishes the event with the given CloudEvents id (to redeliver the same event). */
    public static String publish(LogiSyncEvent event, String ceId, String traceparent) {
        EventType type = EventType.of(event);
        Map<String, String> headers = new HashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", ceId);
        headers.put("ce_type", type.ceType());
        headers.put("ce_source", "/logisync/test");
        headers.put("ce_time", Instant.now().toString());
        headers.put("content-type", "application/json");
        if (traceparent != null) {
            headers.put("traceparent", traceparent);
        }
        try {
            KafkaRecords.send(type.topic(), event.partitionKey(), MAPPER.writeValueAsString(event), headers);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return ceId;
    }
}
