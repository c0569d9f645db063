package com.logisync.ordersync;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Correlation;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.HttpStandIn;
import com.logisync.testsupport.HttpStandIn.Reply;
import com.logisync.testsupport.HttpStandInResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import com.logisync.testsupport.JwtTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Amendments, cancellations, the pickup cut-off and the second (legacy) TMS product. */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "test-suite", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(value = HttpStandInResource.class, initArgs = {
        @ResourceArg(name = "name", value = "tms"),
        @ResourceArg(name = "property", value = "quarkus.rest-client.tms.url") })
class OrderChangeTest {

    private static final AtomicInteger LOADS = new AtomicInteger(100);
    private final HttpStandIn tms = HttpStandIn.named("tms");

    @BeforeEach
    void tmsCreatesUpdatesAndCancelsLoads() {
        OrderFixtures.seedMasterData();
        OrderFixtures.seedCustomer("CUST-LEGACY");
        tms.reset();
        tms.on("POST", "/tms/api/v1/loads", r -> Reply.json(201, OrderFixtures.loadCreated("LD-" + LOADS.incrementAndGet())));
    }

    private String release(String orderId) {
        return given().contentType(ContentType.JSON).body(OrderFixtures.order(orderId)).post("/api/v1/orders")
                .then().statusCode(201).body("status", equalTo("DISPATCHED")).extract().path("dispatch.loadId");
    }

    private static String amended(String orderId) {
        return OrderFixtures.order(orderId).replace("\"pieces\": 4", "\"pieces\": 6");
    }

    private static List<String> eventTypes(String shipmentId) {
        return KafkaRecords.forShipment(Topics.ORDERS, shipmentId).stream()
                .map(r -> KafkaRecords.header(r, "ce_type")).toList();
    }

    @Test
    void anAmendmentIsSentToTheTmsOncePublishedAndAnsweredFromTheOrderAfterwards() {
        String loadId = release("ORD-AM-1");
        tms.on("PUT", "/tms/api/v1/loads/" + loadId, r -> Reply.json(200, OrderFixtures.loadCreated(loadId)
                .replace("2026-12-01T14:00:00Z", "2026-12-01T18:00:00Z")));

        String shipmentId = given().contentType(ContentType.JSON).body(amended("ORD-AM-1"))
                .put("/api/v1/orders/ORD-AM-1")
                .then().statusCode(200)
                .body("status", equalTo("DISPATCHED"))
                .body("amendment", equalTo(1))
                .body("dispatch.tmsAmendment", equalTo(1))
                .body("dispatch.inSync", equalTo(true))
                .body("dispatch.plannedPickup", equalTo("2026-12-01T18:00:00Z"))
                .body("history.status", equalTo(List.of("RELEASED", "DISPATCH_PENDING", "DISPATCHED", "AMENDED",
                        "DISPATCHED")))
                .body("history[4].reason", equalTo("load " + loadId + " updated to amendment 1"))
                .extract().path("shipmentId");

        List<HttpStandIn.Received> updates = tms.received("PUT", "/tms/api/v1/loads/" + loadId);
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).header("Idempotency-Key")).isEqualTo(shipmentId + ":amendment-1");
        assertThat(updates.get(0).body()).contains("\"pieces\":6");

        ConsumerRecord<String, String> event = KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId,
                EventType.ORDER_AMENDED.ceType(), 1).get(0);
        assertThat(event.value()).contains("\"amendment\":1").contains("\"pieces\":6")
                .contains("\"loadId\":\"" + loadId + "\"");
        KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId, EventType.DISPATCH_ACCEPTED.ceType(), 2);

        // The same amendment again is a repeat: no new amendment, no call, no event.
        given().contentType(ContentType.JSON).body(amended("ORD-AM-1")).put("/api/v1/orders/ORD-AM-1")
                .then().statusCode(200).body("amendment", equalTo(1));
        // A release now answers from the amended order: its content repeats, the original conflicts.
        given().contentType(ContentType.JSON).body(amended("ORD-AM-1")).post("/api/v1/orders")
                .then().statusCode(200).body("amendment", equalTo(1));
        given().contentType(ContentType.JSON).body(OrderFixtures.order("ORD-AM-1")).post("/api/v1/orders")
                .then().statusCode(409).body("type", equalTo("urn:logisync:problem:order-content-differs"));

        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(tms.received("PUT", "/tms/api/v1/loads/" + loadId)).hasSize(1);
            assertThat(eventTypes(shipmentId)).containsExactlyInAnyOrder(EventType.ORDER_RELEASED.ceType(),
                    EventType.DISPATCH_ACCEPTED.ceType(), EventType.ORDER_AMENDED.ceType(),
                    EventType.DISPATCH_ACCEPTED.ceType());
        });
    }

    @Test
    void anInvalidAmendmentIsRefusedAndLeavesTheOrderAsItWas() {
        release("ORD-AM-2");
        java.time.OffsetDateTime pickup = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusDays(3);
        given().contentType(ContentType.JSON).body(OrderFixtures.order("ORD-AM-2", pickup, pickup.minusDays(2), 800))
                .put("/api/v1/orders/ORD-AM-2")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.code", equalTo(List.of("DELIVERY_BEFORE_PICKUP")));
        given().contentType(ContentType.JSON).body(OrderFixtures.orderFor("CUST-LEGACY", "ORD-AM-2"))
                .put("/api/v1/orders/ORD-AM-2")
                .then().statusCode(422).body("errors[0].code", equalTo("CUSTOMER_CHANGED"));
        given().contentType(ContentType.JSON).body(amended("ORD-AM-OTHER")).put("/api/v1/orders/ORD-AM-2")
                .then().statusCode(400).body("errors[0].field", equalTo("orderId"))
                .body("errors[0].code", equalTo("path-mismatch"));
        given().contentType(ContentType.JSON).body(amended("ORD-AM-NONE")).put("/api/v1/orders/ORD-AM-NONE")
                .then().statusCode(404).body("type", equalTo("urn:logisync:problem:not-found"));

        given().get("/api/v1/orders/ORD-AM-2").then().statusCode(200)
                .body("status", equalTo("DISPATCHED")).body("amendment", equalTo(0))
                .body("history.status", equalTo(List.of("RELEASED", "DISPATCH_PENDING", "DISPATCHED")));
        assertThat(tms.received().stream().filter(r -> r.method().equals("PUT")).toList()).isEmpty();
    }

    @Test
    void anAmendmentWhileTheTmsIsDownWaitsAndIsSentWhenItRecovers() {
        String loadId = release("ORD-AM-3");
        Reply down = Reply.json(503, "{\"error\":\"maintenance\"}");
        tms.thenReply("PUT", "/tms/api/v1/loads/" + loadId, down, down, down, down);
        tms.on("PUT", "/tms/api/v1/loads/" + loadId, r -> Reply.json(200, OrderFixtures.loadCreated(loadId)));

        given().contentType(ContentType.JSON).body(amended("ORD-AM-3")).put("/api/v1/orders/ORD-AM-3")
                .then().statusCode(200)
                .body("status", equalTo("AMENDED"))
                .body("dispatch.inSync", equalTo(false))
                .body("dispatch.lastError", containsString("503"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/orders/ORD-AM-3").then()
                .body("status", equalTo("DISPATCHED")).body("dispatch.tmsAmendment", equalTo(1)));
        assertThat(tms.received("PUT", "/tms/api/v1/loads/" + loadId)).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(c -> assertThat(c.header("Idempotency-Key")).endsWith(":amendment-1"));
    }

    @Test
    void aCancellationIsPublishedAndCarriedOutAtTheTmsOnce() {
        String loadId = release("ORD-CX-1");
        tms.on("POST", "/tms/api/v1/loads/" + loadId + "/cancel",
                r -> Reply.json(200, "{\"loadId\":\"" + loadId + "\",\"status\":\"CANCELLED\"}"));

        String shipmentId = given().contentType(ContentType.JSON).body("{\"reason\": \"PO withdrawn by buyer\"}")
                .post("/api/v1/orders/ORD-CX-1/cancel")
                .then().statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("cancellation.reason", equalTo("PO withdrawn by buyer"))
                .body("cancellation.confirmedByTms", equalTo(true))
                .body("history.status", equalTo(List.of("RELEASED", "DISPATCH_PENDING", "DISPATCHED", "CANCELLED",
                        "CANCELLED")))
                .body("history[3].reason", equalTo("cancelled by test-suite: PO withdrawn by buyer"))
                .body("history[4].reason", equalTo("load " + loadId + " cancelled at the TMS"))
                .extract().path("shipmentId");
        List<HttpStandIn.Received> cancels = tms.received("POST", "/tms/api/v1/loads/" + loadId + "/cancel");
        assertThat(cancels).hasSize(1);
        assertThat(cancels.get(0).header("Idempotency-Key")).isEqualTo(shipmentId + ":cancel");
        assertThat(cancels.get(0).body()).contains("PO withdrawn by buyer");
        ConsumerRecord<String, String> event = KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId,
                EventType.ORDER_CANCELLED.ceType(), 1).get(0);
        assertThat(event.value()).contains("\"reason\":\"PO withdrawn by buyer\"").contains("\"loadId\":\"" + loadId + "\"");

        given().contentType(ContentType.JSON).body("{\"reason\": \"again\"}").post("/api/v1/orders/ORD-CX-1/cancel")
                .then().statusCode(200).body("cancellation.reason", equalTo("PO withdrawn by buyer"));
        given().contentType(ContentType.JSON).body(amended("ORD-CX-1")).put("/api/v1/orders/ORD-CX-1")
                .then().statusCode(409).body("type", equalTo("urn:logisync:problem:order-cancelled"));
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/orders/ORD-CX-1/cancel")
                .then().statusCode(400).body("errors.field", hasItem("reason"));

        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(tms.received("POST", "/tms/api/v1/loads/" + loadId + "/cancel")).hasSize(1);
            assertThat(eventTypes(shipmentId)).filteredOn(EventType.ORDER_CANCELLED.ceType()::equals).hasSize(1);
        });
    }

    @Test
    void aCancellationTheTmsRefusesAsAlreadyPickedUpIsReportedAndUndone() {
        // Our pickup guard had not seen the pickup yet (its consumer lagged); the TMS knows better.
        String loadId = release("ORD-CX-9");
        tms.on("POST", "/tms/api/v1/loads/" + loadId + "/cancel",
                r -> Reply.json(409, "{\"error\":\"load " + loadId + " is already picked up\"}"));
        String shipmentId = given().contentType(ContentType.JSON).body("{\"reason\": \"PO withdrawn\"}")
                .post("/api/v1/orders/ORD-CX-9/cancel").then().statusCode(200).extract().path("shipmentId");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/orders/ORD-CX-9").then()
                .body("status", equalTo("DISPATCHED"))
                .body("cancellation", org.hamcrest.Matchers.nullValue())
                .body("history[-1].reason", containsString("cancellation undone: the TMS refused to cancel load "
                        + loadId)));
        ConsumerRecord<String, String> undone = KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId,
                EventType.ORDER_CANCELLATION_REVERTED.ceType(), 1).get(0);
        assertThat(undone.value()).contains("already picked up").contains("\"loadId\":\"" + loadId + "\"");
        // Refused once, not retried: the TMS's answer is final.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(tms.received("POST", "/tms/api/v1/loads/" + loadId + "/cancel")).hasSize(1);
            assertThat(eventTypes(shipmentId)).filteredOn(EventType.ORDER_CANCELLATION_REVERTED.ceType()::equals)
                    .hasSize(1);
        });
    }

    @Test
    void cancellingAnOrderWhoseLoadAnswerWasLostFindsTheLoadAndCancelsIt() {
        Reply down = Reply.json(503, "{\"error\":\"maintenance\"}");
        tms.thenReply("POST", "/tms/api/v1/loads", down, down, down);
        String shipmentId = given().contentType(ContentType.JSON).body(OrderFixtures.order("ORD-CX-2"))
                .post("/api/v1/orders").then().statusCode(201).body("status", equalTo("DISPATCH_PENDING"))
                .extract().path("shipmentId");
        // The TMS comes back; whatever load it may hold for the shipment must be cancelled.
        String loadId = "LD-" + (LOADS.get() + 1);
        tms.on("POST", "/tms/api/v1/loads/" + loadId + "/cancel",
                r -> Reply.json(200, "{\"loadId\":\"" + loadId + "\",\"status\":\"CANCELLED\"}"));

        given().contentType(ContentType.JSON).body("{\"reason\": \"duplicate order\"}")
                .post("/api/v1/orders/ORD-CX-2/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/orders/ORD-CX-2").then()
                .body("cancellation.confirmedByTms", equalTo(true))
                .body("history[-1].reason", equalTo("load " + loadId + " cancelled at the TMS")));
        assertThat(tms.received("POST", "/tms/api/v1/loads")).allSatisfy(c ->
                assertThat(c.header("Idempotency-Key")).isEqualTo(shipmentId));
        assertThat(tms.received("POST", "/tms/api/v1/loads/" + loadId + "/cancel")).hasSize(1);
        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(eventTypes(shipmentId)).containsExactlyInAnyOrder(EventType.ORDER_RELEASED.ceType(),
                    EventType.ORDER_CANCELLED.ceType());
        });
    }

    @Test
    void oncePickedUpAnOrderCanNeitherBeAmendedNorCancelled() {
        String loadId = release("ORD-PU-1");
        String shipmentId = given().get("/api/v1/orders/ORD-PU-1").then().extract().path("shipmentId");
        Instant loadedAt = Instant.parse("2026-11-27T15:42:00Z");
        // An estimate is not a pickup; the actual loading completion is.
        EventPublisher.publish(milestone(shipmentId, loadId, "e1", MilestoneType.ARRIVED_DELIVERY, Classifier.ESTIMATED,
                Instant.parse("2026-11-28T09:00:00Z")), null);
        MilestoneRecorded loaded = milestone(shipmentId, loadId, "a1", MilestoneType.LOADING_COMPLETED, Classifier.ACTUAL,
                loadedAt);
        String ceId = EventPublisher.publish(loaded, null);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/api/v1/orders/ORD-PU-1")
                .then().body("pickedUpAt", equalTo("2026-11-27T15:42:00Z")));
        // The pickup guard keeps no ledger: its effect is idempotent by itself. The same event redelivered and
        // a later report of the same pickup leave the first pickup time as it was.
        EventPublisher.publish(loaded, ceId, null);
        EventPublisher.publish(milestone(shipmentId, loadId, "a2", MilestoneType.LOADING_COMPLETED, Classifier.ACTUAL,
                Instant.parse("2026-11-27T16:10:00Z")), null);
        com.logisync.testsupport.KafkaRecords.awaitConsumed("order-sync-service.milestones",
                com.logisync.contracts.Topics.MILESTONES, Duration.ofSeconds(15));
        given().get("/api/v1/orders/ORD-PU-1").then().body("pickedUpAt", equalTo("2026-11-27T15:42:00Z"));
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                "select count(*) from processed_event where event_id = ?", ceId)).isEqualTo(0L);

        given().contentType(ContentType.JSON).body("{\"reason\": \"too late\"}").post("/api/v1/orders/ORD-PU-1/cancel")
                .then().statusCode(409)
                .body("type", equalTo("urn:logisync:problem:order-picked-up"))
                .body("pickedUpAt", equalTo("2026-11-27T15:42:00Z"));
        given().contentType(ContentType.JSON).body(amended("ORD-PU-1")).put("/api/v1/orders/ORD-PU-1")
                .then().statusCode(409).body("type", equalTo("urn:logisync:problem:order-picked-up"));
        given().get("/api/v1/orders/ORD-PU-1").then().body("status", equalTo("DISPATCHED"))
                .body("cancellation", nullValue());
    }

    private static MilestoneRecorded milestone(String shipmentId, String loadId, String id, MilestoneType type,
            Classifier classifier, Instant at) {
        return com.logisync.testsupport.Milestones.reported(new Correlation(shipmentId, null, loadId, null, "CUST-ACME", null), id, type, at)
                .classifier(classifier).build();
    }

    @Test
    void aCustomerRoutedToTheLegacyTmsIsBookedInItsVocabulary() {
        tms.on("POST", "/legacy-tms/shipments", r -> Reply.json(200, """
                {"result": "ACK", "tripNo": "T7001", "routeCode": "R12", "carrierName": "Prairie Freight Lines",
                 "driverName": "K. Okafor", "tractorNo": "TR512", "pickupEta": "202612011400", "deliveryEta": "202612022000"}
                """));
        String shipmentId = given().contentType(ContentType.JSON).body(OrderFixtures.orderFor("CUST-LEGACY", "ORD-LG-1"))
                .post("/api/v1/orders")
                .then().statusCode(201)
                .body("status", equalTo("DISPATCHED"))
                .body("dispatch.tmsSystem", equalTo("LEGACY_TMS"))
                .body("dispatch.loadId", equalTo("T7001"))
                .body("dispatch.carrier", equalTo("Prairie Freight Lines"))
                .body("dispatch.plannedPickup", equalTo("2026-12-01T14:00:00Z"))
                .body("dispatch.plannedDelivery", equalTo("2026-12-02T20:00:00Z"))
                .extract().path("shipmentId");
        List<HttpStandIn.Received> bookings = tms.received("POST", "/legacy-tms/shipments");
        assertThat(bookings).hasSize(1);
        assertThat(bookings.get(0).body()).contains("\"clientRef\":\"" + shipmentId + "\"")
                .contains("\"wtLbs\":2646").contains("\"haz\":\"N\"").contains("\"custNo\":\"CUST-LEGACY\"");
        assertThat(tms.received("POST", "/tms/api/v1/loads")).isEmpty();
        assertThat(KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId, EventType.DISPATCH_ACCEPTED.ceType(), 1).get(0)
                .value()).contains("\"tmsSystem\":\"LEGACY_TMS\"").contains("\"loadId\":\"T7001\"");

        // Its cancellation goes to the same product, as a void of the client reference.
        tms.on("POST", "/legacy-tms/shipments/" + shipmentId + "/void", r -> Reply.json(200, "{\"result\": \"ACK\"}"));
        given().contentType(ContentType.JSON).body("{\"reason\": \"customer request\"}")
                .post("/api/v1/orders/ORD-LG-1/cancel")
                .then().statusCode(200).body("cancellation.confirmedByTms", equalTo(true));
        assertThat(tms.received("POST", "/legacy-tms/shipments/" + shipmentId + "/void")).hasSize(1);
    }

    @Test
    void legacyRefusalsAndBusySignalsMapToRejectionAndRetry() {
        Reply nak = Reply.json(200, "{\"result\": \"NAK\", \"reasonCode\": \"E14\", \"reasonText\": \"HAZMAT NOT ACCEPTED ON DRY VAN\"}");
        tms.on("POST", "/legacy-tms/shipments", r -> nak);
        String failedShipment = given().contentType(ContentType.JSON)
                .body(OrderFixtures.orderFor("CUST-LEGACY", "ORD-LG-2")).post("/api/v1/orders")
                .then().statusCode(201).extract().path("shipmentId");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/orders/ORD-LG-2").then()
                .body("status", equalTo("DISPATCH_FAILED"))
                .body("history[-1].reason", containsString("E14 HAZMAT NOT ACCEPTED ON DRY VAN")));
        assertThat(tms.received("POST", "/legacy-tms/shipments")).hasSize(3);
        assertThat(KafkaRecords.awaitEvents(Topics.ORDERS, failedShipment, EventType.DISPATCH_FAILED.ceType(), 1).get(0)
                .value()).contains("E14").contains("\"tmsSystem\":\"LEGACY_TMS\"");

        tms.reset();
        Reply busy = Reply.json(200, "{\"result\": \"BUSY\"}");
        tms.thenReply("POST", "/legacy-tms/shipments", busy, busy, busy);
        tms.on("POST", "/legacy-tms/shipments", r -> Reply.json(200, """
                {"result": "DUP", "tripNo": "T7002", "routeCode": "R3", "carrierName": "Prairie Freight Lines",
                 "driverName": "J. Miller", "tractorNo": "TR501", "pickupEta": "202612011400", "deliveryEta": "202612022000"}
                """));
        given().contentType(ContentType.JSON).body(OrderFixtures.orderFor("CUST-LEGACY", "ORD-LG-3"))
                .post("/api/v1/orders")
                .then().statusCode(201).body("status", equalTo("DISPATCH_PENDING"))
                .body("dispatch.lastError", equalTo("Legacy TMS is busy"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/orders/ORD-LG-3").then()
                .body("status", equalTo("DISPATCHED")).body("dispatch.loadId", equalTo("T7002")));
    }
}
