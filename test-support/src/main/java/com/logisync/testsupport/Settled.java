package com.logisync.testsupport;

import org.awaitility.core.ThrowingRunnable;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * "Nothing more was published" without a fixed sleep: first the service's outbox is drained (every
 * event it wrote is on Kafka), then the assertion must hold, and keep holding for the whole window
 * (Awaitility's {@code during}): a late or doubled event fails it instead of slipping past a sleep.
 */
public final class Settled {

    private Settled() {
    }

    /** Waits until the service's outbox has nothing left to publish. */
    public static void outboxDrained(String database) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> Long.valueOf(0).equals(
                PostgresServer.queryValue(database, "select count(*) from outbox_backlog")));
    }

    /** The outbox drained, the assertion holds and keeps holding for {@code window}. */
    public static void holds(String database, Duration window, ThrowingRunnable assertion) {
        outboxDrained(database);
        await().during(window).atMost(window.plusSeconds(20)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(assertion);
    }
}
