package com.logisync.runtime.vertx;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Background work done in rounds (a durable retry, a purge, a sweep): each round runs on a fresh safe
 * context ({@link SafeContext}) and the next is scheduled {@code interval} after it ends, so rounds
 * never overlap; a failed round is logged and the next one comes as usual.
 */
public final class PeriodicTask {

    private static final Logger LOG = Logger.getLogger(PeriodicTask.class);

    private final Vertx vertx;
    private final Duration interval;
    private final String what;
    private final Supplier<Uni<Void>> round;
    private final AtomicBoolean running = new AtomicBoolean();

    private PeriodicTask(Vertx vertx, Duration interval, String what, Supplier<Uni<Void>> round) {
        this.vertx = vertx;
        this.interval = interval;
        this.what = what;
        this.round = round;
    }

    public static PeriodicTask every(Vertx vertx, Duration interval, String what, Supplier<Uni<Void>> round) {
        return new PeriodicTask(vertx, interval, what, round);
    }

    public void start() {
        running.set(true);
        schedule();
    }

    public void stop() {
        running.set(false);
    }

    private void schedule() {
        if (!running.get()) {
            return;
        }
        vertx.setTimer(Math.max(1, interval.toMillis()), id -> SafeContext.run(vertx, round).subscribe().with(
                done -> schedule(),
                failure -> {
                    if (running.get()) {
                        LOG.warnf("%s failed, trying again in %s: %s", what, interval, failure.toString());
                    }
                    schedule();
                }));
    }
}
