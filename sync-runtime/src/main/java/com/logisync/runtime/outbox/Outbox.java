package com.logisync.runtime.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.EventType;
import com.logisync.contracts.LogiSyncEvent;
import com.logisync.runtime.tracing.TraceContexts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * The write side of the transactional outbox: an event is stored in the same database transaction
 * as the state change it describes, so it is published if and only if that change commits.
 * Call it inside the caller's {@code @WithTransaction}; {@link OutboxRelay} publishes the rows.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = "insert into outbox_event"
            + " (event_id, topic, partition_key, ce_type, payload, traceparent)"
            + " values (:eventId, :topic, :partitionKey, :ceType, :payload, :traceparent)";

    private final ObjectMapper mapper;

    public Outbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Stores the event under the current trace; returns its CloudEvents id. */
    public Uni<String> enqueue(LogiSyncEvent event) {
        return enqueue(event, TraceContexts.currentTraceparent());
    }

    /**
     * Stores an event caused by a consumed one. It continues the current trace (the consumer span,
     * itself a child of the cause's) or, when nothing is current, the cause's own trace.
     */
    public Uni<String> enqueueFollowing(com.logisync.runtime.messaging.IncomingEvent cause, LogiSyncEvent event) {
        String current = TraceContexts.currentTraceparent();
        return enqueue(event, current != null ? current : cause.traceparent());
    }

    /** Stores the event under the given trace (a shipment's own trace, say); returns its CloudEvents id. */
    public Uni<String> enqueue(LogiSyncEvent event, String traceparent) {
        EventType type = EventType.of(event);
        String eventId = UUID.randomUUID().toString();
        String payload;
        try {
            payload = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("Cannot serialise " + type, e));
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                .setParameter("eventId", eventId)
                .setParameter("topic", type.topic())
                .setParameter("partitionKey", event.partitionKey())
                .setParameter("ceType", type.ceType())
                .setParameter("payload", payload)
                .setParameter("traceparent", traceparent)
                .executeUpdate())
                .replaceWith(eventId);
    }
}
