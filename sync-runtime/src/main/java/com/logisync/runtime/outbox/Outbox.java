package com.logisync.runtime.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.EventType;
import com.logisync.contracts.LogiSyncEvent;
import com.logisync.runtime.repository.SessionSql;
import com.logisync.runtime.tracing.TraceContexts;
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
            + " values ($1, $2, $3, $4, $5, $6)";

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
        String eventId = fastUuid();
        String payload;
        try {
            payload = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("Cannot serialise " + type, e));
        }
        // A plain statement on the session's connection (SessionSql), not Hibernate's native query: that flushes the
        // whole session first, and a consumer batch that publishes an event per case walked every case of the batch
        // for each one (billing applied 47-76 orders/s, docs/benchmarks.md). The row is the transaction's like any
        // other; the entities are flushed at the commit, or before a query that reads them.
        return SessionSql.update(INSERT, eventId, type.topic(), event.partitionKey(), type.ceType(), payload, traceparent)
                .replaceWith(eventId);
    }

    /**
     * A time-ordered (version 7, RFC 9562) UUID: 48 bits of Unix milliseconds, then 74 random bits from
     * a thread-local generator. Event ids need uniqueness, not unpredictability ({@link UUID#randomUUID()}
     * draws on SecureRandom, which was a tenth of the batch path's CPU), and ids that grow with time
     * keep every consumer's ledger index ({@code processed_event}, keyed by the event id) an append at
     * its right edge instead of an insert at a random page of an index larger than the buffer cache.
     * Their text sorts as their time does (fixed-width lower-case hex, the time first).
     */
    public static String fastUuid() {
        return fastUuid(System.currentTimeMillis());
    }

    static String fastUuid(long epochMillis) {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (epochMillis << 16) | 0x7000L | (r.nextInt() & 0x0fffL);
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
