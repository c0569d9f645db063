package com.logisync.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the platform asks of every pod while the benchmark runs, at the chart's own cadences: the kubelet's
 * readiness probe every 5 s and liveness probe every 10 s ({@code helm/logisync/templates/deployment.yaml}), and
 * Prometheus' scrape of {@code /q/metrics} every 30 s ({@code monitoring.serviceMonitor.interval}).
 *
 * <p>A pod in a cluster serves these from its start, so its JIT has compiled the HTTP path with them in its
 * profiles. A benchmark whose warm-up sends only reports, and whose first read of {@code /q/metrics} comes at a
 * phase's start, measures something no pod does: that first scrape sent about 25 of milestone-service's compiled
 * HTTP methods back to the interpreter at once (the routing, the connection's message handling, the promises'
 * listeners; {@code -XX:+PrintCompilation}, 2026-12-06) and their recompilation fell into the measured phase.
 *
 * <p>An endpoint that does not answer (a service the benchmark has stopped) counts as a failure and is asked
 * again at its next period, as the kubelet would.
 */
final class PlatformProbes implements AutoCloseable {

    /** One endpoint asked at a fixed period. */
    record Probe(String url, Duration period) {
    }

    /** The chart's probes and scrape of one service at {@code baseUrl}. */
    static List<Probe> ofService(String baseUrl) {
        return List.of(new Probe(baseUrl + "/q/health/ready", Duration.ofSeconds(5)),
                new Probe(baseUrl + "/q/health/live", Duration.ofSeconds(10)),
                new Probe(baseUrl + "/q/metrics", Duration.ofSeconds(30)));
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "platform-probes");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** Starts asking each probe's endpoint now and then every period, until {@link #close()}. */
    PlatformProbes(List<Probe> probes) {
        for (Probe probe : probes) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(probe.url())).timeout(Duration.ofSeconds(3)).GET().build();
            timer.scheduleAtFixedRate(() -> ask(request), 0, probe.period().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void ask(HttpRequest request) {
        try {
            http.send(request, HttpResponse.BodyHandlers.discarding());
            answered.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failed.incrementAndGet();
        }
    }

    /** Requests answered (whatever their status) so far. */
    long answered() {
        return answered.get();
    }

    /** Requests that got no answer (nothing listening, a timeout) so far. */
    long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
