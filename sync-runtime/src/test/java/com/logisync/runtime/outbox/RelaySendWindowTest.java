package com.logisync.runtime.outbox;

import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's round goes to the producer in row order, at most {@link OutboxRelay#SEND_WINDOW} records
 * unacknowledged, acknowledgements arriving on another thread (as Kafka's do), and each record's failure is
 * answered at its index. The producer is Kafka's own {@link MockProducer} (acknowledged by hand); the real broker
 * is in every service's tests and in {@code OutboxRelayPoisonTest}.
 */
class RelaySendWindowTest {

    private static List<ProducerRecord<String, String>> records(int n) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new ProducerRecord<>("logisync.milestones.v1", "SHP-" + (i % 7), "event-" + i));
        }
        return records;
    }

    @Test
    void sendsEveryRecordInOrderNeverMoreThanTheWindowUnacknowledgedAndAnswersEachFailureAtItsIndex() throws Exception {
        int count = 2 * OutboxRelay.SEND_WINDOW + 17;
        MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
        RuntimeException refused = new org.apache.kafka.common.errors.RecordTooLargeException("record too large");
        AtomicInteger mostUnacknowledged = new AtomicInteger();
        AtomicInteger acknowledged = new AtomicInteger();
        ExecutorService sendingThread = Executors.newSingleThreadExecutor();
        ExecutorService ioThread = Executors.newSingleThreadExecutor();
        // The "I/O thread": acknowledges what was sent, failing records 5 and 2,001, until all are settled.
        ioThread.submit(() -> {
            while (acknowledged.get() < count) {
                mostUnacknowledged.accumulateAndGet(producer.history().size() - acknowledged.get(), Math::max);
                if (producer.history().size() > acknowledged.get()) {
                    int i = acknowledged.getAndIncrement();
                    if (i == 5 || i == 2_001) {
                        producer.errorNext(refused);
                    } else {
                        producer.completeNext();
                    }
                } else {
                    Thread.onSpinWait();
                }
            }
            return null;
        });
        Function<Consumer<Producer<String, String>>, Uni<Void>> onSendingThread = work -> Uni.createFrom()
                .completionStage(java.util.concurrent.CompletableFuture.runAsync(() -> work.accept(producer), sendingThread));
        try {
            List<Throwable> failures = OutboxRelay.sendInOrder(records(count), onSendingThread)
                    .await().atMost(Duration.ofSeconds(30));

            assertEquals(count, producer.history().size());
            for (int i = 0; i < count; i++) {
                assertEquals("event-" + i, producer.history().get(i).value(), "sent out of order at " + i);
            }
            assertTrue(mostUnacknowledged.get() <= OutboxRelay.SEND_WINDOW, "unacknowledged at most: " + mostUnacknowledged.get());
            assertEquals(count, failures.size());
            assertSame(refused, failures.get(5));
            assertSame(refused, failures.get(2_001));
            assertEquals(2, failures.stream().filter(f -> f != null).count());
            assertNull(failures.get(0));
            assertNull(failures.get(count - 1));
            assertTrue(OutboxRelay.refusedForGood(failures.get(5)));
        } finally {
            sendingThread.shutdownNow();
            ioThread.shutdownNow();
        }
    }

    @Test
    void aSendThatThrowsIsThatRecordsFailureAndTheOthersStillGo() {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        IllegalStateException closed = new IllegalStateException("Cannot perform operation after producer has been closed");
        List<ProducerRecord<String, String>> records = records(3);
        List<Throwable> failures = OutboxRelay.sendInOrder(records, work -> {
            work.accept(new org.apache.kafka.clients.producer.MockProducer<>(true, null, new StringSerializer(),
                    new StringSerializer()) {
                @Override
                public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                        ProducerRecord<String, String> record, org.apache.kafka.clients.producer.Callback callback) {
                    if (record.value().equals("event-1")) {
                        throw closed;
                    }
                    return producer.send(record, callback);
                }
            });
            return Uni.createFrom().voidItem();
        }).await().atMost(Duration.ofSeconds(5));
        assertNull(failures.get(0));
        assertSame(closed, failures.get(1));
        assertNull(failures.get(2));
        assertEquals(List.of("event-0", "event-2"), producer.history().stream().map(ProducerRecord::value).toList());
    }

    @Test
    void whenTheSendingThreadRefusesTheWorkEveryRecordFailsWithItsReason() {
        IllegalStateException gone = new IllegalStateException("sending thread shut down");
        List<Throwable> failures = OutboxRelay.sendInOrder(records(4), work -> Uni.createFrom().failure(gone))
                .await().atMost(Duration.ofSeconds(5));
        assertEquals(List.of(gone, gone, gone, gone), failures);
    }

    @Test
    void aRecordWithoutPayloadIsNeverSentAsATombstoneButRefusedForGood() {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        List<ProducerRecord<String, String>> records = records(3);
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("ce_id", "lost-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        records.set(1, new ProducerRecord<>("logisync.milestones.v1", null, null, "SHP-1", null, headers));
        List<Throwable> failures = OutboxRelay.sendInOrder(records, work -> {
            work.accept(producer);
            return Uni.createFrom().voidItem();
        }).await().atMost(Duration.ofSeconds(5));
        assertNull(failures.get(0));
        assertTrue(OutboxRelay.refusedForGood(failures.get(1)), String.valueOf(failures.get(1)));
        assertTrue(failures.get(1).getMessage().contains("lost-1"), failures.get(1).getMessage());
        assertNull(failures.get(2));
        assertEquals(List.of("event-0", "event-2"), producer.history().stream().map(ProducerRecord::value).toList());
    }

    @Test
    void anEmptyRoundAnswersAtOnce() {
        assertEquals(List.of(), OutboxRelay.sendInOrder(List.of(), work -> Uni.createFrom().voidItem()).await().indefinitely());
    }

    @Test
    void theRoundsSpansEndWithItsFirstFailureOrNone() {
        RuntimeException first = new IllegalStateException("first");
        RuntimeException second = new IllegalStateException("second");
        List<Throwable> failures = new ArrayList<>(java.util.Collections.nCopies(1_000, (Throwable) null));
        failures.set(700, second);
        failures.set(3, first);
        assertSame(first, OutboxRelay.firstFailure(failures));
        assertNull(OutboxRelay.firstFailure(java.util.Collections.nCopies(1_000, null)));
        assertNull(OutboxRelay.firstFailure(null));
    }
}
