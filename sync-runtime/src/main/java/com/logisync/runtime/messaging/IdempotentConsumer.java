package com.logisync.runtime.messaging;

import com.logisync.runtime.config.LogiSyncConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.function.Function;

/**
 * Applies each event at most once per consumer. The ledger row and the event's effect are written
 * in the caller's transaction, so a redelivered event (at-least-once delivery, a replayed
 * partition, an outbox batch re-sent after a crash) is recognised and skipped: effectively once.
 * Call it from an {@code @Incoming} method annotated {@code @WithTransaction}.
 */
@ApplicationScoped
public class IdempotentConsumer {

    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);
    private static final String RECORD = "insert into processed_event (consumer, event_id) values (:consumer, :eventId)"
            + " on conflict do nothing";

    private final CloudEventDecoder decoder;
    private final String consumer;

    public IdempotentConsumer(CloudEventDecoder decoder, LogiSyncConfig config) {
        this.decoder = decoder;
        this.consumer = config.serviceName();
    }

    /** Decodes the record and, if this consumer has not applied it before, applies {@code effect}. */
    public Uni<Void> apply(ConsumerRecord<String, String> record, Function<IncomingEvent, Uni<Void>> effect) {
        var event = decoder.decode(record);
        if (event.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        IncomingEvent e = event.get();
        MDC.put("shipmentId", e.shipmentId());
        return firstDelivery(e.eventId()).chain(first -> {
            if (!first) {
                LOG.debugf("Skipping redelivered event %s (%s)", e.eventId(), e.type());
                return Uni.createFrom().voidItem();
            }
            return effect.apply(e);
        });
    }

    /** Records the event id; true when this is the first time this consumer sees it. */
    public Uni<Boolean> firstDelivery(String eventId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(RECORD)
                .setParameter("consumer", consumer)
                .setParameter("eventId", eventId)
                .executeUpdate())
                .map(rows -> rows == 1);
    }
}
