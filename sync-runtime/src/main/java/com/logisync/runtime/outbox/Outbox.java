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

    /** An event to store, already serialised, under its trace. */
    public record Pending(LogiSyncEvent event, String payload, String traceparent) {
    }

    /**
     * Stores many events with one statement per 500 (the batch and EDI paths): the same rows as
     * {@link #enqueue(LogiSyncEvent, String)} one by one, without a round trip each.
     */
    public Uni<Integer> enqueueAll(java.util.List<Pending> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (int from = 0; from < events.size(); from += 500) {
            java.util.List<Pending> chunk = events.subList(from, Math.min(events.size(), from + 500));
            StringBuilder sql = new StringBuilder("insert into outbox_event"
                    + " (event_id, topic, partition_key, ce_type, payload, traceparent) values ");
            java.util.List<Object> params = new java.util.ArrayList<>(chunk.size() * 6);
            for (int i = 0; i < chunk.size(); i++) {
                Pending p = chunk.get(i);
                EventType type = EventType.of(p.event());
                int b = i * 6;
                sql.append(i == 0 ? "" : ", ").append("(?").append(b + 1).append(", ?").append(b + 2).append(", ?")
                        .append(b + 3).append(", ?").append(b + 4).append(", ?").append(b + 5).append(", ?")
                        .append(b + 6).append(')');
                params.add(UUID.randomUUID().toString());
                params.add(type.topic());
                params.add(p.event().partitionKey());
                params.add(type.ceType());
                params.add(p.payload());
                params.add(p.traceparent());
            }
            chain = chain.chain(done -> Panache.getSession().chain(session -> {
                var query = session.createNativeQuery(sql.toString());
                for (int k = 0; k < params.size(); k++) {
                    query.setParameter(k + 1, params.get(k));
                }
                return query.executeUpdate();
            }).map(n -> done + n));
        }
        return chain;
    }
}
