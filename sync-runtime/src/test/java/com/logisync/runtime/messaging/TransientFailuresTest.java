package com.logisync.runtime.messaging;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transient is not poison: what passes by itself waits, what never can is dead-lettered. */
class TransientFailuresTest {

    private static final Duration FAST = Duration.ofMillis(1);

    @Test
    void theDatabaseAwayOrALockRaceIsTransientABugOrPoisonIsNot() {
        assertThat(TransientFailures.isTransient(new RuntimeException("wrapped",
                new java.net.ConnectException("Connection refused: localhost/127.0.0.1:15432")))).isTrue();
        assertThat(TransientFailures.isTransient(io.vertx.sqlclient.ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(TransientFailures.isTransient(new io.vertx.pgclient.PgException("terminating connection due to"
                + " administrator command", "FATAL", "57P01", null))).isTrue();
        assertThat(TransientFailures.isTransient(new io.vertx.pgclient.PgException("could not serialize access",
                "ERROR", "40001", null))).isTrue();
        assertThat(TransientFailures.isTransient(new io.vertx.core.VertxException("Connection was closed"))).isTrue();
        assertThat(TransientFailures.isTransient(new java.util.concurrent.TimeoutException())).isTrue();
        // A failed statement and the rollback that failed after it, as the pool closes: transient.
        assertThat(TransientFailures.isTransient(new io.smallrye.mutiny.CompositeException(new IllegalStateException(
                "Failed to rollback transaction"), new io.vertx.core.impl.NoStackTraceThrowable("Pool closed")))).isTrue();
        assertThat(TransientFailures.isTransient(new io.smallrye.mutiny.CompositeException(new NullPointerException(),
                new IllegalStateException("bug")))).isFalse();

        assertThat(TransientFailures.isTransient(new io.vertx.pgclient.PgException("duplicate key value", "ERROR",
                "23505", null))).isFalse();
        // The same unique violation met by a batch that took its rows to be new, which looks for them when retried.
        assertThat(TransientFailures.isTransient(new RetryBatchException("the timeline had one of the batch's milestones",
                new io.vertx.pgclient.PgException("duplicate key value", "ERROR", "23505", null)))).isTrue();
        assertThat(TransientFailures.isTransient(new NullPointerException())).isFalse();
        assertThat(TransientFailures.isTransient(new PoisonEventException("no ce_type",
                new java.net.ConnectException()))).isFalse();
    }

    @Test
    void aTransientFailureIsRetriedForAsLongAsItTakesNeverGivenUpAfterMaxRetries() {
        AtomicInteger attempts = new AtomicInteger();
        // The database away for 40 attempts, five times the bounded retries: the record still goes through.
        Uni<Void> result = TransientFailures.retrying("OrderReleased e-1", () -> attempts.incrementAndGet() <= 40
                ? Uni.createFrom().failure(new java.net.ConnectException("Connection refused"))
                : Uni.createFrom().voidItem(), FAST, FAST, 8);
        result.await().atMost(Duration.ofSeconds(10));
        assertThat(attempts).hasValue(41);
    }

    @Test
    void poisonFailsAtOnceAndOtherFailuresAfterTheBoundedRetries() {
        AtomicInteger poison = new AtomicInteger();
        assertThatThrownBy(() -> TransientFailures.retrying("bad", () -> {
            poison.incrementAndGet();
            return Uni.createFrom().failure(new PoisonEventException("unreadable payload"));
        }, FAST, FAST, 8).await().atMost(Duration.ofSeconds(5))).isInstanceOf(PoisonEventException.class);
        assertThat(poison).hasValue(1);

        AtomicInteger bug = new AtomicInteger();
        assertThatThrownBy(() -> TransientFailures.retrying("buggy", () -> {
            bug.incrementAndGet();
            return Uni.createFrom().failure(new IllegalStateException("a bug"));
        }, FAST, FAST, 8).await().atMost(Duration.ofSeconds(5))).isInstanceOf(IllegalStateException.class);
        assertThat(bug).hasValue(9);
    }
}
