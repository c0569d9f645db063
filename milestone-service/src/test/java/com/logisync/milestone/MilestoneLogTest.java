package com.logisync.milestone;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.runtime.outbox.OutboxRelay;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.logisync.milestone.MilestoneIngestionTest.awaitKnown;
import static com.logisync.milestone.MilestoneIngestionTest.delivered;
import static com.logisync.milestone.MilestoneIngestionTest.dispatched;
import static com.logisync.milestone.MilestoneIngestionTest.order;
import static com.logisync.milestone.MilestoneIngestionTest.recordOne;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The recorded milestone's row is itself its publication log entry (V13, issue 19: one durable write per
 * milestone): no outbox row is written for it, the relay publishes it from the row, in commit order with the
 * service's other events, and a row Kafka refuses for good is buried without blocking the ones behind it.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@TestSecurity(user = "SWIFT", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class MilestoneLogTest {

    @Inject
    OutboxRelay relay;

    private static Object value(String sql, Object... args) {
        return PostgresServer.queryValue("logisync", sql, args);
    }

    @Test
    void aRecordedMilestoneWritesNoOutboxRowAndIsPublishedFromItsOwnRowUnderItsIdAndTrace() throws Exception {
        // The shipment's trace, begun when ERP released the order.
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        EventPublisher.publish(order("SHP-LOG1", "ORD-LOG1", "BOL-LOG1"), traceparent);
        dispatched("SHP-LOG1", "ORD-LOG1", "LD-LOG1", traceparent);
        awaitKnown("LOAD:LD-LOG1");
        relay.stop().await().atMost(Duration.ofSeconds(10));
        String ceId;
        String kept;
        try {
            given().contentType(ContentType.JSON)
                    .body(delivered("ev-log1", "loadId", "LD-LOG1", "2026-12-02T15:00:00Z"))
                    .post("/api/v1/milestones")
                    .then().statusCode(202).body("outcome", equalTo("RECORDED"));
            // One durable write: the milestone row, no outbox row beside it.
            assertThat(value("select count(*) from outbox_event where partition_key = 'SHP-LOG1'")).isEqualTo(0L);
            assertThat(value("select (txid is not null and seq is not null)::text || ':' ||"
                    + " (part = (hashtext('SHP-LOG1') & 15))::text || ':' || (traceparent like '00-4bf92f3577b34da6a3ce929d0e0e4736-%')::text"
                    + " from milestone where event_id = 'REST_API:SWIFT:ev-log1'")).isEqualTo("true:true:true");
            ceId = (String) value("select ce_id::text from milestone where event_id = 'REST_API:SWIFT:ev-log1'");
            kept = (String) value("select payload from milestone where event_id = 'REST_API:SWIFT:ev-log1'");
            assertThat(ceId).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            // The relay sees it through outbox_rows, as an event of the milestones topic waiting to be published,
            // and its commit counts it (what sizes a round and what admission control reads).
            assertThat(value("select topic || '|' || ce_type || '|' || event_id from outbox_backlog"
                    + " where partition_key = 'SHP-LOG1'"))
                    .isEqualTo(Topics.MILESTONES + "|" + EventType.MILESTONE_RECORDED.ceType() + "|" + ceId);
            assertThat(value("select payload from outbox_rows where partition_key = 'SHP-LOG1'")).isEqualTo(kept);
            assertThat(value("select t.events from outbox_txn t join milestone m on m.txid = t.txid"
                    + " where m.event_id = 'REST_API:SWIFT:ev-log1'")).isEqualTo(1);
        } finally {
            relay.start();
        }
        ConsumerRecord<String, String> published = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-LOG1",
                EventType.MILESTONE_RECORDED.ceType(), 1).get(0);
        assertThat(published.value()).isEqualTo(kept);
        assertThat(published.key()).isEqualTo("SHP-LOG1");
        assertThat(KafkaRecords.header(published, "ce_id")).isEqualTo(ceId);
        // The shipment's trace continues in the record.
        assertThat(KafkaRecords.header(published, "traceparent")).contains("4bf92f3577b34da6a3ce929d0e0e4736");
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(0).equals(
                value("select count(*) from outbox_backlog where partition_key = 'SHP-LOG1'")));
        // The relay reads the milestone rows by their log index (as it reads outbox rows, sequential scans off).
        assertThat(plan("select * from outbox_rows where txid = any('{1,2}'::bigint[]) and part = any('{0,1}'::int[])"))
                .contains("\"Index Name\": \"milestone_log\"").doesNotContain("\"Seq Scan\"");
        // A shipment's milestones (the status facts a correction recomputes) through milestone_shipment. Both indexes
        // are keyed without a column unique to each row (V14), so B-tree deduplication stores a shared key once.
        assertThat(plan("select milestone, classifier, event_time from milestone where shipment_id = 'SHP-LOG1'"
                + " and not voided")).contains("\"Index Name\": \"milestone_shipment\"");
        assertThat(value("select string_agg(indexname || ' ' || substring(indexdef from '\\(.*'), '; ' order by indexname)"
                + " from pg_indexes where tablename = 'milestone' and indexname <> 'milestone_pkey'"))
                .isEqualTo("milestone_log (txid, part) WHERE (txid IS NOT NULL); milestone_shipment (shipment_id)");
    }

    /**
     * The rows a batch's transaction inserted are handed to the relay in memory (OutboxHandOver) and published from
     * there: exactly the rows the relay would read from the database for that transaction (same numbers, partitions,
     * ids, keys, types, payloads, traces and times to the microsecond), forgotten once published.
     */
    @Test
    void aBatchsRowsAreHandedToTheRelayAsTheDatabaseHasThemAndPublishedFromMemory() {
        String traceparent = "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        EventPublisher.publish(order("SHP-LOG4", "ORD-LOG4", "BOL-LOG4"), traceparent);
        awaitKnown("BOL:BOL-LOG4");
        relay.stop().await().atMost(Duration.ofSeconds(10));
        long fromMemory = relay.rowsHandedOver();
        long txid;
        List<com.logisync.runtime.outbox.LogRow> kept;
        try {
            given().contentType(ContentType.JSON).body("[" + String.join(",",
                            batchItem("ho-1", "ARRIVED_PICKUP", "2026-12-02T08:00:00Z"),
                            batchItem("ho-2", "DEPARTED_PICKUP", "2026-12-02T09:00:00Z"),
                            batchItem("ho-3", "IN_TRANSIT", "2026-12-02T10:00:00Z")) + "]")
                    .post("/api/v1/milestones/batch")
                    .then().statusCode(200).body("recorded", equalTo(3));
            txid = ((Number) value("select txid from milestone where event_id = 'REST_API:SWIFT:ho-1'")).longValue();
            assertThat(value("select count(distinct txid) from milestone where shipment_id = 'SHP-LOG4'")).isEqualTo(1L);
            kept = handOver.committed(txid, 3);
            assertThat(kept).hasSize(3);
            List<com.logisync.runtime.outbox.LogRow> read = relay.readRows(txid).await().atMost(Duration.ofSeconds(10));
            assertThat(read).hasSize(3);
            assertThat(kept.stream().sorted(java.util.Comparator.comparingLong(com.logisync.runtime.outbox.LogRow::seq))
                    .toList()).containsExactlyElementsOf(read);
            assertThat(read).extracting(r -> r.partitionKey() + "|" + r.topic() + "|" + r.ceType() + "|"
                    + r.traceparent().substring(0, 35)).containsOnly("SHP-LOG4|" + Topics.MILESTONES + "|"
                    + EventType.MILESTONE_RECORDED.ceType() + "|00-5bf92f3577b34da6a3ce929d0e0e4736");
            // A transaction is taken from memory only when its commit counted as many rows as were handed over.
            assertThat(handOver.committed(txid, 4)).isNull();
        } finally {
            relay.start();
        }
        List<ConsumerRecord<String, String>> published = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-LOG4",
                EventType.MILESTONE_RECORDED.ceType(), 3);
        assertThat(published).extracting(r -> KafkaRecords.header(r, "ce_id"))
                .containsExactlyElementsOf(kept.stream().map(com.logisync.runtime.outbox.LogRow::eventId).toList());
        assertThat(published).extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(kept.stream().map(com.logisync.runtime.outbox.LogRow::payload).toList());
        assertThat(relay.rowsHandedOver() - fromMemory).isGreaterThanOrEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> handOver.committed(txid, 3) == null);
        // Operators see where the relay's rows came from.
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metricValue(metrics, "logisync_outbox_relay_rows_total{source=\"memory\"}"))
                .isGreaterThanOrEqualTo(3.0);
        assertThat(metrics).contains("logisync_outbox_relay_rows_total{source=\"database\"}",
                "logisync_outbox_hand_over_rows_not_kept_total");
    }

    /**
     * The relay's batches travel and are stored compressed (LZ4, sync-runtime's producer settings): a batch of 100
     * milestones grows the topic on the broker's disk by well under half the bytes its records carry (values, keys
     * and headers), and every record is read back, decompressed by the consumer, exactly as the row holds it.
     * Uncompressed, the log would grow by more than the records' bytes (each record's and batch's framing on top).
     */
    @Test
    void aBatchIsPublishedCompressedAndEveryRecordIsReadBackAsItsRowHoldsIt() throws Exception {
        EventPublisher.publish(order("SHP-LOG5", "ORD-LOG5", "BOL-LOG5"), null);
        awaitKnown("BOL:BOL-LOG5");
        await().atMost(Duration.ofSeconds(20)).until(() -> value("select count(*) from outbox_backlog").equals(0L));
        long before = topicBytesOnDisk(Topics.MILESTONES);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append("""
                    {"sourceEventId": "cz-%d", "partnerId": "SWIFT", "milestone": "IN_TRANSIT",
                     "eventTime": "2026-12-02T%02d:%02d:00Z", "references": {"bol": "BOL-LOG5"},
                     "location": {"name": "Interstate 80, mile %d", "latitude": 39.53, "longitude": -119.81,
                      "address": {"city": "Reno", "region": "NV", "country": "US"}}}"""
                    .formatted(i, 8 + i / 60, i % 60, 100 + i));
        }
        given().contentType(ContentType.JSON).body(body.append("]").toString())
                .post("/api/v1/milestones/batch")
                .then().statusCode(200).body("recorded", equalTo(100));
        List<ConsumerRecord<String, String>> published = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-LOG5",
                EventType.MILESTONE_RECORDED.ceType(), 100);
        long recordBytes = 0;
        for (ConsumerRecord<String, String> r : published) {
            recordBytes += r.serializedValueSize() + r.serializedKeySize();
            for (org.apache.kafka.common.header.Header h : r.headers()) {
                recordBytes += h.key().length() + h.value().length;
            }
        }
        assertThat(recordBytes).isGreaterThan(100L * 700);
        long grown = topicBytesOnDisk(Topics.MILESTONES) - before;
        assertThat(grown).as("the topic grew by %d bytes for records of %d bytes", grown, recordBytes)
                .isPositive().isLessThan(recordBytes / 2);
        assertThat(value("select count(*) from milestone where shipment_id = 'SHP-LOG5'")).isEqualTo(100L);
        for (ConsumerRecord<String, String> r : published) {
            assertThat(r.value()).isEqualTo(value("select payload from milestone where ce_id = ?::uuid",
                    KafkaRecords.header(r, "ce_id")));
        }
    }

    /** The size of the topic's partitions in the test broker's log directories. */
    private static long topicBytesOnDisk(String topic) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                com.logisync.testsupport.KafkaBroker.bootstrapServers()))) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream()
                    .map(org.apache.kafka.common.Node::id).toList();
            long bytes = 0;
            for (var dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (var dir : dirs.values()) {
                    for (var replica : dir.replicaInfos().entrySet()) {
                        if (replica.getKey().topic().equals(topic)) {
                            bytes += replica.getValue().size();
                        }
                    }
                }
            }
            return bytes;
        }
    }

    private static double metricValue(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError(series + " not in /q/metrics");
    }

    private static String batchItem(String id, String type, String time) {
        return """
                {"sourceEventId": "%s", "partnerId": "SWIFT", "milestone": "%s", "eventTime": "%s",
                 "references": {"bol": "BOL-LOG4"}}""".formatted(id, type, time);
    }

    @Inject
    com.logisync.runtime.outbox.OutboxHandOver handOver;

    private static String plan(String query) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(PostgresServer.database("logisync"), "postgres",
                "postgres"); java.sql.Statement st = c.createStatement()) {
            st.execute("set enable_seqscan = off");
            try (java.sql.ResultSet rs = st.executeQuery("explain (format json) " + query)) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void aTransactionsMilestoneRowsAndOutboxRowsArePublishedInTheOrderTheyWereWritten() {
        // A valid event to publish (every produced record is checked against its schema), four times over.
        String text = recordOne("SHP-LOG2A", "ev-log2a").replace("'", "''");
        String row = "insert into milestone (event_id, shipment_id, milestone, classifier, event_time, received_at,"
                + " delay_minutes, late, out_of_order, payload, ce_id, traceparent, part, txid, seq) values ('log-order-%s',"
                + " 'SHP-LOG2', 'IN_TRANSIT', 'ACTUAL', now(), now(), 0, false, false, '" + text + "',"
                + " '%s', null, (hashtext('SHP-LOG2') & 15)::smallint, "
                + " pg_current_xact_id()::text::bigint, nextval('outbox_event_seq_seq'));";
        String outbox = "insert into outbox_event (event_id, topic, partition_key, ce_type, payload) values"
                + " ('log-order-%s', '" + Topics.MILESTONES + "', 'SHP-LOG2', '" + EventType.MILESTONE_RECORDED.ceType()
                + "', '" + text + "');";
        relay.stop().await().atMost(Duration.ofSeconds(10));
        try {
            // One transaction writes, in this order: an outbox row, two milestone rows, an outbox row.
            PostgresServer.execute("logisync", "do $$ begin "
                    + outbox.formatted("a")
                    + row.formatted("b", "01890a5d-ac96-774b-bcce-b302099a8057")
                    + row.formatted("c", "01890a5d-ac96-774b-bcce-b302099a8058")
                    + outbox.formatted("d")
                    + " end $$");
            // Its commit counts all four (published and purged at once once the relay runs: retention 0 here).
            assertThat(value("select t.events from outbox_txn t join milestone m on m.txid = t.txid"
                    + " where m.event_id = 'log-order-b'")).isEqualTo(4);
        } finally {
            relay.start();
        }
        List<ConsumerRecord<String, String>> published = await().atMost(Duration.ofSeconds(20))
                .until(() -> KafkaRecords.forShipment(Topics.MILESTONES, "SHP-LOG2"), r -> r.size() == 4);
        assertThat(published).extracting(r -> KafkaRecords.header(r, "ce_id")).containsExactly("log-order-a",
                "01890a5d-ac96-774b-bcce-b302099a8057", "01890a5d-ac96-774b-bcce-b302099a8058", "log-order-d");
        assertThat(published).extracting(ConsumerRecord::value).containsOnly(text.replace("''", "'"));
    }

    @Test
    void aMilestoneRowKafkaRefusesIsBuriedWithItsPayloadAndTheRowsBehindItArePublished() {
        // A 2 MB payload, over the producer's 1 MB max.request.size: Kafka can never take it. The row stays (a
        // recorded milestone is never deleted); the relay keeps it in outbox_dead and its mark passes it.
        String row = "insert into milestone (event_id, shipment_id, milestone, classifier, event_time, received_at,"
                + " delay_minutes, late, out_of_order, payload, ce_id, traceparent, part, txid, seq) values ('%s', 'SHP-LOG3',"
                + " 'IN_TRANSIT', 'ACTUAL', now(), now(), 0, false, false, %s, '%s', null,"
                + " (hashtext('SHP-LOG3') & 15)::smallint, pg_current_xact_id()::text::bigint, nextval('outbox_event_seq_seq'))";
        PostgresServer.execute("logisync", row.formatted("log-big-1", "repeat('x', 2000000)",
                "01890a5d-ac96-774b-bcce-b302099a9001"));
        PostgresServer.execute("logisync", row.formatted("log-ok-1", "'" + recordOne("SHP-LOG3A", "ev-log3a")
                .replace("'", "''") + "'",
                "01890a5d-ac96-774b-bcce-b302099a9002"));

        await().atMost(Duration.ofSeconds(20)).until(() -> KafkaRecords.forShipment(Topics.MILESTONES, "SHP-LOG3")
                .stream().anyMatch(r -> "01890a5d-ac96-774b-bcce-b302099a9002".equals(KafkaRecords.header(r, "ce_id"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(1).equals(
                value("select count(*) from outbox_dead where event_id = '01890a5d-ac96-774b-bcce-b302099a9001'")));
        assertThat((String) value("select reason from outbox_dead where event_id = '01890a5d-ac96-774b-bcce-b302099a9001'"))
                .contains("RecordTooLargeException");
        assertThat(value("select length(payload) || '|' || partition_key || '|' || topic || '|' || ce_type"
                + " from outbox_dead where event_id = '01890a5d-ac96-774b-bcce-b302099a9001'"))
                .isEqualTo("2000000|SHP-LOG3|" + Topics.MILESTONES + "|" + EventType.MILESTONE_RECORDED.ceType());
        // Three attempts were counted for it, then forgotten; the milestone row itself is untouched.
        assertThat(value("select count(*) from outbox_log_attempt where seq = (select seq from milestone"
                + " where event_id = 'log-big-1')")).isEqualTo(0L);
        assertThat(value("select length(payload) from milestone where event_id = 'log-big-1'")).isEqualTo(2000000);
        assertThat(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-LOG3")).extracting(r -> KafkaRecords.header(r, "ce_id"))
                .containsExactly("01890a5d-ac96-774b-bcce-b302099a9002");
        var announced = await().atMost(Duration.ofSeconds(20)).until(() -> KafkaRecords.snapshot(Topics.MILESTONES + ".dlq")
                .stream().filter(r -> "01890a5d-ac96-774b-bcce-b302099a9001".equals(KafkaRecords.header(r, "ce_id")))
                .findFirst(), java.util.Optional::isPresent).get();
        assertThat(KafkaRecords.header(announced, "dead-letter-reason")).contains("RecordTooLargeException");
        assertThat(announced.value()).contains("\"payloadBytes\":2000000").contains("\"keptIn\":\"outbox_dead\"");
        // Nothing is left waiting for the shipment: the marks passed the buried row.
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(0).equals(
                value("select count(*) from outbox_backlog where partition_key = 'SHP-LOG3'")));
    }
}
