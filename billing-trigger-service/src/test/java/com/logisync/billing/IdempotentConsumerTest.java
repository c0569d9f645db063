package com.logisync.billing;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.runtime.messaging.IdempotentConsumer;
import com.logisync.runtime.messaging.IncomingEvent;
import com.logisync.runtime.messaging.PoisonEventException;
import com.logisync.runtime.vertx.SafeContext;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The idempotent consumer itself, on the real database: rollback and redelivery, transient retry, poison, unknown type. */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ErpStandIn.class)
class IdempotentConsumerTest {

    @Inject
    IdempotentConsumer consumer;
    @Inject
    Vertx vertx;

    private static ConsumerRecord<String, String> record(String id, String type, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "/logisync/test".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(Topics.ORDERS, 0, 0, System.currentTimeMillis(), TimestampType.CREATE_TIME, -1, -1,
                "CUST-IC", value, headers, Optional.empty());
    }

    /** A CustomerUpdated: a known type with no shipment. */
    private static ConsumerRecord<String, String> customer(String id) {
        return record(id, EventType.CUSTOMER_UPDATED.ceType(), """
                {"customer": {"customerId": "CUST-IC", "name": "IC", "status": "ACTIVE", "creditHold": false,
                 "timeZone": "America/Chicago", "erpVersion": 1}}""");
    }

    private void run(Uni<Void> work) {
        SafeContext.run(vertx, () -> work).await().atMost(Duration.ofSeconds(30));
    }

    private static long processed(String id) {
        return (Long) PostgresServer.queryValue("logisync", "select count(*) from processed_event where event_id = ?", id);
    }

    /** An effect that writes a row of its own (the redrive ledger, as a stand-in table), then maybe fails. */
    private static Function<IncomingEvent, Uni<Void>> writes(String marker, AtomicInteger calls, RuntimeException failure) {
        return e -> {
            calls.incrementAndGet();
            return Panache.getSession().chain(s -> s.createNativeQuery("insert into dead_letter_redrive (dlq_topic,"
                    + " dlq_partition, dlq_offset, redriven_at, redriven_by, outcome) values (:t, 0, 0, now(), 'test',"
                    + " 'TEST') on conflict do nothing").setParameter("t", marker).executeUpdate())
                    .chain(n -> failure == null ? Uni.createFrom().voidItem() : Uni.createFrom().failure(failure));
        };
    }

    private static long markers(String marker) {
        return (Long) PostgresServer.queryValue("logisync", "select count(*) from dead_letter_redrive where dlq_topic = ?",
                marker);
    }

    @Test
    void aFailedEffectRollsBackWithItsLedgerRowAndTheRedeliveryAppliesItOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> run(consumer.process(customer("ic-1"), writes("ic-1", calls,
                new PoisonEventException("refused", null))))).hasMessageContaining("refused");
        assertThat(markers("ic-1")).isZero();
        assertThat(processed("ic-1")).isZero();

        run(consumer.process(customer("ic-1"), writes("ic-1", calls, null)));
        run(consumer.process(customer("ic-1"), writes("ic-1", calls, null)));
        assertThat(calls.get()).isEqualTo(2); // the failed attempt and the one that applied; the redelivery skipped
        assertThat(markers("ic-1")).isEqualTo(1);
        assertThat(processed("ic-1")).isEqualTo(1);
    }

    @Test
    void aTransientFailureIsRetriedUntilItPassesAndNeverDeadLettered() {
        AtomicInteger calls = new AtomicInteger();
        Function<IncomingEvent, Uni<Void>> flaky = e -> calls.incrementAndGet() <= 5
                ? Uni.createFrom().failure(new java.net.ConnectException("Connection refused: the database is restarting"))
                : writes("ic-2", new AtomicInteger(), null).apply(e);
        // Five failures, more than the three times a bug is retried here: a transient one waits as long as it takes.
        run(consumer.apply(customer("ic-2"), flaky));
        assertThat(calls.get()).isEqualTo(6);
        assertThat(markers("ic-2")).isEqualTo(1);
        assertThat(KafkaRecords.snapshot(Topics.ORDERS + ".dlq")).noneMatch(r -> "ic-2".equals(KafkaRecords.header(r, "ce_id")));
    }

    @Test
    void poisonIsNotRetriedAndGoesToTheDeadLetterTopicWithItsReason() {
        AtomicInteger calls = new AtomicInteger();
        run(consumer.apply(customer("ic-3"), writes("ic-3", calls, new PoisonEventException("never valid", null))));
        assertThat(calls.get()).isEqualTo(1);
        ConsumerRecord<String, String> dead = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> KafkaRecords.snapshot(Topics.ORDERS + ".dlq").stream()
                        .filter(r -> "ic-3".equals(KafkaRecords.header(r, "ce_id"))).findFirst(), Optional::isPresent)
                .get();
        assertThat(KafkaRecords.header(dead, "dead-letter-reason")).isEqualTo("never valid");
        assertThat(KafkaRecords.header(dead, "logisync-dlq-service")).isEqualTo("billing-trigger-service");
        assertThat(KafkaRecords.header(dead, "dead-letter-topic")).isEqualTo(Topics.ORDERS);
        assertThat(processed("ic-3")).isZero();
    }

    @Test
    void anUnknownEventTypeFailsVisiblyInsteadOfBeingCommittedAndDropped() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> run(consumer.process(record("ic-4", "com.logisync.orders.teleported.v9", "{}"),
                writes("ic-4", calls, null)))).isInstanceOf(PoisonEventException.class)
                .hasMessageContaining("unknown to this version of billing-trigger-service");
        assertThat(calls.get()).isZero();
        assertThat(processed("ic-4")).isZero();
    }

    /** A batch effect that writes one marker row per event, and fails when it meets {@code failOn}. */
    private static Function<java.util.List<IncomingEvent>, Uni<Void>> writesEach(java.util.List<String> seen,
            String failOn, RuntimeException failure) {
        return events -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (IncomingEvent e : events) {
                chain = chain.chain(() -> {
                    seen.add(e.eventId());
                    if (e.eventId().equals(failOn)) {
                        return Uni.createFrom().failure(failure);
                    }
                    return writes(e.eventId(), new AtomicInteger(), null).apply(e);
                });
            }
            return chain;
        };
    }

    private static ConsumerRecord<String, String> at(ConsumerRecord<String, String> r, long offset) {
        return new ConsumerRecord<>(r.topic(), r.partition(), offset, r.timestamp(), TimestampType.CREATE_TIME, -1, -1,
                r.key(), r.value(), r.headers(), Optional.empty());
    }

    @Test
    void aBatchIsOneTransactionThatSkipsWhatWasAppliedAndDeadLettersOnlyItsUnreadableRecord() {
        run(consumer.process(customer("icb-1"), writes("icb-1", new AtomicInteger(), null)));
        java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.List<ConsumerRecord<String, String>> batch = java.util.List.of(at(customer("icb-1"), 10),
                at(customer("icb-2"), 11), at(record("icb-bad", EventType.CUSTOMER_UPDATED.ceType(), "{not json"), 12),
                at(customer("icb-3"), 13), at(customer("icb-2"), 14));

        run(consumer.applyBatch(batch, writesEach(seen, null, null)));

        // icb-1 was applied before, icb-2 came twice: the effect saw each new event once, in offset order.
        assertThat(seen).containsExactly("icb-2", "icb-3");
        assertThat(markers("icb-2") + markers("icb-3")).isEqualTo(2);
        assertThat(processed("icb-2")).isEqualTo(1);
        assertThat(processed("icb-bad")).isZero();
        ConsumerRecord<String, String> dead = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> KafkaRecords.snapshot(Topics.ORDERS + ".dlq").stream()
                        .filter(r -> "icb-bad".equals(KafkaRecords.header(r, "ce_id"))).findFirst(), Optional::isPresent)
                .get();
        assertThat(KafkaRecords.header(dead, "dead-letter-offset")).isEqualTo("12");
        assertThat(KafkaRecords.snapshot(Topics.ORDERS + ".dlq")).noneMatch(r -> KafkaRecords.header(r, "ce_id")
                .startsWith("icb-") && !"icb-bad".equals(KafkaRecords.header(r, "ce_id")));
    }

    @Test
    void aBatchThatFailsForOneEventIsAppliedOneByOneSoOnlyThatEventIsDeadLettered() {
        java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.List<ConsumerRecord<String, String>> batch = java.util.List.of(at(customer("icf-1"), 20),
                at(customer("icf-2"), 21), at(customer("icf-3"), 22));

        run(consumer.applyBatch(batch, writesEach(seen, "icf-2", new PoisonEventException("icf-2 is refused", null))));

        // The batch rolled back at icf-2, then each record ran in a transaction of its own.
        assertThat(seen).containsExactly("icf-1", "icf-2", "icf-1", "icf-2", "icf-3");
        assertThat(markers("icf-1")).isEqualTo(1);
        assertThat(markers("icf-2")).isZero();
        assertThat(markers("icf-3")).isEqualTo(1);
        assertThat(processed("icf-1") + processed("icf-2") + processed("icf-3")).isEqualTo(2);
        ConsumerRecord<String, String> dead = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> KafkaRecords.snapshot(Topics.ORDERS + ".dlq").stream()
                        .filter(r -> "icf-2".equals(KafkaRecords.header(r, "ce_id"))).findFirst(), Optional::isPresent)
                .get();
        assertThat(KafkaRecords.header(dead, "dead-letter-reason")).isEqualTo("icf-2 is refused");
    }

    @Test
    void aBatchMeetingATransientFailureIsRetriedWholeUntilItPasses() {
        AtomicInteger attempts = new AtomicInteger();
        java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Function<java.util.List<IncomingEvent>, Uni<Void>> flaky = events -> attempts.incrementAndGet() <= 4
                ? Uni.createFrom().failure(new java.net.ConnectException("Connection refused: the database is restarting"))
                : writesEach(seen, null, null).apply(events);
        run(consumer.applyBatch(java.util.List.of(at(customer("ict-1"), 30), at(customer("ict-2"), 31)), flaky));
        assertThat(attempts.get()).isEqualTo(5);
        assertThat(seen).containsExactly("ict-1", "ict-2");
        assertThat(markers("ict-1") + markers("ict-2")).isEqualTo(2);
    }

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    @Test
    void theServicesMapperReadsIsoTimesFastAndEveryOtherShapeAsBefore() throws Exception {
        assertThat(mapper.getRegisteredModuleIds()).contains(com.logisync.runtime.json.FastTimeModule.NAME);
        assertThat(mapper.readValue("\"2026-12-01T06:59:12.123456Z\"", java.time.Instant.class))
                .isEqualTo(java.time.Instant.parse("2026-12-01T06:59:12.123456Z"));
        assertThat(mapper.readValue("\"2026-12-01T08:59:12+02:00\"", java.time.Instant.class))
                .isEqualTo(java.time.Instant.parse("2026-12-01T06:59:12Z"));
        assertThat(mapper.readValue("\"2026-11-28T09:30:00\"", java.time.LocalDateTime.class))
                .isEqualTo(java.time.LocalDateTime.of(2026, 11, 28, 9, 30));
    }

    @Inject
    com.logisync.runtime.messaging.LedgerRetention retention;

    @Test
    void theLedgerForgetsWhatIsOlderThanItsRetentionOverItsIndex() {
        PostgresServer.execute("logisync", "insert into processed_event (consumer, event_id, processed_at) values"
                + " ('billing-trigger-service', 'ic-old', now() - interval '31 days'),"
                + " ('billing-trigger-service', 'ic-recent', now() - interval '29 days')");
        assertThat(retention.purge().await().atMost(Duration.ofSeconds(10))).isGreaterThanOrEqualTo(1);
        assertThat(processed("ic-old")).isZero();
        assertThat(processed("ic-recent")).isEqualTo(1);
        assertThat((String) PostgresServer.queryValue("logisync", "select indexdef from pg_indexes where indexname = ?",
                "processed_event_age")).contains("USING brin (processed_at)");
    }

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void everyReactiveConnectionRunsWithStatementAndLockTimeouts() {
        assertThat(pool.query("show statement_timeout").execute().await().atMost(Duration.ofSeconds(10)).iterator()
                .next().getString(0)).isEqualTo("30s");
        assertThat(pool.query("show lock_timeout").execute().await().atMost(Duration.ofSeconds(10)).iterator()
                .next().getString(0)).isEqualTo("10s");
        // A statement beyond the timeout fails (57014), which the consumers treat as transient.
        assertThat(com.logisync.runtime.messaging.TransientFailures.isTransient(
                new io.vertx.pgclient.PgException("canceling statement due to statement timeout", "ERROR", "57014", null)))
                .isTrue();
    }
}
