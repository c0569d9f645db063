package com.logisync.ordersync;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.testsupport.HttpStandIn;
import com.logisync.testsupport.HttpStandIn.Reply;
import com.logisync.testsupport.HttpStandInResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import com.logisync.testsupport.JwtTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "test-suite", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(value = HttpStandInResource.class, initArgs = {
        @ResourceArg(name = "name", value = "tms"),
        @ResourceArg(name = "property", value = "quarkus.rest-client.tms.url") })
class OrderReleaseTest {

    private static final AtomicInteger LOADS = new AtomicInteger();
    private final HttpStandIn tms = HttpStandIn.named("tms");

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void tmsCreatesLoads() {
        OrderFixtures.seedMasterData();
        tms.reset();
        tms.on("POST", "/tms/api/v1/loads", r -> Reply.json(201, OrderFixtures.loadCreated("LD-" + LOADS.incrementAndGet())));
    }

    @Test
    void releasedOrderIsDispatchedAndPublishedAsCloudEventsUnderTheErpTrace() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String shipmentId = given().contentType(ContentType.JSON)
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(OrderFixtures.order("ORD-IT-1"))
                .when().post("/api/v1/orders")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/orders/ORD-IT-1"))
                .body("status", equalTo("DISPATCHED"))
                .body("dispatch.loadId", startsWith("LD-"))
                .body("dispatch.carrier", equalTo("Swift Haulage"))
                .body("history.status", equalTo(List.of("RELEASED", "DISPATCH_PENDING", "DISPATCHED")))
                .extract().path("shipmentId");

        List<HttpStandIn.Received> loads = tms.received("POST", "/tms/api/v1/loads");
        assertThat(loads).hasSize(1);
        assertThat(loads.get(0).header("Idempotency-Key")).isEqualTo(shipmentId);
        assertThat(loads.get(0).body()).contains("\"orderReference\":\"ORD-IT-1\"").contains("\"weightKg\":1200");
        assertThat(loads.get(0).header("traceparent")).contains(traceId);

        ConsumerRecord<String, String> released = KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId,
                EventType.ORDER_RELEASED.ceType(), 1).get(0);
        assertThat(KafkaRecords.header(released, "ce_specversion")).isEqualTo("1.0");
        assertThat(KafkaRecords.header(released, "ce_source")).isEqualTo("/logisync/order-sync-service");
        assertThat(KafkaRecords.header(released, "ce_subject")).isEqualTo(shipmentId);
        assertThat(KafkaRecords.header(released, "traceparent")).contains(traceId);
        // The binary-mode CloudEvent, header for header as the Kafka connector wrote it (the relay writes records itself).
        assertThat(java.util.Arrays.stream(released.headers().toArray()).map(h -> h.key()).toList()).containsExactly(
                "traceparent", "ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject", "ce_datacontenttype",
                "content-type", "ce_time");
        assertThat(released.key()).isEqualTo(shipmentId);
        assertThat(KafkaRecords.header(released, "ce_type")).isEqualTo(EventType.ORDER_RELEASED.ceType());
        assertThat(KafkaRecords.header(released, "content-type")).isEqualTo("application/json");
        assertThat(KafkaRecords.header(released, "ce_datacontenttype")).isEqualTo("application/json");
        assertThat(KafkaRecords.header(released, "ce_time")).endsWith("Z");
        assertThat(java.time.OffsetDateTime.parse(KafkaRecords.header(released, "ce_time")).toInstant())
                .isBetween(java.time.Instant.now().minusSeconds(120), java.time.Instant.now());
        assertThat(released.value()).contains("\"orderId\":\"ORD-IT-1\"").contains("\"zoneId\":\"America/Chicago\"")
                .contains("{\"type\":\"BOL\",\"value\":\"BOL-ORD-IT-1\"}");

        ConsumerRecord<String, String> accepted = KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId,
                EventType.DISPATCH_ACCEPTED.ceType(), 1).get(0);
        assertThat(accepted.value()).contains("\"loadId\":\"LD-").contains("\"routeId\":\"RT-9\"");
        assertThat(KafkaRecords.header(accepted, "traceparent")).contains(traceId);
        assertThat(accepted.partition()).isEqualTo(released.partition());

        // Every step this service took for the order ran in ERP's trace: the request, the use case,
        // the handoff (and its call to the TMS), and the relay's two publications.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<SpanData> inTrace = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId)).toList();
            assertThat(inTrace).extracting(SpanData::getName)
                    .contains("POST /api/v1/orders", "release-order", "tms-create");
            assertThat(inTrace).filteredOn(s -> s.getKind() == SpanKind.PRODUCER).hasSize(2);
            assertThat(inTrace).filteredOn(s -> s.getKind() == SpanKind.CLIENT && s.getName().startsWith("POST"))
                    .isNotEmpty();
        });
    }

    @Test
    void repeatingAReleaseIsIdempotentAndDifferentContentConflicts() {
        String body = OrderFixtures.order("ORD-IT-2");
        String shipmentId = given().contentType(ContentType.JSON).body(body).post("/api/v1/orders")
                .then().statusCode(201).extract().path("shipmentId");

        given().contentType(ContentType.JSON).body(body).post("/api/v1/orders")
                .then().statusCode(200).body("shipmentId", equalTo(shipmentId)).body("status", equalTo("DISPATCHED"));

        given().contentType(ContentType.JSON).body(body.replace("\"pieces\": 4", "\"pieces\": 5"))
                .post("/api/v1/orders")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:order-content-differs"))
                .body("shipmentId", equalTo(shipmentId));

        assertThat(tms.received("POST", "/tms/api/v1/loads")).hasSize(1);
        KafkaRecords.awaitRecords(Topics.ORDERS, 2, r -> shipmentId.equals(r.key()));
        // Give the outbox relay time to publish anything a repeat might wrongly have written.
        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(KafkaRecords.forShipment(Topics.ORDERS, shipmentId)).extracting(r -> KafkaRecords.header(r, "ce_type"))
                    .containsExactlyInAnyOrder(EventType.ORDER_RELEASED.ceType(), EventType.DISPATCH_ACCEPTED.ceType());
        });
    }

    @Test
    void ordersAreListedByCustomerAndStatusAPageAtATime() {
        for (String id : List.of("ORD-LIST-1", "ORD-LIST-2", "ORD-LIST-3")) {
            given().contentType(ContentType.JSON).body(OrderFixtures.order(id)).post("/api/v1/orders")
                    .then().statusCode(201);
        }
        given().queryParam("customerId", "CUST-ACME").queryParam("status", "dispatched").queryParam("size", 2)
                .get("/api/v1/orders")
                .then().statusCode(200)
                .body("items", hasSize(2))
                .body("size", equalTo(2))
                .body("items.status", everyItem(equalTo("DISPATCHED")))
                .body("items.customerId", everyItem(equalTo("CUST-ACME")));
        List<String> newestFirst = given().queryParam("customerId", "CUST-ACME").queryParam("size", 200)
                .get("/api/v1/orders").then().statusCode(200).extract().path("items.orderId");
        assertThat(newestFirst).containsSubsequence("ORD-LIST-3", "ORD-LIST-2", "ORD-LIST-1");
        given().queryParam("customerId", "CUST-NOBODY").get("/api/v1/orders")
                .then().statusCode(200).body("items", hasSize(0)).body("total", equalTo(0));
        given().queryParam("status", "LOST").get("/api/v1/orders").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("status"));
        given().queryParam("size", 500).get("/api/v1/orders").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("size"));
    }

    @Test
    void ordersArePagedByCursorNewestFirstWithoutSkippingOrRepeatingWhileOrdersAreReleased() {
        for (String id : List.of("ORD-PAGE-1", "ORD-PAGE-2", "ORD-PAGE-3", "ORD-PAGE-4", "ORD-PAGE-5")) {
            given().contentType(ContentType.JSON).body(OrderFixtures.order(id)).post("/api/v1/orders")
                    .then().statusCode(201);
        }
        List<String> all = given().queryParam("customerId", "CUST-ACME").queryParam("limit", 500)
                .get("/api/v1/orders").then().statusCode(200).body("nextCursor", org.hamcrest.Matchers.nullValue())
                .extract().path("items.orderId");
        assertThat(all).containsSubsequence("ORD-PAGE-5", "ORD-PAGE-4", "ORD-PAGE-3", "ORD-PAGE-2", "ORD-PAGE-1");

        List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = given().queryParam("customerId", "CUST-ACME").queryParam("limit", 2)
                    .queryParams(cursor == null ? java.util.Map.of() : java.util.Map.of("cursor", cursor))
                    .get("/api/v1/orders").then().statusCode(200).extract().jsonPath();
            assertThat(page.getList("items")).hasSizeLessThanOrEqualTo(2);
            paged.addAll(page.getList("items.orderId", String.class));
            cursor = page.getString("nextCursor");
            if (pages++ == 0) {
                // Released while the client pages: it is newer than every page still to come, so it is neither
                // on them nor does it push an order of them onto a page already read.
                given().contentType(ContentType.JSON).body(OrderFixtures.order("ORD-PAGE-6")).post("/api/v1/orders")
                        .then().statusCode(201);
            }
        } while (cursor != null);
        assertThat(paged).isEqualTo(all);
        assertThat(pages).isEqualTo((all.size() + 1) / 2);

        given().queryParam("limit", 0).get("/api/v1/orders").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        given().queryParam("cursor", "garbage!").get("/api/v1/orders").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        given().queryParam("updatedSince", "2999-01-01T00:00:00Z").get("/api/v1/orders").then().statusCode(200)
                .body("items", hasSize(0));
    }

    @Test
    void malformedJsonIsA400ProblemThatSaysWhere() {
        given().contentType(ContentType.JSON).body("{\"orderId\": \"ORD-X\", \"lines\": [ }")
                .post("/api/v1/orders")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:malformed-request"))
                .body("detail", containsString("not valid JSON"))
                .body("detail", containsString("line 1"));
    }

    @Test
    void wrongTypesAndMissingFieldsAre400ProblemsNamingEachField() {
        given().contentType(ContentType.JSON)
                .body(OrderFixtures.order("ORD-IT-3").replace("\"weightKg\": 1200", "\"weightKg\": \"heavy\""))
                .post("/api/v1/orders")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("$.lines[0].weightKg"))
                .body("errors[0].code", equalTo("invalid-format"));

        given().contentType(ContentType.JSON)
                .body("{\"orderId\": \"ORD-IT-4\", \"lines\": [], \"stops\": []}")
                .post("/api/v1/orders")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:validation"))
                .body("errors.field", hasItem("customerId"))
                .body("errors.field", hasItem("serviceLevel"))
                .body("errors.field", hasItem("lines"))
                .body("errors.field", hasItem("stops"))
                .body("errors.find { it.field == 'customerId' }.code", equalTo("required"));

        given().contentType(ContentType.JSON)
                .body(OrderFixtures.order("ORD-IT-5").replace("America/Chicago", "Mars/Olympus"))
                .post("/api/v1/orders")
                .then().statusCode(400)
                .body("errors.field", hasItem("stops[0].zoneId"));

        assertThat(tms.received("POST", "/tms/api/v1/loads"))
                .noneMatch(r -> r.body().matches("(?s).*ORD-IT-[345].*"));
    }

    @Test
    void deliveryBeforePickupIsA422ListingEveryViolatedRule() {
        OffsetDateTime pickup = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3);
        given().contentType(ContentType.JSON)
                .body(OrderFixtures.order("ORD-IT-6", pickup, pickup.minusDays(2), 800))
                .post("/api/v1/orders")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.code", hasItem("DELIVERY_BEFORE_PICKUP"))
                .body("errors", hasSize(1));
        given().get("/api/v1/orders/ORD-IT-6").then().statusCode(404)
                .body("type", equalTo("urn:logisync:problem:not-found"));
    }

    @Test
    void anOrderAcceptedWhileTheTmsIsDownIsDispatchedOnceWhenItRecovers() {
        Reply down = Reply.json(503, "{\"error\":\"maintenance\"}");
        tms.thenReply("POST", "/tms/api/v1/loads", down, down, down, down, down, down);

        String shipmentId = given().contentType(ContentType.JSON).body(OrderFixtures.order("ORD-IT-7"))
                .post("/api/v1/orders")
                .then().statusCode(201)
                .body("status", equalTo("DISPATCH_PENDING"))
                .body("dispatch.lastError", containsString("503"))
                .extract().path("shipmentId");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/orders/ORD-IT-7")
                .then().body("status", equalTo("DISPATCHED")));

        List<HttpStandIn.Received> calls = tms.received("POST", "/tms/api/v1/loads");
        assertThat(calls).hasSizeGreaterThanOrEqualTo(7);
        assertThat(calls).allSatisfy(c -> assertThat(c.header("Idempotency-Key")).isEqualTo(shipmentId));
        assertThat(KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId, EventType.DISPATCH_ACCEPTED.ceType(), 1)).hasSize(1);
    }
}
