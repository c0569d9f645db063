package com.logisync.milestone;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.OrderAmended;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.OrderLine;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import com.logisync.testsupport.JwtTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "SWIFT", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class MilestoneIngestionTest {

    @jakarta.inject.Inject
    jakarta.validation.ValidatorFactory validators;

    private static final Instant DELIVERY_START = Instant.parse("2026-12-02T14:00:00Z");
    private static final Instant DELIVERY_END = Instant.parse("2026-12-02T18:00:00Z");

    static OrderReleased order(String shipmentId, String orderId, String bol) {
        Address addr = new Address("1 Main St", "Houston", "TX", "77002", "US");
        return new OrderReleased(
                new Correlation(shipmentId, orderId, null, null, "CUST-ACME",
                        List.of(new ExternalReference(ReferenceType.BOL, bol))),
                "LTL_STANDARD", List.of(new OrderLine(4, new BigDecimal("1200"), false, "parts")),
                List.of(new Stop(1, StopType.PICKUP, "Dallas DC", "USDAL", addr, "America/Chicago",
                                new TimeWindow(Instant.parse("2026-12-01T14:00:00Z"), Instant.parse("2026-12-01T18:00:00Z"))),
                        new Stop(2, StopType.DELIVERY, "Store 17", "USHOU", addr, "America/Chicago",
                                new TimeWindow(DELIVERY_START, DELIVERY_END))),
                Instant.parse("2026-11-27T10:00:00Z"));
    }

    static void dispatched(String shipmentId, String orderId, String loadId, String traceparent) {
        EventPublisher.publish(new DispatchAccepted(new Correlation(shipmentId, orderId, loadId, null, "CUST-ACME", null),
                new DispatchReference(loadId, "RT-1", "Swift", "D. Ortiz", "TRK-1", null, null, "REST_TMS"),
                Instant.now()), traceparent);
    }

    static String delivered(String sourceEventId, String keyField, String keyValue, String eventTime) {
        return """
                {"sourceEventId": "%s", "partnerId": "SWIFT", "milestone": "DELIVERED",
                 "eventTime": "%s", "references": {"%s": "%s"},
                 "location": {"name": "Store 17", "locationCode": "USHOU"},
                 "pod": {"signedBy": "J. Doe", "signedAt": "%s", "documentRef": "POD-1"}}
                """.formatted(sourceEventId, eventTime, keyField, keyValue, eventTime);
    }

    @jakarta.inject.Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    @Test
    void deliveredMilestoneIsResolvedByLoadIdEnrichedAndPublishedInTheShipmentsTrace() throws Exception {
        String trace = "0af7651916cd43dd8448eb211c80319c";
        String traceparent = "00-" + trace + "-b7ad6b7169203331-01";
        EventPublisher.publish(order("SHP-M1", "ORD-M1", "BOL-M1"), traceparent);
        dispatched("SHP-M1", "ORD-M1", "LD-M1", traceparent);
        awaitKnown("LOAD:LD-M1");

        given().contentType(ContentType.JSON)
                .header("traceparent", "00-11111111111111111111111111111111-2222222222222222-01")
                .body(delivered("ev-1", "loadId", "LD-M1", "2026-12-02T13:30:00-06:00"))
                .post("/api/v1/milestones")
                .then().statusCode(202)
                .body("outcome", equalTo("RECORDED"))
                .body("shipmentId", equalTo("SHP-M1"))
                .body("eventId", equalTo("REST_API:SWIFT:ev-1"))
                .body("late", equalTo(true))
                .body("delayMinutes", equalTo(90));

        ConsumerRecord<String, String> recorded = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-M1",
                EventType.MILESTONE_RECORDED.ceType(), 1).get(0);
        assertThat(recorded.value())
                .contains("\"milestone\":\"DELIVERED\"")
                .contains("\"utc\":\"2026-12-02T19:30:00Z\"")
                .contains("\"orderId\":\"ORD-M1\"").contains("\"loadId\":\"LD-M1\"").contains("\"customerId\":\"CUST-ACME\"")
                .contains("\"signedBy\":\"J. Doe\"")
                .contains("\"delayMinutes\":90").contains("\"late\":true");
        assertThat(KafkaRecords.header(recorded, "traceparent")).contains(trace);
        // Written member by member (MilestoneRecordedJson), it is the very text the application's mapper writes for it.
        assertThat(recorded.value()).isEqualTo(mapper.writeValueAsString(mapper.readValue(recorded.value(),
                com.logisync.contracts.event.MilestoneRecorded.class))).contains("\"signed\":true");
        // What was published fits its committed JSON Schema (KafkaRecords checks every produced record it reads).
        assertThat(com.logisync.testsupport.EventSchemas.violations(EventType.MILESTONE_RECORDED.ceType(),
                recorded.value())).isEmpty();
        assertThat(com.logisync.testsupport.EventSchemas.validated()).isPositive();
        assertThat(com.logisync.testsupport.EventSchemas.violations(EventType.MILESTONE_RECORDED.ceType(),
                recorded.value().replace("\"milestone\":\"DELIVERED\"", "\"milestone\":\"TELEPORTED\"")))
                .isNotEmpty();
    }

    @Test
    void anOutboxRowWrittenBeforeTheMilestoneRowBecameTheLogStillPublishesTheMilestonesText() {
        // Before V13 a recorded milestone wrote an outbox row naming its milestone row (payload_ref, V11) instead of
        // a copy of the event, and a pod of that version still does during a rolling upgrade (its statements, below).
        // Such a row is published with the milestone row's text, and the milestone row, outside the log, is not.
        // (MilestoneLogTest covers how a milestone is published now: from its own row.)
        String text = recordOne("SHP-MR0", "ev-r0").replace("'", "''");
        PostgresServer.execute("logisync", "do $$ begin"
                + " insert into milestone (event_id, shipment_id, milestone, classifier, event_time, received_at,"
                + " delay_minutes, late, out_of_order, payload) values ('REST_API:SWIFT:ev-r1', 'SHP-MR1',"
                + " 'DELIVERED', 'ACTUAL', now(), now(), 0, false, false, '" + text + "');"
                + " insert into outbox_event (event_id, topic, partition_key, ce_type, payload, payload_ref) values"
                + " ('legacy-ref-1', '" + Topics.MILESTONES + "', 'SHP-MR1', '" + EventType.MILESTONE_RECORDED.ceType()
                + "', null, 'REST_API:SWIFT:ev-r1');"
                + " end $$");
        ConsumerRecord<String, String> published = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-MR1",
                EventType.MILESTONE_RECORDED.ceType(), 1).get(0);
        assertThat(published.value()).isEqualTo(text.replace("''", "'"));
        assertThat(KafkaRecords.header(published, "ce_id")).isEqualTo("legacy-ref-1");
        // Published once: the old milestone row is not itself in the log (no transaction id).
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () ->
                assertThat(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-MR1")).hasSize(1));
    }

    @Test
    void anEventsTextOutsideAsciiIsStoredAndPublishedIntact() throws Exception {
        EventPublisher.publish(order("SHP-MU1", "ORD-MU1", "BOL-MU1"), null);
        dispatched("SHP-MU1", "ORD-MU1", "LD-MU1", null);
        awaitKnown("LOAD:LD-MU1");
        String name = "Zoë's dock 日本 🚚 \\ \"north\"";
        given().contentType(ContentType.JSON)
                .body(delivered("ev-u1", "loadId", "LD-MU1", "2026-12-02T15:00:00Z").replace("\"Store 17\"",
                        "\"Zoë's dock 日本 🚚 \\\\ \\\"north\\\"\""))
                .post("/api/v1/milestones")
                .then().statusCode(202).body("outcome", equalTo("RECORDED"));
        // The payload goes to PostgreSQL as UTF-8 bytes (SessionSql.utf8) and is the same text in the row and on Kafka.
        String kept = (String) PostgresServer.queryValue("logisync",
                "select payload from milestone where event_id = 'REST_API:SWIFT:ev-u1'");
        assertThat(kept).contains("\"name\":\"Zoë's dock 日本 🚚 \\\\ \\\"north\\\"\"");
        ConsumerRecord<String, String> published = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-MU1",
                EventType.MILESTONE_RECORDED.ceType(), 1).get(0);
        assertThat(published.value()).isEqualTo(kept);
        assertThat(mapper.readValue(kept, com.logisync.contracts.event.MilestoneRecorded.class).location().name())
                .isEqualTo(name);
    }

    @Test
    void eventIdsAreComparedByteByByteWhateverTheDatabasesLocaleAndTheRelaysJoinStillUsesTheKey() {
        // V12: the column's own collation, so a database made with another locale (en_US.UTF-8) compares the same way.
        assertThat(PostgresServer.queryValue("logisync", "select collation_name from information_schema.columns"
                + " where table_name = 'milestone' and column_name = 'event_id'")).isEqualTo("C");
        // The relay's view was dropped and made again around the change: its join is still a primary-key lookup.
        String plan = String.valueOf(PostgresServer.queryValue("logisync",
                "explain (format json) select payload from outbox_rows where seq = 1"));
        assertThat(plan).contains("\"Index Name\": \"milestone_pkey\"");
    }

    @Test
    void anAmendedDeliveryWindowIsWhatLatenessIsMeasuredAgainst() {
        OrderReleased released = order("SHP-M8", "ORD-M8", "BOL-M8");
        // ERP moves the delivery window two hours later and adds a PO number the carrier will quote.
        List<Stop> stops = List.of(released.stops().get(0), new Stop(2, StopType.DELIVERY, "Store 17", "USHOU",
                released.stops().get(1).address(), "America/Chicago",
                new TimeWindow(DELIVERY_START.plusSeconds(7200), DELIVERY_END.plusSeconds(7200))));
        Correlation amendedKeys = new Correlation("SHP-M8", "ORD-M8", null, null, "CUST-ACME",
                List.of(new ExternalReference(ReferenceType.BOL, "BOL-M8"), new ExternalReference(ReferenceType.PO, "PO-M8")));
        EventPublisher.publish(released, null);
        EventPublisher.publish(new OrderAmended(amendedKeys, 1, "LTL_STANDARD", released.lines(), stops,
                Instant.parse("2026-11-28T08:00:00Z")), null);
        awaitKnown("PO:PO-M8");

        // 19:30Z is 90 minutes after the original window but inside the amended one (16:00-20:00Z).
        given().contentType(ContentType.JSON).body(delivered("ev-8", "po", "PO-M8", "2026-12-02T19:30:00Z"))
                .post("/api/v1/milestones")
                .then().statusCode(202)
                .body("outcome", equalTo("RECORDED"))
                .body("shipmentId", equalTo("SHP-M8"))
                .body("late", equalTo(false))
                .body("delayMinutes", equalTo(0));
    }

    @Test
    void aRepeatedReportIsADuplicateAndIsNotRepublished() {
        EventPublisher.publish(order("SHP-M2", "ORD-M2", "BOL-M2"), null);
        awaitKnown("BOL:BOL-M2");
        String body = delivered("ev-2", "bol", "BOL-M2", "2026-12-02T15:00:00Z");

        given().contentType(ContentType.JSON).body(body).post("/api/v1/milestones")
                .then().statusCode(202).body("outcome", equalTo("RECORDED")).body("late", equalTo(false));
        given().contentType(ContentType.JSON).body(body).post("/api/v1/milestones")
                .then().statusCode(202).body("outcome", equalTo("DUPLICATE")).body("shipmentId", equalTo("SHP-M2"));

        KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-M2", EventType.MILESTONE_RECORDED.ceType(), 1);
        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-M2")).hasSize(1);
        });
    }

    @Test
    void aMilestoneForAnUnknownShipmentIsParkedThenRecordedWhenTheOrderArrives() {
        given().contentType(ContentType.JSON).body(delivered("ev-3", "orderId", "ORD-M3", "2026-12-02T16:00:00Z"))
                .post("/api/v1/milestones")
                .then().statusCode(202).body("outcome", equalTo("PARKED"));
        assertThat(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-M3")).isEmpty();
        // Announced as parked (for the monitor's stuck list), keyed by the report, with its keys.
        ConsumerRecord<String, String> parked = KafkaRecords.awaitEvents(Topics.MILESTONES, "parked:REST_API:SWIFT:ev-3",
                EventType.MILESTONE_PARKED.ceType(), 1).get(0);
        assertThat(parked.value()).contains("\"eventId\":\"REST_API:SWIFT:ev-3\"").contains("\"status\":\"UNMATCHED\"")
                .contains("\"partnerId\":\"SWIFT\"").contains("\"milestone\":\"DELIVERED\"").contains("ORDER:ORD-M3");

        EventPublisher.publish(order("SHP-M3", "ORD-M3", "BOL-M3"), null);

        ConsumerRecord<String, String> recorded = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-M3",
                EventType.MILESTONE_RECORDED.ceType(), 1).get(0);
        assertThat(recorded.value()).contains("\"eventId\":\"REST_API:SWIFT:ev-3\"").contains("\"orderId\":\"ORD-M3\"");
    }

    @Test
    void aLateEarlierMilestoneIsRecordedButFlaggedOutOfOrder() {
        EventPublisher.publish(order("SHP-M4", "ORD-M4", "BOL-M4"), null);
        awaitKnown("ORDER:ORD-M4");
        given().contentType(ContentType.JSON).body(delivered("ev-4a", "orderId", "ORD-M4", "2026-12-02T15:00:00Z"))
                .post("/api/v1/milestones").then().statusCode(202).body("outOfOrder", equalTo(false));
        given().contentType(ContentType.JSON).body("""
                {"sourceEventId": "ev-4b", "partnerId": "SWIFT", "milestone": "DEPARTED_PICKUP",
                 "eventTime": "2026-12-01T16:00:00Z", "references": {"orderId": "ORD-M4"}}
                """).post("/api/v1/milestones")
                .then().statusCode(202).body("outcome", equalTo("RECORDED")).body("outOfOrder", equalTo(true));
    }

    @Test
    void aMilestoneWithoutAnyKeyOrTimeIsA400NamingTheFields() {
        given().contentType(ContentType.JSON)
                .body("{\"sourceEventId\": \"ev-5\", \"partnerId\": \"SWIFT\", \"milestone\": \"DELIVERED\", \"references\": {}}")
                .post("/api/v1/milestones")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("eventTime"))
                .body("errors.field", hasItem("references.anyKey"));
        // Nested properties are checked without asking JPA whether they are loaded (sync-runtime's ValidateEverything).
        assertThat(validators.getTraversableResolver())
                .isInstanceOf(com.logisync.runtime.validation.ValidateEverything.TraverseAll.class);
        given().contentType(ContentType.JSON)
                .body(delivered("ev-6", "orderId", "X", "2026-12-02T16:00:00Z").replace("DELIVERED", "TELEPORTED"))
                .post("/api/v1/milestones")
                .then().statusCode(400).body("errors[0].field", equalTo("$.milestone"));
    }

    @Test
    void aPoisonRecordOnTheOrdersTopicIsDeadLetteredAndTheChannelKeepsGoing() {
        KafkaRecords.send(Topics.ORDERS, "SHP-BAD", "{not json", Map.of("ce_id", "bad-1",
                "ce_type", EventType.ORDER_RELEASED.ceType(), "ce_specversion", "1.0", "ce_source", "/x"));
        EventPublisher.publish(order("SHP-M7", "ORD-M7", "BOL-M7"), null);

        List<ConsumerRecord<String, String>> dead = KafkaRecords.awaitRecords(Topics.deadLetter(Topics.ORDERS), 1,
                r -> "SHP-BAD".equals(r.key()));
        assertThat(KafkaRecords.header(dead.get(0), "dead-letter-reason")).contains("Unreadable");
        awaitKnown("ORDER:ORD-M7");
    }

    /**
     * Groups are written one at a time, but one that stalls (here on a shipment's row lock, held by another session)
     * does not hold up the rest: after {@code overlap-after} (100 ms) the next group starts beside it, and both reports
     * are recorded once the lock is released.
     */
    @Test
    void aStalledGroupDoesNotHoldUpTheNextOne() throws Exception {
        EventPublisher.publish(order("SHP-M10", "ORD-M10", "BOL-M10"), null);
        EventPublisher.publish(order("SHP-M11", "ORD-M11", "BOL-M11"), null);
        awaitKnown("BOL:BOL-M10");
        awaitKnown("BOL:BOL-M11");
        String report = """
                {"sourceEventId": "%s", "partnerId": "SWIFT", "milestone": "IN_TRANSIT",
                 "eventTime": "2026-12-02T12:00:00Z", "references": {"bol": "%s"}}""";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (java.sql.Connection holder = java.sql.DriverManager.getConnection(PostgresServer.database("logisync"),
                "postgres", "postgres")) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("select 1 from shipment_context where shipment_id = 'SHP-M10' for update");
            java.util.concurrent.Future<String> stalled = pool.submit(() -> given().contentType(ContentType.JSON)
                    .body(report.formatted("stall-1", "BOL-M10")).post("/api/v1/milestones").then().statusCode(202)
                    .extract().<String>path("outcome"));
            await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(1).equals(PostgresServer.queryValue("logisync",
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%shipment_context%'")));
            // The group of SHP-M10 waits on the lock; SHP-M11's report is recorded beside it.
            java.util.concurrent.Future<String> next = pool.submit(() -> given().contentType(ContentType.JSON)
                    .body(report.formatted("stall-2", "BOL-M11")).post("/api/v1/milestones").then().statusCode(202)
                    .extract().<String>path("outcome"));
            assertThat(next.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("RECORDED");
            assertThat(stalled.isDone()).as("the first group still waits on the lock").isFalse();
            holder.commit();
            assertThat(stalled.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("RECORDED");
        } finally {
            pool.shutdownNow();
        }
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from milestone where event_id in (?, ?)",
                "REST_API:SWIFT:stall-1", "REST_API:SWIFT:stall-2")).isEqualTo(2L);
    }

    /**
     * Single reports arriving together are written in groups (GroupedIngestion): each still gets its
     * own outcome, a report sent twice at the same moment is recorded once, and nothing is lost.
     */
    @Test
    void concurrentSingleReportsAreGroupedYetEachIsRecordedExactlyOnce() throws Exception {
        EventPublisher.publish(order("SHP-M9", "ORD-M9", "BOL-M9"), null);
        awaitKnown("BOL:BOL-M9");
        List<String> bodies = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String body = """
                    {"sourceEventId": "grp-%d", "partnerId": "SWIFT", "milestone": "IN_TRANSIT",
                     "eventTime": "2026-12-02T1%d:%02d:00Z", "references": {"bol": "BOL-M9"}}
                    """.formatted(i, i % 10, i);
            bodies.add(body);
            bodies.add(body); // the same report twice, racing itself
        }
        for (int i = 0; i < 5; i++) {
            bodies.add("""
                    {"sourceEventId": "grp-unknown-%d", "partnerId": "SWIFT", "milestone": "IN_TRANSIT",
                     "eventTime": "2026-12-02T12:00:00Z", "references": {"bol": "BOL-NOT-YET-%d"}}
                    """.formatted(i, i));
        }
        java.util.Collections.shuffle(bodies, new java.util.Random(7));
        Map<String, Double> countedBefore = reportCounts();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(24);
        List<java.util.concurrent.Future<String>> outcomes = new java.util.ArrayList<>();
        for (String body : bodies) {
            outcomes.add(pool.submit(() -> given().contentType(ContentType.JSON).body(body).post("/api/v1/milestones")
                    .then().statusCode(202).extract().path("outcome")));
        }
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (var f : outcomes) {
            counts.merge(f.get(), 1L, Long::sum);
        }
        pool.shutdown();

        assertThat(counts).isEqualTo(Map.of("RECORDED", 30L, "DUPLICATE", 30L, "PARKED", 5L));
        // The same outcomes in /q/metrics (logisync_milestones_total{channel, partner, outcome}).
        Map<String, Double> countedAfter = reportCounts();
        Map<String, Double> counted = new java.util.TreeMap<>();
        countedAfter.forEach((outcome, n) -> counted.put(outcome, n - countedBefore.getOrDefault(outcome, 0.0)));
        assertThat(counted).isEqualTo(Map.of("RECORDED", 30.0, "DUPLICATE", 30.0, "PARKED", 5.0));
        KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-M9", EventType.MILESTONE_RECORDED.ceType(), 30);
        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            List<ConsumerRecord<String, String>> published = KafkaRecords.forShipment(Topics.MILESTONES, "SHP-M9");
            assertThat(published).hasSize(30);
            assertThat(published.stream().map(r -> r.value().replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1")).distinct())
                    .hasSize(30).contains("REST_API:SWIFT:grp-0", "REST_API:SWIFT:grp-29");
            assertThat(PostgresServer.queryValue("logisync", "select count(*)::text from parked_milestone"
                    + " where event_id like ?", "REST_API:SWIFT:grp-unknown-%")).isEqualTo("5");
        });
    }

    /**
     * Releases and dispatches a shipment, records one delivery for it through the REST API and answers the
     * MilestoneRecorded text kept in its row (shared by this module's tests: a valid event to publish).
     */
    static String recordOne(String shipmentId, String sourceEventId) {
        EventPublisher.publish(order(shipmentId, "ORD-" + shipmentId, "BOL-" + shipmentId), null);
        dispatched(shipmentId, "ORD-" + shipmentId, "LD-" + shipmentId, null);
        awaitKnown("LOAD:LD-" + shipmentId);
        given().contentType(ContentType.JSON)
                .body(delivered(sourceEventId, "loadId", "LD-" + shipmentId, "2026-12-02T15:00:00Z"))
                .post("/api/v1/milestones")
                .then().statusCode(202).body("outcome", equalTo("RECORDED"));
        return (String) PostgresServer.queryValue("logisync", "select payload from milestone where event_id = ?",
                "REST_API:SWIFT:" + sourceEventId);
    }

    /** Waits until milestone-service has learned the key from the orders topic (shared by this module's tests). */
    static void awaitKnown(String refKey) {
        await().atMost(Duration.ofSeconds(20)).until(() -> PostgresServer.queryValue("logisync",
                "select shipment_id from shipment_reference where ref_key = ?", refKey) != null);
    }

    /** SWIFT's REST reports counted so far in /q/metrics, by outcome. */
    private static Map<String, Double> reportCounts() {
        Map<String, Double> out = new java.util.TreeMap<>();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(
                "logisync_milestones_total\\{([^}]*)} ([0-9.Ee+-]+).*");
        for (String l : given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            java.util.regex.Matcher m = line.matcher(l);
            if (m.matches() && m.group(1).contains("channel=\"REST_API\"") && m.group(1).contains("partner=\"SWIFT\"")) {
                String outcome = m.group(1).replaceAll(".*outcome=\"([A-Z_]+)\".*", "$1");
                out.merge(outcome, Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return out;
    }
}
