package com.logisync.milestone;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.milestone.edi.X12Samples;
import com.logisync.milestone.webhook.WebhookSignature;
import com.logisync.runtime.tracing.ShipmentTrace;
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
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The batch, webhook and X12 channels, end to end on the real broker and database. */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "SWIFT", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class IngestionChannelsTest {

    private static void knownShipment(String shipmentId, String bol) {
        EventPublisher.publish(MilestoneIngestionTest.order(shipmentId, "ORD-" + shipmentId, bol), null);
        MilestoneIngestionTest.awaitKnown("BOL:" + bol);
    }

    private static String milestone(String id, String type, String bol, String time) {
        return """
                {"sourceEventId": "%s", "partnerId": "SWIFT", "milestone": "%s", "eventTime": "%s",
                 "references": {"bol": "%s"}}""".formatted(id, type, time, bol);
    }

    @Test
    void aBatchAnswersPerItemAndOneBadItemNeverRejectsTheRest() {
        knownShipment("SHP-C1", "BOL-C1");
        String batch = "[" + String.join(",",
                milestone("b-1", "ARRIVED_DELIVERY", "BOL-C1", "2026-12-02T15:00:00Z"),
                milestone("b-2", "DELIVERED", "BOL-C1", "2026-12-02T15:30:00Z"),
                milestone("b-1", "ARRIVED_DELIVERY", "BOL-C1", "2026-12-02T15:00:00Z"),
                milestone("b-4", "DELIVERED", "BOL-C1", "yesterday"),
                "{\"sourceEventId\": \"b-5\", \"partnerId\": \"SWIFT\", \"milestone\": \"DELIVERED\","
                        + " \"eventTime\": \"2026-12-02T15:30:00Z\", \"references\": {}}",
                milestone("b-6", "DELIVERED", "BOL-UNKNOWN-C1", "2026-12-02T15:30:00Z"),
                "42") + "]";
        given().contentType(ContentType.JSON).body(batch).post("/api/v1/milestones/batch")
                .then().statusCode(200)
                .body("received", equalTo(7))
                .body("recorded", equalTo(2))
                .body("duplicates", equalTo(1))
                .body("parked", equalTo(1))
                .body("rejected", equalTo(3))
                .body("items.outcome", equalTo(List.of("RECORDED", "RECORDED", "DUPLICATE", "REJECTED", "REJECTED",
                        "PARKED", "REJECTED")))
                .body("items[1].shipmentId", equalTo("SHP-C1"))
                .body("items[1].late", equalTo(false))
                .body("items[3].errors[0].field", equalTo("$.eventTime"))
                .body("items[3].errors[0].code", equalTo("invalid-format"))
                .body("items[4].errors.field", hasItem("references.anyKey"))
                .body("items[6].errors[0].code", equalTo("wrong-type"));

        KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-C1", EventType.MILESTONE_RECORDED.ceType(), 2);
        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-C1")).hasSize(2);
        });
        // Each milestone was published from its own row (V13): no outbox row was written for either.
        assertThat(PostgresServer.queryValue("logisync", "select count(*)::text || '/' || count(txid)::text from milestone"
                + " where shipment_id = 'SHP-C1'")).isEqualTo("2/2");
        assertThat(PostgresServer.queryValue("logisync",
                "select count(*)::text from outbox_event where partition_key = 'SHP-C1'")).isEqualTo("0");
        assertThat(PostgresServer.queryValue("logisync", "select string_agg(milestone || ':' || (payload::jsonb ->> 'eventId'),"
                + " ',' order by event_time) from milestone where shipment_id = 'SHP-C1'"))
                .isEqualTo("ARRIVED_DELIVERY:REST_API:SWIFT:b-1,DELIVERED:REST_API:SWIFT:b-2");

        // The whole batch again: every valid item is a duplicate now, nothing is republished.
        given().contentType(ContentType.JSON).body(batch).post("/api/v1/milestones/batch")
                .then().statusCode(200).body("recorded", equalTo(0)).body("duplicates", equalTo(3));
    }

    /**
     * A batch is inserted before anyone looks for its repeats (BatchIngestion): an event recorded before, among new
     * ones, fails the insert, and the batch is ingested again, its repeats looked for first. It answers that event
     * DUPLICATE, records the new ones, and publishes each of them once and the repeat not again. A recorded event
     * reported again under keys that name no shipment is a DUPLICATE too, never parked: a batch with a report to
     * park looks for repeats first.
     */
    @Test
    void aRecordedEventAmongNewOnesIsADuplicateAndNeverParkedAndTheNewOnesArePublishedOnce() {
        knownShipment("SHP-C10", "BOL-C10");
        given().contentType(ContentType.JSON).body("[" + milestone("o-2", "IN_TRANSIT", "BOL-C10", "2026-12-02T10:00:00Z")
                        + "]").post("/api/v1/milestones/batch")
                .then().statusCode(200).body("items.outcome", equalTo(List.of("RECORDED")));
        given().contentType(ContentType.JSON).body("[" + String.join(",",
                        milestone("o-1", "IN_TRANSIT", "BOL-C10", "2026-12-02T09:00:00Z"),
                        milestone("o-2", "IN_TRANSIT", "BOL-C10", "2026-12-02T10:00:00Z"),
                        milestone("o-3", "ARRIVED_DELIVERY", "BOL-C10", "2026-12-02T11:00:00Z")) + "]")
                .post("/api/v1/milestones/batch")
                .then().statusCode(200)
                .body("items.outcome", equalTo(List.of("RECORDED", "DUPLICATE", "RECORDED")))
                .body("items[1].shipmentId", equalTo("SHP-C10"));
        // o-3 again under a BOL no shipment has: recorded before, so a duplicate, not parked for the unknown key.
        given().contentType(ContentType.JSON).body("[" + String.join(",",
                        milestone("o-3", "ARRIVED_DELIVERY", "BOL-C10-UNKNOWN", "2026-12-02T11:00:00Z"),
                        milestone("o-4", "DELIVERED", "BOL-C10", "2026-12-02T12:00:00Z")) + "]")
                .post("/api/v1/milestones/batch")
                .then().statusCode(200)
                .body("items.outcome", equalTo(List.of("DUPLICATE", "RECORDED")));
        assertThat(PostgresServer.queryValue("logisync", "select count(*)::text from parked_milestone"
                + " where event_id = 'REST_API:SWIFT:o-3'")).isEqualTo("0");
        publishedOnceEach("SHP-C10", "o-1", "o-2", "o-3", "o-4");
        assertThat(PostgresServer.queryValue("logisync", "select status_milestone from shipment_context"
                + " where shipment_id = 'SHP-C10'")).isEqualTo("DELIVERED");
        // The shipment's trace: the refused attempt's step says it was rolled back and run again, and carries no
        // exception; the steps that recorded o-2, then o-1 and o-3, then o-4 are plain.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<io.opentelemetry.sdk.trace.data.SpanData> steps = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("record-milestone")
                            && "SHP-C10".equals(s.getAttributes().get(SHIPMENT_ID)))
                    .toList();
            assertThat(steps).extracting(s -> s.getAttributes().get(ShipmentTrace.ROLLED_BACK_ATTRIBUTE) + "/"
                            + s.getAttributes().get(ITEMS))
                    .containsExactly("null/null", "rolled back/3", "null/2", "null/null");
            assertThat(steps).allSatisfy(s -> assertThat(s.getEvents()).noneMatch(e -> e.getName().equals("exception")));
            assertThat(steps.get(1).getEvents()).singleElement().satisfies(e -> {
                assertThat(e.getName()).isEqualTo("rolled back, run again");
                assertThat(e.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("logisync.reason")))
                        .isEqualTo("the batch repeats a recorded event; ingested again, its repeats looked for first");
            });
        });
    }

    private static final io.opentelemetry.api.common.AttributeKey<String> SHIPMENT_ID =
            io.opentelemetry.api.common.AttributeKey.stringKey("logisync.shipment_id");
    private static final io.opentelemetry.api.common.AttributeKey<Long> ITEMS =
            io.opentelemetry.api.common.AttributeKey.longKey("logisync.items");

    @jakarta.inject.Inject
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans;

    /**
     * The batch insert has no {@code on conflict}: a concurrent report of one of its events that commits while the
     * batch writes fails the insert on the event id, and the batch is ingested again, its repeats looked for first
     * (and should another race follow that look, one report at a time). Here the concurrent report is a transaction
     * holding the event's row uncommitted while the batch arrives: the batch waits on the key, then, once it
     * commits, answers that event DUPLICATE and records the others, each published once; once one rolls back
     * instead, the batch records all of its events.
     */
    @Test
    void aBatchRacedByAConcurrentReportOfOneOfItsEventsRecordsTheRestAndTheRacedOneOnce() throws Exception {
        knownShipment("SHP-C9", "BOL-C9");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            assertThat(raced(pool, "race-2", true, "race-1", "race-2", "race-3"))
                    .containsExactly("RECORDED", "DUPLICATE", "RECORDED");
            assertThat(raced(pool, "race-5", false, "race-4", "race-5"))
                    .containsExactly("RECORDED", "RECORDED");
        } finally {
            pool.shutdown();
        }
        publishedOnceEach("SHP-C9", "race-1", "race-3", "race-4", "race-5");
        // race-2 is the concurrent report's row alone (not in the log: it was written without one).
        assertThat(PostgresServer.queryValue("logisync", "select string_agg(event_id || ':' || (txid is not null),"
                + " ',' order by event_id) from milestone where shipment_id = 'SHP-C9'")).isEqualTo(
                "REST_API:SWIFT:race-1:true,REST_API:SWIFT:race-2:false,REST_API:SWIFT:race-3:true,"
                        + "REST_API:SWIFT:race-4:true,REST_API:SWIFT:race-5:true");
    }

    /**
     * The shipment's recorded milestones on Kafka are exactly these REST reports of SWIFT (sorted), each once, and
     * nothing more arrives for 600 ms.
     */
    private static void publishedOnceEach(String shipmentId, String... sourceEventIds) {
        KafkaRecords.awaitEvents(Topics.MILESTONES, shipmentId, EventType.MILESTONE_RECORDED.ceType(), sourceEventIds.length);
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            List<String> published = KafkaRecords.forShipment(Topics.MILESTONES, shipmentId).stream()
                    .map(r -> r.value().replaceAll(".*\"eventId\":\"REST_API:SWIFT:([^\"]+)\".*", "$1")).sorted().toList();
            assertThat(published).containsExactly(sourceEventIds);
        });
    }

    /**
     * Posts a batch of {@code ids} while another transaction holds an uncommitted row for {@code held}; once the
     * batch waits on it, commits or rolls back that transaction, and answers the batch's outcomes.
     */
    private static List<String> raced(java.util.concurrent.ExecutorService pool, String held, boolean commit,
            String... ids) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(PostgresServer.database("logisync"),
                "postgres", "postgres")) {
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement insert = c.prepareStatement("insert into milestone (event_id, shipment_id,"
                    + " milestone, classifier, event_time, received_at, delay_minutes, late, out_of_order, payload)"
                    + " values (?, 'SHP-C9', 'IN_TRANSIT', 'ACTUAL', now(), now(), 0, false, false, '{}')")) {
                insert.setString(1, "REST_API:SWIFT:" + held);
                insert.executeUpdate();
            }
            List<String> items = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                items.add(milestone(ids[i], "IN_TRANSIT", "BOL-C9", "2026-12-02T1" + i + ":00:00Z"));
            }
            java.util.concurrent.Future<List<String>> outcomes = pool.submit(() -> given().contentType(ContentType.JSON)
                    .body("[" + String.join(",", items) + "]").post("/api/v1/milestones/batch")
                    .then().statusCode(200).extract().<List<String>>path("items.outcome"));
            // The batch now waits on the held event id.
            await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(PostgresServer.queryValue("logisync",
                    "select count(*)::text from pg_stat_activity where wait_event_type = 'Lock'"
                            + " and query like 'insert into milestone%'")));
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
            return outcomes.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * The batch is read item by item from the body's tokens: an item whose value fails deep inside (a time in a POD,
     * an array where an object belongs, nested arrays after the failure) is rejected and every item after it is read
     * as sent; a body that is not JSON is refused whole and nothing of it is recorded; an idempotency key replays the
     * same answer for the same body and refuses another body.
     */
    @Test
    void aBatchItemThatFailsDeepInsideIsRejectedAndTheItemsAfterItAreReadAsSent() {
        knownShipment("SHP-C7", "BOL-C7");
        String batch = "[" + String.join(",",
                "{\"sourceEventId\": \"d-1\", \"partnerId\": \"SWIFT\", \"milestone\": \"DELIVERED\","
                        + " \"eventTime\": \"2026-12-02T15:30:00Z\", \"pod\": {\"signedBy\": \"J. Doe\","
                        + " \"signedAt\": \"not a time\", \"documentRef\": \"POD-1\"}, \"location\": {\"name\": \"Dock [1]\"},"
                        + " \"references\": {\"bol\": \"BOL-C7\"}}",
                "{\"sourceEventId\": \"d-2\", \"partnerId\": \"SWIFT\", \"milestone\": \"ARRIVED_DELIVERY\","
                        + " \"location\": [1, {\"a\": [2, [3]]}, \"}\"], \"extra\": {\"b\": [{}]},"
                        + " \"eventTime\": \"2026-12-02T15:00:00Z\", \"references\": {\"bol\": \"BOL-C7\"}}",
                milestone("d-3", "ARRIVED_DELIVERY", "BOL-C7", "2026-12-02T15:05:00Z"),
                "[{\"sourceEventId\": \"d-4\"}]",
                "null",
                milestone("d-6", "DEPARTED_DELIVERY", "BOL-C7", "2026-12-02T15:45:00Z")) + "]";
        given().contentType(ContentType.JSON).header("Idempotency-Key", "batch-c7").body(batch)
                .post("/api/v1/milestones/batch")
                .then().statusCode(200)
                .body("received", equalTo(6))
                .body("rejected", equalTo(4))
                .body("items.outcome", equalTo(List.of("REJECTED", "REJECTED", "RECORDED", "REJECTED", "REJECTED",
                        "RECORDED")))
                .body("items.index", equalTo(List.of(0, 1, 2, 3, 4, 5)))
                .body("items[0].errors[0].field", equalTo("$.pod.signedAt"))
                .body("items[0].errors[0].code", equalTo("invalid-format"))
                .body("items[1].errors[0].field", equalTo("$.location"))
                .body("items[1].errors[0].code", equalTo("wrong-type"))
                .body("items[2].eventId", equalTo("REST_API:SWIFT:d-3"))
                .body("items[2].shipmentId", equalTo("SHP-C7"))
                .body("items[3].errors[0].code", equalTo("wrong-type"))
                .body("items[4].errors[0].code", equalTo("wrong-type"))
                .body("items[5].eventId", equalTo("REST_API:SWIFT:d-6"));
        // The same key and body: the first answer again, nothing recorded twice.
        given().contentType(ContentType.JSON).header("Idempotency-Key", "batch-c7").body(batch)
                .post("/api/v1/milestones/batch")
                .then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("recorded", equalTo(2)).body("items[5].outcome", equalTo("RECORDED"));
        // The same key with another body is refused.
        given().contentType(ContentType.JSON).header("Idempotency-Key", "batch-c7")
                .body("[" + milestone("d-7", "IN_TRANSIT", "BOL-C7", "2026-12-02T16:00:00Z") + "]")
                .post("/api/v1/milestones/batch")
                .then().statusCode(422).body("type", equalTo("urn:logisync:problem:idempotency-key-reused"));
        // Not JSON after a good item: the whole body is refused, the good item is not recorded.
        given().contentType(ContentType.JSON)
                .body("[" + milestone("d-8", "IN_TRANSIT", "BOL-C7", "2026-12-02T16:10:00Z") + ", {\"sourceEventId\": ]")
                .post("/api/v1/milestones/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:malformed-request"))
                .body("errors[0].code", equalTo("malformed-json"));
        given().contentType(ContentType.JSON)
                .body("[" + milestone("d-9", "IN_TRANSIT", "BOL-C7", "2026-12-02T16:20:00Z"))
                .post("/api/v1/milestones/batch")
                .then().statusCode(400).body("errors[0].code", equalTo("malformed-json"));
        assertThat(PostgresServer.queryValue("logisync", "select string_agg(event_id, ',' order by event_id) from milestone"
                + " where shipment_id = 'SHP-C7'")).isEqualTo("REST_API:SWIFT:d-3,REST_API:SWIFT:d-6");
    }

    @Test
    void aBatchMustHoldOneToAThousandItems() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            items.add(milestone("big-" + i, "IN_TRANSIT", "BOL-BIG", "2026-12-02T15:00:00Z"));
        }
        given().contentType(ContentType.JSON).body("[" + String.join(",", items) + "]")
                .post("/api/v1/milestones/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:batch-size"))
                .body("detail", containsString("1001"));
        given().contentType(ContentType.JSON).body("[]").post("/api/v1/milestones/batch").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"not\": \"an array\"}").post("/api/v1/milestones/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].code", equalTo("wrong-type"));
        given().contentType(ContentType.JSON).body("null").post("/api/v1/milestones/batch").then().statusCode(400)
                .body("type", equalTo("urn:logisync:problem:batch-size"));
    }

    private static ValidatableResponse webhook(String partner, String secret, long timestamp, String body) {
        String ts = Long.toString(timestamp);
        return given().contentType(ContentType.JSON)
                .header(WebhookSignature.TIMESTAMP_HEADER, ts)
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, ts, body))
                .body(body).post("/api/v1/webhooks/" + partner).then();
    }

    private static final String TS_SECRET = "local-truckstream-secret";

    private static String truckstream(String id, String type, String bol) {
        return """
                {"event": {"id": "%s", "type": "%s", "occurredAt": "2026-12-02T09:10:00-06:00",
                  "stop": {"type": "DELIVERY", "sequence": 2, "name": "Store 17", "code": "USHOU"},
                  "shipment": {"bol": "%s"}}}""".formatted(id, type, bol);
    }

    @Test
    void aSignedTruckstreamWebhookIsRecordedOnceAndReplaysAndForgeriesAreRefused() {
        knownShipment("SHP-C2", "BOL-C2");
        long now = Instant.now().getEpochSecond();
        String body = truckstream("ts-1", "ARRIVAL", "BOL-C2");
        webhook("TRUCKSTREAM", TS_SECRET, now, body).statusCode(200)
                .body("items[0].outcome", equalTo("RECORDED"))
                .body("items[0].eventId", equalTo("TMS_WEBHOOK:TRUCKSTREAM:ts-1"))
                .body("items[0].shipmentId", equalTo("SHP-C2"));
        ConsumerRecord<String, String> recorded = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-C2",
                EventType.MILESTONE_RECORDED.ceType(), 1).get(0);
        assertThat(recorded.value()).contains("\"milestone\":\"ARRIVED_DELIVERY\"")
                .contains("\"utc\":\"2026-12-02T15:10:00Z\"").contains("\"system\":\"TMS_WEBHOOK\"");

        // The partner redelivers (signed anew): a duplicate, not a second milestone.
        webhook("TRUCKSTREAM", TS_SECRET, now + 1, body).statusCode(200).body("items[0].outcome", equalTo("DUPLICATE"));
        // The very same signed call again is a replay.
        webhook("TRUCKSTREAM", TS_SECRET, now, body).statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("urn:logisync:problem:replayed"));
        // Wrong secret, stale timestamp, no signature, unknown partner.
        webhook("TRUCKSTREAM", "guess", now, truckstream("ts-2", "DEPARTURE", "BOL-C2")).statusCode(401)
                .body("type", equalTo("urn:logisync:problem:signature-invalid"));
        webhook("TRUCKSTREAM", TS_SECRET, now - 600, truckstream("ts-3", "DEPARTURE", "BOL-C2")).statusCode(401)
                .body("type", equalTo("urn:logisync:problem:signature-stale"));
        given().contentType(ContentType.JSON).body(body).post("/api/v1/webhooks/TRUCKSTREAM").then().statusCode(401)
                .body("type", equalTo("urn:logisync:problem:signature-missing"));
        // An unknown partner is answered like a bad signature: the URL reveals no partner list.
        webhook("NOBODY", TS_SECRET, now, body).statusCode(401)
                .body("type", equalTo("urn:logisync:problem:signature-invalid"));
        // Signed, but a type TRUCKSTREAM does not have.
        webhook("TRUCKSTREAM", TS_SECRET, now, truckstream("ts-4", "TELEPORTED", "BOL-C2")).statusCode(422)
                .body("errors[0].field", equalTo("$.event.type"))
                .body("errors[0].code", equalTo("unknown-value"));

        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-C2")).hasSize(1);
        });
    }

    @Test
    void aWebhookWhoseIngestionFailedIsNotRememberedSoThePartnersRetryOfTheSameCallIsTaken() {
        knownShipment("SHP-C9", "BOL-C9");
        // A fault between the replay guard and the milestones: the database refuses this one milestone row.
        PostgresServer.execute("logisync", "create or replace function fail_ts_boom() returns trigger as $$ begin"
                + " if new.event_id like '%ts-boom%' then raise exception 'simulated fault'; end if; return new; end"
                + " $$ language plpgsql");
        PostgresServer.execute("logisync", "create trigger fail_ts_boom before insert on milestone for each row"
                + " execute function fail_ts_boom()");
        long now = Instant.now().getEpochSecond();
        String body = truckstream("ts-boom", "ARRIVAL", "BOL-C9");
        try {
            webhook("TRUCKSTREAM", TS_SECRET, now, body).statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(500))
                    .contentType("application/problem+json");
        } finally {
            PostgresServer.execute("logisync", "drop trigger fail_ts_boom on milestone");
        }
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from webhook_delivery where signature = ?",
                WebhookSignature.sign(TS_SECRET, Long.toString(now), body).trim().toLowerCase())).isEqualTo(0L);
        // The partner retries the very same signed call: taken and recorded, not refused as a replay.
        webhook("TRUCKSTREAM", TS_SECRET, now, body).statusCode(200)
                .body("items[0].outcome", equalTo("RECORDED"))
                .body("items[0].shipmentId", equalTo("SHP-C9"));
        // Now it is remembered: the same call once more is a replay.
        webhook("TRUCKSTREAM", TS_SECRET, now, body).statusCode(401)
                .body("type", equalTo("urn:logisync:problem:replayed"));
    }

    @Test
    void aRoadwiseWebhookCarriesSeveralUpdatesInItsOwnVocabulary() {
        knownShipment("SHP-C3", "BOL-C3");
        String body = """
                {"carrier_scac": "RDWS", "shipment_ref": "BOL-C3", "ref_type": "BOL", "updates": [
                  {"uid": "rw-1", "code": "AD", "ts": 1796224800, "lat": 29.76, "lng": -95.37, "stop_seq": 2},
                  {"uid": "rw-2", "code": "DL", "ts": 1796226600, "signed_by": "M. Alvarez"}]}""";
        webhook("ROADWISE", "local-roadwise-secret", Instant.now().getEpochSecond(), body).statusCode(200)
                .body("recorded", equalTo(2))
                .body("items.eventId", equalTo(List.of("TMS_WEBHOOK:ROADWISE:rw-1", "TMS_WEBHOOK:ROADWISE:rw-2")));
        List<ConsumerRecord<String, String>> events = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-C3",
                EventType.MILESTONE_RECORDED.ceType(), 2);
        assertThat(events).anySatisfy(r -> assertThat(r.value()).contains("\"milestone\":\"DELIVERED\"")
                .contains("\"signedBy\":\"M. Alvarez\"").contains("\"utc\":\"2026-12-02T15:50:00Z\""));
        assertThat(events).anySatisfy(r -> assertThat(r.value()).contains("\"milestone\":\"ARRIVED_DELIVERY\"")
                .contains("\"latitude\":29.76"));
    }

    private static ValidatableResponse x12(String interchange) {
        return given().config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig
                        .encoderConfig().encodeContentTypeAs("application/edi-x12", ContentType.TEXT)))
                .contentType("application/edi-x12").body(interchange).post("/api/v1/edi/x12").then();
    }

    @Test
    void anX12InterchangeIsAcknowledgedPerTransactionAndLocalTimesUseTheStopsZone() {
        knownShipment("SHP-C4", "BOL-C4");
        List<String> delivery = X12Samples.delivery("PRO-C4", "BOL-C4");
        List<String> unknownCode = List.of("B10*PRO-C4X*BOL-C4*SWFT", "LX*1", "AT7*ZZ*NS***20261202*1600");
        x12(X12Samples.interchange('|', '^', '~', "000001001", List.of(delivery, unknownCode))).statusCode(200)
                .body("sender", equalTo("SWFT"))
                .body("interchangeControlNumber", equalTo("000001001"))
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(1))
                .body("transactions[0].status", equalTo("ACCEPTED"))
                .body("transactions[0].milestones.outcome", equalTo(List.of("RECORDED", "RECORDED", "RECORDED")))
                .body("transactions[1].status", equalTo("REJECTED"))
                .body("transactions[1].errors[0]", containsString("AT7-01 'ZZ' is not a known shipment status code"));

        List<ConsumerRecord<String, String>> events = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-C4",
                EventType.MILESTONE_RECORDED.ceType(), 3);
        // D1 at 15:30 local, reported from Houston (MS1: the reporting location's zone, CST in December), is 21:30 UTC.
        assertThat(events).anySatisfy(r -> assertThat(r.value()).contains("\"milestone\":\"DELIVERED\"")
                .contains("\"utc\":\"2026-12-02T21:30:00Z\"").contains("\"zoneId\":\"America/Chicago\"")
                .contains("\"resolution\":\"REPORTING_LOCATION\"").contains("\"system\":\"X12_214\"")
                .contains("\"late\":true"));

        // The same statuses in a new interchange (new ISA13): recognised, not republished.
        x12(X12Samples.interchange('*', '>', '~', "000001002", List.of(delivery))).statusCode(200)
                .body("transactions[0].milestones.outcome", equalTo(List.of("DUPLICATE", "DUPLICATE", "DUPLICATE")));
        // A broken envelope: rejected whole, nothing of it used.
        List<String> fresh = X12Samples.delivery("PRO-C4B", "BOL-C4");
        x12(X12Samples.interchange('*', '>', '~', "000001003", List.of(fresh)).replace("IEA*1*000001003", "IEA*1*000000001"))
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:x12-rejected"))
                .body("errors[0].message", equalTo("IEA02 000000001 does not match ISA13 000001003"));
        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-C4")).hasSize(3);
        });
    }
}
