package com.logisync.runtime.messaging;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Transient is not poison. A record that fails because the database (or the network to it) is away,
 * or because it lost a lock or serialization race, will succeed once that passes: it waits and is
 * retried with backoff for as long as it takes (the partition waits with it, readiness says DOWN),
 * and never reaches a dead-letter topic. Only a {@link PoisonEventException} fails at once; any other
 * failure (a bug, a constraint) is retried a bounded number of times before the channel's
 * dead-letter strategy takes the record with its reason.
 */
public final class TransientFailures {

    private static final Logger LOG = Logger.getLogger(TransientFailures.class);
    private static final Pattern CONNECTION_TROUBLE = Pattern.compile(
            "(?i).*(connection (is |was )?(closed|reset|refused)|closed connection|connection not available"
                    + "|failed to connect|timed out|timeout|pool (is )?closed).*", Pattern.DOTALL);

    private TransientFailures() {
    }

    /**
     * Whether the failure passes by itself: the database or the network away, a lock or serialization race, a batch
     * that met a row it took to be new ({@link RetryBatchException}).
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonEventException) {
                return false;
            }
            if (t instanceof RetryBatchException) {
                return true;
            }
            if (t instanceof io.smallrye.mutiny.CompositeException composite) {
                // A failure and the failed rollback after it (the pool closing): transient if any of them is.
                return composite.getCauses().stream().anyMatch(TransientFailures::isTransient);
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof org.hibernate.exception.JDBCConnectionException
                    || t instanceof org.hibernate.exception.LockAcquisitionException
                    || t instanceof jakarta.persistence.PessimisticLockException
                    || t instanceof jakarta.persistence.LockTimeoutException) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                // 08 connection, 40 rollback (serialization, deadlock), 53 resources, 57 operator (shutdown), 55P03 lock
                return state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                        || state.startsWith("57") || "55P03".equals(state);
            }
            if (t.getMessage() != null && CONNECTION_TROUBLE.matcher(t.getMessage()).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code attempt}, retrying a transient failure indefinitely (backoff from {@code initial} to
     * {@code max}), any other failure but poison {@code maxRetries} times.
     */
    public static Uni<Void> retrying(String what, Supplier<Uni<Void>> attempt, Duration initial, Duration max,
            long maxRetries) {
        return Uni.createFrom().<Void>deferred(attempt::get)
                .onFailure(TransientFailures::isTransient)
                .invoke(t -> LOG.warnf("Applying %s failed for a passing reason, waiting and retrying: %s", what, t.toString()))
                .onFailure(TransientFailures::isTransient)
                .retry().withBackOff(initial, max).indefinitely()
                .onFailure(t -> !(t instanceof PoisonEventException))
                .invoke(t -> LOG.warnf("Applying %s failed, will retry: %s", what, t.toString()))
                .onFailure(t -> !(t instanceof PoisonEventException))
                .retry().withBackOff(initial, max).atMost(maxRetries);
    }
}
