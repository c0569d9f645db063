package com.logisync.runtime.messaging;

import com.logisync.runtime.config.LogiSyncConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Applies each event at most once per consumer. The ledger row and the event's effect are written
 * in one transaction, so a redelivered event (at-least-once delivery, a replayed partition, an
 * outbox batch re-sent after a crash) is recognised and skipped: effectively once.
 *
 * <p>A transient failure (a lock timeout, a serialization conflict with another channel or replica
 * working on the same shipment, the database restarting or away for minutes) rolls the transaction
 * back and is retried with backoff until it passes; only a record that can never be processed fails
 * for good and goes to the channel's dead-letter topic.
 */
@ApplicationScoped
public class IdempotentConsumer {

    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);
    /** Every event gets a ledger row: the effect cannot tell a redelivery by itself. */
    private static final Predicate<IncomingEvent> EVERY_EVENT = e -> true;
    /** No event gets a ledger row: the effect is idempotent by itself. */
    private static final Predicate<IncomingEvent> NO_EVENT = e -> false;
    private static final String RECORD = "insert into processed_event (consumer, event_id) values (:consumer, :eventId)"
            + " on conflict do nothing";

    private final CloudEventDecoder decoder;
    private final String consumer;
    private final LogiSyncConfig.Consumer retry;
    private final com.logisync.runtime.deadletter.DeadLetters deadLetters;

    private final com.logisync.runtime.tracing.ShipmentTrace trace;

    public IdempotentConsumer(CloudEventDecoder decoder, LogiSyncConfig config,
            com.logisync.runtime.deadletter.DeadLetters deadLetters, com.logisync.runtime.tracing.ShipmentTrace trace) {
        this.trace = trace;
        this.deadLetters = deadLetters;
        this.decoder = decoder;
        this.consumer = config.serviceName();
        this.retry = config.consumer();
    }

    /**
     * Decodes the record and, in a transaction of its own, applies {@code effect} unless this
     * consumer applied the event before. Call it from a plain {@code @Incoming} method.
     */
    public Uni<Void> apply(ConsumerRecord<String, String> record, Function<IncomingEvent, Uni<Void>> effect) {
        return deadLetterOnFailure(record, process(record, effect));
    }

    /**
     * A channel's processing that gave up on a record (poison, or failing for good) writes it to
     * {@code <topic>.dlq} with the reason and this service's name ({@link com.logisync.runtime.deadletter.DeadLetters}),
     * then lets the offset be committed; an operator redrives it after a fix.
     */
    public Uni<Void> deadLetterOnFailure(ConsumerRecord<String, String> record, Uni<Void> processing) {
        return processing.onFailure().recoverWithUni(failure -> deadLetters.send(record, failure));
    }

    /**
     * As {@link #apply}, failing instead of dead-lettering: a redrive answers with the failure. An event
     * type this version does not know (a newer producer during a rolling upgrade) is never committed
     * and dropped: it fails visibly, to be dead-lettered and redriven once this service knows it.
     */
    public Uni<Void> process(ConsumerRecord<String, String> record, Function<IncomingEvent, Uni<Void>> effect) {
        return process(record, effect, EVERY_EVENT);
    }

    /**
     * As {@link #process(ConsumerRecord, Function)}, writing a ledger row only for an event {@code ledger} selects:
     * the others the effect recognises by itself ({@link #applyBatch(java.util.List, Function, boolean, Predicate)}).
     */
    public Uni<Void> process(ConsumerRecord<String, String> record, Function<IncomingEvent, Uni<Void>> effect,
            Predicate<IncomingEvent> ledger) {
        Optional<IncomingEvent> decoded;
        try {
            decoded = decoder.decode(record);
        } catch (PoisonEventException e) {
            return Uni.createFrom().failure(e);
        }
        if (decoded.isEmpty()) {
            String type = CloudEventDecoder.header(record, "ce_type");
            return Uni.createFrom().failure(new PoisonEventException("Event type " + type + " (event "
                    + CloudEventDecoder.header(record, "ce_id") + ") is unknown to this version of " + consumer
                    + ": redrive it once " + consumer + " is upgraded", null));
        }
        IncomingEvent e = decoded.get();
        if (e.shipmentId() != null) {
            MDC.put("shipmentId", e.shipmentId());
        }
        return retrying(e.type() + " " + e.eventId(), () -> Panache.withTransaction(() -> (ledger.test(e)
                ? firstDelivery(e.eventId()) : Uni.createFrom().item(true))
                .chain(first -> {
                    if (!first) {
                        LOG.debugf("Skipping redelivered event %s (%s)", e.eventId(), e.type());
                        return Uni.createFrom().voidItem();
                    }
                    return effect.apply(e);
                })));
    }

    /**
     * The consumers' failure policy ({@link TransientFailures}), for channels that are not CloudEvents
     * too: a transient failure (the database away, a lock race) waits and is retried for as long as it
     * takes, never dead-lettered; a {@link PoisonEventException} is not retried, so the channel's
     * dead-letter strategy takes the record with its reason; anything else is retried
     * {@code logisync.consumer.max-retries} times first.
     */
    public Uni<Void> retrying(String what, java.util.function.Supplier<Uni<Void>> attempt) {
        return TransientFailures.retrying(what, attempt, retry.initialBackoff(), retry.maxBackoff(), retry.maxRetries());
    }

    /**
     * A batch that has not finished by then is taken for stalled (every statement has its own 30 s
     * timeout, so only a bug gets here) and retried, instead of holding its partition forever.
     */
    private static final java.time.Duration BATCH_STALLED = java.time.Duration.ofMinutes(2);

    /** The whole batch's ledger rows in one statement; answers the event ids recorded now (first deliveries). */
    private static final String RECORD_ALL = "insert into processed_event (consumer, event_id)"
            + " select $1, unnest($2::text[]) on conflict do nothing returning event_id";

    /**
     * Applies a polled batch of records (a channel with {@code batch=true}) in one transaction: one
     * ledger statement for every event id, then {@code effect} once with the events this consumer
     * sees for the first time, in offset order (so per-shipment order holds, as each shipment is one
     * partition's). A record that is not a readable event goes to the dead-letter topic on its own.
     * A transient failure (the database away, a lost lock race) rolls the batch back and retries it
     * until it passes; any other failure of the batch falls back to one transaction per record, so
     * only the record that really fails is dead-lettered and the others are applied.
     */
    public Uni<Void> applyBatch(java.util.List<ConsumerRecord<String, String>> records,
            Function<java.util.List<IncomingEvent>, Uni<Void>> effect) {
        return applyBatch(records, effect, true, EVERY_EVENT);
    }

    /** As {@link #applyBatch(java.util.List, Function)}; {@code traced} false for a replay, which leaves no spans. */
    public Uni<Void> applyBatch(java.util.List<ConsumerRecord<String, String>> records,
            Function<java.util.List<IncomingEvent>, Uni<Void>> effect, boolean traced) {
        return applyBatch(records, effect, traced, EVERY_EVENT);
    }

    /**
     * As {@link #applyBatch(java.util.List, Function)} for an effect that is idempotent by itself: applying an
     * event a second time leaves what the first time did (order-sync's "picked up at the first pickup, if not
     * yet"), so no ledger row is written: the ledger was most of the database's work per event for such a
     * consumer. Everything else holds: one transaction per batch, transient failures retried, a failing
     * record alone dead-lettered. Only for effects whose idempotence a test shows by redelivering.
     */
    public Uni<Void> applyIdempotentBatch(java.util.List<ConsumerRecord<String, String>> records,
            Function<java.util.List<IncomingEvent>, Uni<Void>> effect) {
        return applyBatch(records, effect, true, NO_EVENT);
    }

    /**
     * As {@link #applyBatch(java.util.List, Function)}, writing ledger rows only for the events {@code ledger}
     * selects. The effect is given the others whether they are new or not, and must recognise a redelivered one
     * itself, in the batch's transaction: service-view's timeline row, keyed by the milestone's id, tells which
     * milestones are new (a live batch that meets one fails with {@link RetryBatchException} and is retried with
     * {@code on conflict do nothing}), so a milestone costs no ledger row there.
     * Only for effects whose recognition a test shows by redelivering.
     */
    public Uni<Void> applyBatch(java.util.List<ConsumerRecord<String, String>> records,
            Function<java.util.List<IncomingEvent>, Uni<Void>> effect, boolean traced, Predicate<IncomingEvent> ledger) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        java.util.List<IncomingEvent> events = new java.util.ArrayList<>(records.size());
        java.util.List<ConsumerRecord<String, String>> readable = new java.util.ArrayList<>(records.size());
        java.util.List<ConsumerRecord<String, String>> unreadable = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                Optional<IncomingEvent> decoded = decoder.decode(record);
                if (decoded.isPresent()) {
                    events.add(decoded.get());
                    readable.add(record);
                    continue;
                }
            } catch (PoisonEventException ignored) {
                // dead-lettered below, with its reason, by the one-record path
            }
            unreadable.add(record);
        }
        Uni<Void> poison = com.logisync.runtime.vertx.Sequential.each(unreadable,
                record -> apply(record, e -> Uni.createFrom().voidItem()));
        if (events.isEmpty()) {
            return poison;
        }
        String[] ids = events.stream().filter(ledger).map(IncomingEvent::eventId).toArray(String[]::new);
        String what = events.size() + " events from " + records.get(0).topic() + "-" + records.get(0).partition() + "@"
                + records.get(0).offset();
        java.util.List<com.logisync.runtime.tracing.ShipmentTrace.Step> spans = traced
                ? trace.consumed(records.get(0).topic(), events) : java.util.List.of();
        Uni<Void> batch = TransientFailures.retrying(what, () -> Panache.withTransaction(() -> ids.length == 0
                ? effect.apply(events)
                : com.logisync.runtime.repository.SessionSql.select(RECORD_ALL, consumer, ids).chain(rows -> {
                    java.util.Set<String> first = new java.util.HashSet<>(rows.size() * 2);
                    rows.forEach(r -> first.add((String) r[0]));
                    java.util.List<IncomingEvent> fresh = new java.util.ArrayList<>(events.size());
                    for (IncomingEvent e : events) {
                        if (!ledger.test(e) || first.remove(e.eventId())) {
                            fresh.add(e);
                        }
                    }
                    if (fresh.size() < events.size()) {
                        LOG.debugf("Skipping %d redelivered events of %s", events.size() - fresh.size(), what);
                    }
                    return fresh.isEmpty() ? Uni.createFrom().voidItem() : effect.apply(fresh);
                })).ifNoItem().after(BATCH_STALLED).failWith(() -> new java.util.concurrent.TimeoutException(
                        "Applying " + what + " did not finish within " + BATCH_STALLED + ": retrying the batch")),
                retry.initialBackoff(), retry.maxBackoff(), 0);
        return poison.chain(() -> batch.onTermination().invoke((ok, failure, cancelled) -> spans
                .forEach(s -> s.end(failure))).onFailure(t -> !TransientFailures.isTransient(t)).recoverWithUni(failure -> {
            LOG.warnf("Applying %s as one transaction failed (%s): applying them one by one", what, failure.toString());
            return com.logisync.runtime.vertx.Sequential.each(readable, record -> deadLetterOnFailure(record,
                    process(record, e -> effect.apply(java.util.List.of(e)), ledger)));
        }));
    }

    /** Records the event id in the current transaction; true when this is the first time this consumer sees it. */
    public Uni<Boolean> firstDelivery(String eventId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(RECORD)
                .setParameter("consumer", consumer)
                .setParameter("eventId", eventId)
                .executeUpdate())
                .map(rows -> rows == 1);
    }
}
