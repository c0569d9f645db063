package com.logisync.serviceview.notify;

import com.logisync.runtime.repository.SessionSql;
import com.logisync.serviceview.config.MonitorConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbound deliveries in /q/metrics, refreshed with the monitor's gauges: subscriptions FAILING
 * ({@code logisync_subscriptions_failing}, the LogiSyncSubscriptionsFailing alert), deliveries pending
 * and the age of the oldest ({@code logisync_deliveries_pending}, {@code logisync_deliveries_oldest_pending_seconds}).
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final AtomicLong failing = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();
    private final com.logisync.runtime.vertx.PeriodicTask rounds;

    public DeliveryMetrics(MeterRegistry registry, MonitorConfig config, Vertx vertx) {
        Gauge.builder("logisync.subscriptions.failing", failing, AtomicLong::get)
                .description("Subscriptions that gave up on a delivery after a day of retries").register(registry);
        Gauge.builder("logisync.deliveries.pending", pending, AtomicLong::get)
                .description("Webhook and EDI deliveries waiting to be sent or retried").register(registry);
        Gauge.builder("logisync.deliveries.oldest.pending.seconds", oldestSeconds, AtomicLong::get)
                .description("Age of the oldest pending delivery").register(registry);
        this.rounds = com.logisync.runtime.vertx.PeriodicTask.every(vertx, config.metricsInterval(), "Delivery metrics",
                this::refresh);
    }

    void start(@Observes StartupEvent event) {
        rounds.start();
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    public Uni<Void> refresh() {
        return Panache.withSession(() -> SessionSql.select("select (select count(*) from subscription where status ="
                + " 'FAILING' and deleted_at is null), (select count(*) from delivery where status = 'PENDING'),"
                + " (select coalesce(extract(epoch from now() - min(created_at)), 0) from delivery where status = 'PENDING')"))
                .invoke(rows -> {
                    Object[] r = rows.get(0);
                    failing.set(((Number) r[0]).longValue());
                    pending.set(((Number) r[1]).longValue());
                    oldestSeconds.set(((Number) r[2]).longValue());
                }).replaceWithVoid();
    }
}
