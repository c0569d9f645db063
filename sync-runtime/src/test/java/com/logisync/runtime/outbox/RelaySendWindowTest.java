package com.logisync.runtime.outbox;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's round is sent in row order with at most {@link OutboxRelay#SEND_WINDOW} records unacknowledged,
 * acknowledgements arriving on other threads (as Kafka's do), and each record's failure is answered at its index.
 */
class RelaySendWindowTest {

    @Test
    void sendsEveryRecordInOrderNeverMoreThanTheWindowInFlightAndAnswersEachFailureAtItsIndex() throws Exception {
        int count = 3 * OutboxRelay.SEND_WINDOW + 17;
        List<Integer> sent = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        RuntimeException refused = new RuntimeException("record too large");
        ExecutorService acks = Executors.newFixedThreadPool(4);
        try {
            List<Throwable> failures = OutboxRelay.sendInOrder(count, i -> Uni.createFrom().deferred(() -> {
                sent.add(i);
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                // Acknowledged later, on another thread, in no particular order.
                return Uni.createFrom().completionStage(CompletableFuture.runAsync(() -> {
                    inFlight.decrementAndGet();
                    if (i == 5 || i == 2_001) {
                        throw refused;
                    }
                }, acks)).replaceWithVoid();
            })).await().atMost(Duration.ofSeconds(30));

            assertEquals(count, sent.size());
            for (int i = 0; i < count; i++) {
                assertEquals(i, sent.get(i), "sent out of order at " + i);
            }
            assertTrue(mostInFlight.get() <= OutboxRelay.SEND_WINDOW, "in flight at most: " + mostInFlight.get());
            assertEquals(count, failures.size());
            assertSame(refused, rootCause(failures.get(5)));
            assertSame(refused, rootCause(failures.get(2_001)));
            long failed = failures.stream().filter(f -> f != null).count();
            assertEquals(2, failed);
            assertNull(failures.get(0));
            assertNull(failures.get(count - 1));
        } finally {
            acks.shutdownNow();
        }
    }

    @Test
    void aSendThatThrowsIsThatRecordsFailureNotTheRounds() {
        IllegalStateException bad = new IllegalStateException("cannot build the record");
        List<Throwable> failures = OutboxRelay.sendInOrder(3, i -> {
            if (i == 1) {
                throw bad;
            }
            return Uni.createFrom().voidItem();
        }).await().atMost(Duration.ofSeconds(5));
        assertNull(failures.get(0));
        assertSame(bad, failures.get(1));
        assertNull(failures.get(2));
    }

    @Test
    void anEmptyRoundAnswersAtOnce() {
        assertEquals(List.of(), OutboxRelay.sendInOrder(0, i -> Uni.createFrom().voidItem()).await().indefinitely());
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
