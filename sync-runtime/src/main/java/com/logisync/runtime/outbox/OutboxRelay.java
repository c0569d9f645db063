package com.logisync.runtime.outbox;

import com.logisync.runtime.config.LogiSyncConfig;
import com.logisync.runtime.tracing.TraceContexts;
import com.logisync.runtime.vertx.SafeContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes outbox rows to Kafka as binary-mode CloudEvents, in commit order, each under the trace
 * context stored with it: per round, one PRODUCER span for the events that share a stored context
 * and a topic, whose {@code traceparent} the records carry (the channel's own span per record is
 * off: at thousands of events a second it was a quarter of the relay's CPU, and as many spans again
 * for the collector). One replica relays at a time (a session advisory lock on the relay's own
 * connection: no database transaction stays open while Kafka is asked), and a batch is stamped
 * published only after Kafka acknowledged every record of it: a crash in between publishes the batch
 * again, which idempotent consumers absorb (at-least-once, never lost).
 *
 * <p>A row Kafka refuses for good (a record too large, an invalid topic) never blocks the rows behind
 * it: the rest of the batch is stamped, the row is tried {@code MAX_ATTEMPTS} times in all, then moved to
 * {@code outbox_dead} with its reason and announced on {@code <topic>.dlq}. Any other failure (the
 * broker away) stamps nothing: the whole batch is sent again next round.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock id that makes one replica per service database the relay. */
    private static final long RELAY_LOCK = 0x4c6f67695379L;
    private static final String SELECT_BATCH = "select seq, event_id, topic, partition_key, ce_type, payload,"
            + " traceparent, created_at from outbox_event where published_at is null order by seq limit $1";

    private static final String MARK_PUBLISHED = "update outbox_event set published_at = now() where seq = any($1)";
    static final int MAX_ATTEMPTS = 3;
    private static final String COUNT_ATTEMPT = "update outbox_event set attempts = attempts + 1, last_error = $2"
            + " where seq = $1 returning attempts";
    private static final String BURY = "with dead as (delete from outbox_event where seq = $1 returning *)"
            + " insert into outbox_dead (seq, event_id, topic, partition_key, ce_type, payload, traceparent, created_at,"
            + " reason) select seq, event_id, topic, partition_key, ce_type, payload, traceparent, created_at, $2"
            + " from dead";
    private static final String DELETE_PUBLISHED = "delete from outbox_event where seq = any($1)";

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final Vertx vertx;
    private final LogiSyncConfig config;
    private final URI source;
    private final Tracer tracer;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long lastPurge;

    private final com.logisync.runtime.deadletter.DeadLetters deadLetters;

    public OutboxRelay(Pool pool, @Channel("logisync-events") MutinyEmitter<String> emitter, Vertx vertx,
            LogiSyncConfig config, Tracer tracer, com.logisync.runtime.deadletter.DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.tracer = tracer;
        this.pool = pool;
        this.emitter = emitter;
        this.vertx = vertx;
        this.config = config;
        this.source = URI.create("/logisync/" + config.serviceName());
    }

    void start(@Observes StartupEvent event) {
        if (config.outbox().relayEnabled()) {
            running.set(true);
            scheduleNext(config.outbox().pollInterval().toMillis());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running.set(false);
    }

    private void scheduleNext(long delayMillis) {
        if (!running.get()) {
            return;
        }
        vertx.setTimer(Math.max(1, delayMillis), id -> SafeContext.run(vertx.getDelegate(), this::relayOnce).subscribe().with(
                published -> scheduleNext(published >= config.outbox().batchSize() ? 1 : config.outbox().pollInterval().toMillis()),
                failure -> {
                    if (running.get()) {
                        LOG.warnf("Outbox relay round failed, retrying: %s", failure.toString());
                    }
                    scheduleNext(Math.max(1000, config.outbox().pollInterval().toMillis()));
                }));
    }

    /** Publishes one batch; returns how many events it published. Exposed for tests and benchmarks. */
    public Uni<Integer> relayOnce() {
        return pool.getConnection().chain(conn -> conn.query("select pg_try_advisory_lock(" + RELAY_LOCK + ") as locked")
                        .execute()
                        .chain(lock -> lock.iterator().next().getBoolean("locked")
                                ? publishBatch(conn).call(() -> conn.query("select pg_advisory_unlock(" + RELAY_LOCK + ")")
                                        .execute().onFailure().recoverWithNull())
                                        .onFailure().call(() -> conn.query("select pg_advisory_unlock(" + RELAY_LOCK + ")")
                                                .execute().onFailure().recoverWithNull())
                                : Uni.createFrom().item(0))
                        .onTermination().call(conn::close))
                .call(this::purgeOccasionally);
    }

    private Uni<Integer> publishBatch(SqlConnection conn) {
        return conn.preparedQuery(SELECT_BATCH).execute(Tuple.of(config.outbox().batchSize()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    List<Uni<Throwable>> sends = new ArrayList<>(rows.size());
                    List<Row> batch = new ArrayList<>(rows.size());
                    Map<String, PublishSpan> spans = new LinkedHashMap<>();
                    for (Row row : rows) {
                        batch.add(row);
                        sends.add(emitter.sendMessage(toMessage(row, spans))
                                .onItemOrFailure().transform((ok, failure) -> failure));
                    }
                    return Uni.join().all(sends).andCollectFailures()
                            .onTermination().invoke((failures, failure, cancelled) -> spans.values()
                                    .forEach(span -> span.end(failure != null ? failure
                                            : failures == null ? null : failures.stream().filter(f -> f != null)
                                                    .findFirst().orElse(null))))
                            .chain(failures -> settle(conn, batch, failures));
                });
    }

    /**
     * Stamps what Kafka acknowledged. A failure that will pass (the broker away) stamps nothing and
     * fails the round, so the batch is sent again in order; a row Kafka refuses for good counts an
     * attempt, and after {@link #MAX_ATTEMPTS} is buried with its reason, while the rest is stamped.
     */
    private Uni<Integer> settle(SqlConnection conn, List<Row> batch, List<Throwable> failures) {
        List<Long> sent = new ArrayList<>();
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Throwable failure = failures.get(i);
            if (failure == null) {
                sent.add(batch.get(i).getLong("seq"));
            } else if (refusedForGood(failure)) {
                refused.add(i);
            } else {
                return Uni.createFrom().failure(failure);
            }
        }
        Uni<Void> poison = Uni.createFrom().voidItem();
        for (int i : refused) {
            Row row = batch.get(i);
            String reason = truncate(failures.get(i).toString());
            poison = poison.chain(() -> conn.preparedQuery(COUNT_ATTEMPT).execute(Tuple.of(row.getLong("seq"), reason))
                    .chain(counted -> {
                        int attempts = counted.iterator().next().getInteger("attempts");
                        LOG.warnf("Kafka refused outbox row %d (%s, event %s), attempt %d of %d: %s", row.getLong("seq"),
                                row.getString("topic"), row.getString("event_id"), attempts, MAX_ATTEMPTS, reason);
                        return attempts < MAX_ATTEMPTS ? Uni.createFrom().voidItem() : bury(conn, row, reason);
                    }));
        }
        return poison.chain(() -> sent.isEmpty() ? Uni.createFrom().item(0)
                : conn.preparedQuery(keepPublished() ? MARK_PUBLISHED : DELETE_PUBLISHED)
                        .execute(Tuple.of(sent.toArray(Long[]::new))).map(RowSet::rowCount));
    }

    /** Kafka will never take this record as it is: too large, a bad topic, unserializable. */
    static boolean refusedForGood(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || t instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
                    || t instanceof org.apache.kafka.common.errors.InvalidTopicException
                    || t instanceof org.apache.kafka.common.errors.SerializationException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves the row to {@code outbox_dead} and announces it on {@code <topic>.dlq}: its id, type, key,
     * size and why (not its payload, which Kafka would refuse again); the payload stays in the table.
     */
    private Uni<Void> bury(SqlConnection conn, Row row, String reason) {
        String topic = row.getString("topic");
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", row.getString("event_id").getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", row.getString("ce_type").getBytes(StandardCharsets.UTF_8));
        headers.add(com.logisync.runtime.deadletter.DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(com.logisync.runtime.deadletter.DeadLetters.TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        headers.add(com.logisync.runtime.deadletter.DeadLetters.SERVICE, config.serviceName().getBytes(StandardCharsets.UTF_8));
        headers.add("logisync-dlq-origin", "outbox".getBytes(StandardCharsets.UTF_8));
        String stub = "{\"eventId\":\"" + row.getString("event_id") + "\",\"outboxSeq\":" + row.getLong("seq")
                + ",\"payloadBytes\":" + row.getString("payload").getBytes(StandardCharsets.UTF_8).length
                + ",\"keptIn\":\"outbox_dead\"}";
        LOG.errorf("Outbox row %d (event %s for %s) refused by Kafka %d times: moved to outbox_dead, announced on %s.dlq: %s",
                row.getLong("seq"), row.getString("event_id"), topic, MAX_ATTEMPTS, topic, reason);
        return conn.preparedQuery(BURY).execute(Tuple.of(row.getLong("seq"), reason))
                .chain(() -> deadLetters.announce(com.logisync.runtime.deadletter.DeadLetters.dlqTopic(topic),
                        row.getString("partition_key"), stub, headers))
                        .onFailure().invoke(f -> LOG.warnf("Could not announce the buried outbox row %d: %s",
                                row.getLong("seq"), f.toString()))
                        .onFailure().recoverWithNull();
    }

    private static String truncate(String s) {
        return s.length() > 500 ? s.substring(0, 500) : s;
    }

    /**
     * The PRODUCER span of the events of one round that share a stored trace context and a topic
     * (an OpenTelemetry batch publish, {@code messaging.batch.message_count}): a batch of 1,000
     * milestones of 100 shipments makes 100 spans, not 1,000, and the consumers' spans are its
     * children. Its {@code traceparent} goes into each record's headers.
     */
    private static final class PublishSpan {
        final Span span;
        final String traceparent;
        int count;

        PublishSpan(Span span) {
            this.span = span;
            this.traceparent = TraceContexts.traceparentOf(Context.root().with(span));
        }

        void end(Throwable failure) {
            span.setAttribute("messaging.batch.message_count", count);
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }

    private Message<String> toMessage(Row row, Map<String, PublishSpan> spans) {
        String shipmentId = row.getString("partition_key");
        String topic = row.getString("topic");
        OffsetDateTime createdAt = row.getOffsetDateTime("created_at");
        RecordHeaders headers = new RecordHeaders();
        String stored = row.getString("traceparent");
        if (stored != null) {
            PublishSpan publish = spans.computeIfAbsent(stored + " " + topic, k -> new PublishSpan(tracer
                    .spanBuilder(topic + " publish").setSpanKind(SpanKind.PRODUCER)
                    .setParent(TraceContexts.fromTraceparent(stored))
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.operation", "publish")
                    .setAttribute("messaging.destination.name", topic)
                    .startSpan()));
            publish.count++;
            headers.add("traceparent", publish.traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return Message.of(row.getString("payload"))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(topic)
                        .withKey(shipmentId)
                        .withHeaders(headers)
                        .build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(row.getString("event_id"))
                        .withType(row.getString("ce_type"))
                        .withSource(source)
                        .withSubject(shipmentId)
                        .withDataContentType("application/json")
                        .withTimestamp(createdAt == null ? null : createdAt.atZoneSameInstant(ZoneOffset.UTC))
                        .build());
    }

    /**
     * Whether published rows are kept (stamped) for the retention period, or deleted as soon as Kafka
     * has them (retention zero): a service whose events are kept elsewhere (milestone-service keeps
     * every payload in {@code milestone}) spares the database a second write of every row.
     */
    private boolean keepPublished() {
        return !config.outbox().retention().isZero();
    }

    private Uni<Void> purgeOccasionally() {
        if (!keepPublished()) {
            return Uni.createFrom().voidItem();
        }
        long now = System.currentTimeMillis();
        if (now - lastPurge < 60_000) {
            return Uni.createFrom().voidItem();
        }
        lastPurge = now;
        return pool.preparedQuery("delete from outbox_event where published_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) config.outbox().retention().toSeconds()))
                .replaceWithVoid();
    }
}
