package com.logisync.runtime.health;

import com.logisync.runtime.vertx.SafeContext;
import com.logisync.runtime.vertx.Sequential;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Readiness stays DOWN ("Warm-up") until the service's {@link WarmUp}s have run once, one after the other,
 * so a rollout's new pod gets its first request with its read paths loaded. A warm-up never keeps a pod out
 * of service: one that fails (the database not there yet) or takes longer than
 * {@code logisync.warm-up.timeout} (30 s) is logged and passed over, and the check is UP from then on; the
 * other checks say whether the database and the broker are reachable. {@code logisync.warm-up.enabled=false}
 * turns it off.
 */
@Readiness
@ApplicationScoped
public class WarmUpReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(WarmUpReadiness.class);
    static final String NAME = "Warm-up";

    private final List<WarmUp> warmUps;
    private final Vertx vertx;
    private final Duration timeout;
    private final boolean enabled;
    private final Map<String, String> results = new LinkedHashMap<>();
    private volatile String running;
    private volatile boolean done;

    @jakarta.inject.Inject
    public WarmUpReadiness(@Any Instance<WarmUp> warmUps, Vertx vertx,
            @ConfigProperty(name = "logisync.warm-up.timeout", defaultValue = "30s") Duration timeout,
            @ConfigProperty(name = "logisync.warm-up.enabled", defaultValue = "true") boolean enabled) {
        this(warmUps.stream().toList(), vertx, timeout, enabled);
    }

    WarmUpReadiness(List<WarmUp> warmUps, Vertx vertx, Duration timeout, boolean enabled) {
        this.warmUps = List.copyOf(warmUps);
        this.vertx = vertx;
        this.timeout = timeout;
        this.enabled = enabled;
    }

    void onStart(@Observes StartupEvent ignored) {
        start();
    }

    /** Runs the warm-ups, one after the other, in the background; {@link #call} is UP once all have ended. */
    void start() {
        if (!enabled || warmUps.isEmpty()) {
            done = true;
            return;
        }
        long begin = System.nanoTime();
        // runOne never fails: a failed warm-up is recorded and passed over.
        Sequential.each(warmUps, this::runOne).subscribe().with(v -> {
            done = true;
            running = null;
            LOG.infof("Warmed up in %d ms: %s", (System.nanoTime() - begin) / 1_000_000, describe());
        });
    }

    private Uni<Void> runOne(WarmUp w) {
        long begin = System.nanoTime();
        running = w.name();
        return SafeContext.run(vertx, w::run)
                .ifNoItem().after(timeout).failWith(() -> new IllegalStateException("not done after "
                        + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms")))
                .onItemOrFailure().transform((what, failure) -> {
                    long ms = (System.nanoTime() - begin) / 1_000_000;
                    synchronized (results) {
                        if (failure == null) {
                            results.put(w.name(), ms + " ms" + (what == null || what.isBlank() ? "" : ", " + what));
                        } else {
                            results.put(w.name(), "failed after " + ms + " ms: " + failure.getMessage());
                            LOG.warnf("Warm-up of the %s failed after %d ms, passed over: %s", w.name(), ms, failure.getMessage());
                        }
                    }
                    return null;
                });
    }

    private String describe() {
        synchronized (results) {
            List<String> parts = new ArrayList<>();
            results.forEach((k, v) -> parts.add(k + " " + v));
            return String.join("; ", parts);
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME).status(done);
        synchronized (results) {
            results.forEach(b::withData);
        }
        String now = running;
        if (!done && now != null) {
            b.withData("running", now);
        }
        return b.build();
    }
}
