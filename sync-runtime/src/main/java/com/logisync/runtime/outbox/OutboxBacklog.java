package com.logisync.runtime.outbox;

import com.logisync.runtime.config.LogiSyncConfig;
import com.logisync.runtime.vertx.SafeContext;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the outbox backlog of this service's database (events committed and not yet published by
 * any replica's relay) and holds ingestion back while it is too large.
 *
 * <p>Read every {@code logisync.outbox.admission.poll}: the events of the commits after the lowest
 * partition mark (an upper bound: a commit may be published in some partitions already) and the age
 * of the oldest of them, exported as {@code logisync_outbox_backlog_events} and
 * {@code logisync_outbox_backlog_age_seconds}.
 *
 * <p><b>Admission control</b> ({@code logisync.outbox.admission.enabled}): {@link #admit()} completes at
 * once while the backlog is at most {@code max-backlog}; above it, the caller is held (its Vert.x
 * context kept, no thread blocked) until the backlog is back under the bound, and refused with
 * {@link BacklogFullException} (503, {@code Retry-After}) after {@code max-wait}. Replicas share one
 * database and so one backlog: every replica holds back while their relays together are behind.
 */
@ApplicationScoped
public class OutboxBacklog {

    private static final Logger LOG = Logger.getLogger(OutboxBacklog.class);

    static final String READ = "select coalesce(sum(t.events), 0)::bigint as events,"
            + " coalesce(extract(epoch from clock_timestamp() - min(t.committed_at)), 0)::float8 as age"
            + " from outbox_txn t where t.commit_seq > (select coalesce(min(published_commit), 0) from outbox_partition)";

    private final Pool pool;
    private final Vertx vertx;
    private final LogiSyncConfig.Admission config;
    private final AtomicLong events = new AtomicLong();
    private volatile double ageSeconds;
    private volatile long readAt;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean warned;

    public OutboxBacklog(Pool pool, Vertx vertx, LogiSyncConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config.outbox().admission();
        Gauge.builder("logisync.outbox.backlog.events", events, AtomicLong::get)
                .description("Events committed to the outbox and not yet published (all replicas of this database)")
                .register(registry);
        Gauge.builder("logisync.outbox.backlog.age", this, b -> b.ageSeconds).baseUnit("seconds")
                .description("Age of the oldest event not yet published").register(registry);
        registry.more().counter("logisync.ingestion.held", java.util.List.of(), held);
        registry.more().counter("logisync.ingestion.refused", java.util.List.of(), refused);
    }

    void start(@Observes StartupEvent ignored) {
        running.set(true);
        schedule();
    }

    void stop(@Observes ShutdownEvent ignored) {
        running.set(false);
    }

    private void schedule() {
        if (!running.get()) {
            return;
        }
        vertx.setTimer(config.poll().toMillis(), id -> SafeContext.run(vertx.getDelegate(), this::refresh)
                .subscribe().with(ok -> schedule(), failure -> {
                    LOG.debugf("Outbox backlog not read: %s", failure.toString());
                    schedule();
                }));
    }

    /** Reads the backlog now (the poller does it every {@code poll}; tests call it to see at once). */
    public Uni<Void> refresh() {
        return pool.preparedQuery(READ).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            events.set(row.getLong("events"));
            ageSeconds = row.getDouble("age");
            readAt = System.nanoTime();
        }).replaceWithVoid();
    }

    /** Events waiting for publication, as last read. */
    public long events() {
        return events.get();
    }

    /** Age in seconds of the oldest event waiting for publication, as last read. */
    public double ageSeconds() {
        return ageSeconds;
    }

    /** Requests held back so far, and refused after the longest wait. */
    public long heldCount() {
        return held.get();
    }

    public long refusedCount() {
        return refused.get();
    }

    private boolean full() {
        // A backlog not read for a long time (the database away) holds nothing back: the write fails on its own.
        return events.get() > config.maxBacklog()
                && System.nanoTime() - readAt < config.poll().toNanos() * 10;
    }

    /**
     * Completes when the backlog leaves room for more (at once when admission control is off or the
     * backlog is under its bound); fails with {@link BacklogFullException} after {@code max-wait}.
     */
    public Uni<Void> admit() {
        if (!config.enabled() || !full()) {
            return Uni.createFrom().voidItem();
        }
        held.incrementAndGet();
        if (!warned) {
            warned = true;
            LOG.warnf("Outbox backlog of %d events (oldest %.1f s) above %d: ingestion held back until publication"
                    + " catches up", events.get(), ageSeconds, config.maxBacklog());
        }
        return waitForRoom(System.nanoTime() + config.maxWait().toNanos());
    }

    private Uni<Void> waitForRoom(long deadline) {
        if (!full()) {
            warned = false;
            return Uni.createFrom().voidItem();
        }
        if (System.nanoTime() >= deadline) {
            refused.incrementAndGet();
            return Uni.createFrom().failure(new BacklogFullException(events.get(), config.maxBacklog(),
                    Math.max(1, (long) Math.ceil(config.maxWait().toMillis() / 1000.0 / 2))));
        }
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        long pause = Math.max(10, config.poll().toMillis() / 4);
        return Uni.createFrom().<Void>emitter(em -> vertx.getDelegate().setTimer(pause, id -> {
            if (caller != null) {
                caller.runOnContext(v -> em.complete(null));
            } else {
                em.complete(null);
            }
        })).chain(() -> waitForRoom(deadline));
    }
}
