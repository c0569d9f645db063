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
 * for the collector). One replica relays at a time (a transaction-scoped advisory lock), and a
 * batch is stamped published only after Kafka acknowledged every record of it: a crash in between
 * publishes the batch again, which idempotent consumers absorb (at-least-once, never lost).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock id that makes one replica per service database the relay. */
    private static final long RELAY_LOCK = 0x4c6f67695379L;
    private static final String SELECT_BATCH = "select seq, event_id, topic, partition_key, ce_type, payload,"
            + " traceparent, created_at from outbox_event where published_at is null order by seq limit $1";

    private static final String MARK_PUBLISHED = "update outbox_event set published_at = now() where seq = any($1)";
    private static final String DELETE_PUBLISHED = "delete from outbox_event where seq = any($1)";

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final Vertx vertx;
    private final LogiSyncConfig config;
    private final URI source;
    private final Tracer tracer;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long lastPurge;

    public OutboxRelay(Pool pool, @Channel("logisync-events") MutinyEmitter<String> emitter, Vertx vertx,
            LogiSyncConfig config, Tracer tracer) {
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
        return pool.withTransaction(conn -> conn.query("select pg_try_advisory_xact_lock(" + RELAY_LOCK + ") as locked")
                .execute()
                .chain(lock -> lock.iterator().next().getBoolean("locked")
                        ? publishBatch(conn)
                        : Uni.createFrom().item(0)))
                .call(this::purgeOccasionally);
    }

    private Uni<Integer> publishBatch(SqlConnection conn) {
        return conn.preparedQuery(SELECT_BATCH).execute(Tuple.of(config.outbox().batchSize()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    List<Uni<Void>> sends = new ArrayList<>(rows.size());
                    List<Long> seqs = new ArrayList<>(rows.size());
                    Map<String, PublishSpan> spans = new LinkedHashMap<>();
                    for (Row row : rows) {
                        seqs.add(row.getLong("seq"));
                        sends.add(emitter.sendMessage(toMessage(row, spans)));
                    }
                    return Uni.join().all(sends).andFailFast()
                            .onTermination().invoke((done, failure, cancelled) -> spans.values()
                                    .forEach(span -> span.end(failure)))
                            .chain(() -> conn.preparedQuery(keepPublished() ? MARK_PUBLISHED : DELETE_PUBLISHED)
                                    .execute(Tuple.of(seqs.toArray(Long[]::new))))
                            .map(RowSet::rowCount);
                });
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
