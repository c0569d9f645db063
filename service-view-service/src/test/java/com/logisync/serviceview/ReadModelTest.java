package com.logisync.serviceview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.contracts.event.CustomerUpdated;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.InvoiceIssued;
import com.logisync.contracts.event.InvoiceRequested;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.masterdata.Customer;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import com.logisync.testsupport.JwtTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/**
 * The read model on the real broker and database: lookup by every business key, a customer's
 * shipments, the cached case view, proactive service tasks (one per reason, escalation,
 * resolution), the business-transaction monitor, and a replay that rebuilds the same model.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "test-suite", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // The shipments' days lie ahead of the wall clock, as they did when these tests were written: the task sweep
    // runs every second against the real clock, and once it passed 2026-12-02T18:30Z it opened a missed pickup on
    // SHP-T1 and escalated the tasks by age under the tests (CI on 28e2023). 2037-12-02 is a Wednesday too.
    private static final Instant WINDOW_END = Instant.parse("2037-12-02T18:00:00Z");

    private static Correlation corr(String shipmentId, String customerId) {
        return new Correlation(shipmentId, "ORD-" + shipmentId, null, null, customerId, null);
    }

    private static OrderReleased order(String shipmentId, String customerId, Instant releasedAt,
            List<ExternalReference> refs) {
        return order(shipmentId, customerId, releasedAt, refs, WINDOW_END);
    }

    private static OrderReleased order(String shipmentId, String customerId, Instant releasedAt,
            List<ExternalReference> refs, Instant pickupWindowEnd) {
        Address addr = new Address("1 Main St", "Houston", "TX", "77002", "US");
        TimeWindow window = new TimeWindow(WINDOW_END.minusSeconds(7200), WINDOW_END);
        return new OrderReleased(new Correlation(shipmentId, "ORD-" + shipmentId, null, null, customerId, refs),
                "LTL_STANDARD", List.of(), List.of(new Stop(1, StopType.PICKUP, "Dallas DC", null, addr, "America/Chicago",
                        new TimeWindow(pickupWindowEnd.minusSeconds(7200), pickupWindowEnd)),
                        new Stop(2, StopType.DELIVERY, "Store 17", null, addr, "America/Chicago", window)),
                releasedAt);
    }

    private static MilestoneRecorded milestone(String shipmentId, String customerId, String id, MilestoneType type,
            Classifier classifier, Instant at, long delay, ProofOfDelivery pod) {
        return com.logisync.testsupport.Milestones.reported(corr(shipmentId, customerId), id, type, at).classifier(classifier)
                .receivedAfterSeconds(60).pod(pod).enrichment(new Enrichment(customerId, 2,
                        new TimeWindow(WINDOW_END.minusSeconds(7200), WINDOW_END), delay, delay > 0)).build();
    }

    private static List<ConsumerRecord<String, String>> taskEvents(String shipmentId, EventType type) {
        return KafkaRecords.forShipment(Topics.SERVICE_TASKS, shipmentId).stream()
                .filter(r -> type.ceType().equals(KafkaRecords.header(r, "ce_type"))).toList();
    }

    @Test
    @Order(1)
    void everyBusinessKeyLeadsToTheCaseAndASharedPoSaysWhichShipmentsShareIt() {
        String s = "SHP-K1";
        EventPublisher.publish(order(s, "CUST-K", Instant.parse("2037-12-01T08:00:00Z"), List.of(
                new ExternalReference(ReferenceType.BOL, "BOL-K1"), new ExternalReference(ReferenceType.PRO, "PRO-K1"),
                new ExternalReference(ReferenceType.PO, "PO-SHARED"))), null);
        EventPublisher.publish(new DispatchAccepted(new Correlation(s, "ORD-" + s, "LD-K1", null, "CUST-K", null),
                new DispatchReference("LD-K1", "RT-1", "Swift", "D. Ortiz", "TRK-1", null, null, "REST_TMS"),
                Instant.parse("2037-12-01T08:01:00Z")), null);
        EventPublisher.publish(new InvoiceIssued(new Correlation(s, "ORD-" + s, "LD-K1", "INV-K1", "CUST-K", null),
                "INV-K1", 1, s + ":rating-1", "CTR-K", "USD", new BigDecimal("1718.25"), Instant.parse("2037-12-02T20:00:00Z"),
                Instant.parse("2037-12-02T20:05:00Z")), null);
        EventPublisher.publish(order("SHP-K2", "CUST-K", Instant.parse("2037-12-01T09:00:00Z"),
                List.of(new ExternalReference(ReferenceType.PO, "PO-SHARED"))), null);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/lookup?key=INV-K1")
                .then().statusCode(200).body("shipmentId", equalTo(s)));
        for (String key : List.of(s, "ORD-SHP-K1", "LD-K1", "INV-K1", "BOL-K1", "PRO-K1", " PRO-K1 ")) {
            given().queryParam("key", key).get("/api/v1/shipments/lookup").then().statusCode(200)
                    .body("shipmentId", equalTo(s)).body("dispatch.loadId", equalTo("LD-K1"))
                    .body("billing.invoiceId", equalTo("INV-K1"));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/lookup?key=PO-SHARED")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:ambiguous-key"))
                .body("shipmentIds", equalTo(List.of("SHP-K1", "SHP-K2"))));
        given().get("/api/v1/shipments/lookup?key=NOPE-1").then().statusCode(404)
                .body("detail", equalTo("Shipment with key NOPE-1 does not exist"));
        given().get("/api/v1/shipments/lookup").then().statusCode(400).body("errors[0].field", equalTo("key"));
    }

    @Test
    @Order(2)
    void aCustomersShipmentsArePagedAndFilteredByStatus() {
        for (int i = 1; i <= 3; i++) {
            EventPublisher.publish(order("SHP-L" + i, "CUST-L", Instant.parse("2037-12-01T08:00:00Z"), List.of()), null);
        }
        EventPublisher.publish(milestone("SHP-L2", "CUST-L", "l2-dlv", MilestoneType.DELIVERED, Classifier.ACTUAL,
                WINDOW_END.minusSeconds(600), 0, null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments?customerId=CUST-L")
                .then().statusCode(200).body("items", hasSize(3)).body("nextCursor", org.hamcrest.Matchers.nullValue()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/api/v1/shipments?customerId=CUST-L&status=delivered").then().statusCode(200)
                .body("items.shipmentId", equalTo(List.of("SHP-L2")))
                .body("items[0].status", equalTo("DELIVERED")));
        // Paged by the time each case last changed: SHP-L2 changed last (its delivery).
        io.restassured.path.json.JsonPath first = given().get("/api/v1/shipments?customerId=CUST-L&limit=2").then()
                .statusCode(200).body("items.shipmentId", equalTo(List.of("SHP-L1", "SHP-L3"))).extract().jsonPath();
        String cursor = first.getString("nextCursor");
        assertThat(cursor).isNotBlank();
        given().get("/api/v1/shipments?customerId=CUST-L&limit=2&cursor=" + cursor).then().statusCode(200)
                .body("items.shipmentId", equalTo(List.of("SHP-L2"))).body("nextCursor", org.hamcrest.Matchers.nullValue());
        // A change while paging: SHP-L1 is delivered after the first page was read; it is listed again, not lost.
        EventPublisher.publish(milestone("SHP-L1", "CUST-L", "l1-dlv", MilestoneType.DELIVERED, Classifier.ACTUAL,
                WINDOW_END.minusSeconds(300), 0, null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/api/v1/shipments?customerId=CUST-L&limit=2&cursor=" + cursor).then().statusCode(200)
                .body("items.shipmentId", equalTo(List.of("SHP-L2", "SHP-L1"))));
        String since = first.getString("items[1].updatedAt");
        given().get("/api/v1/shipments?customerId=CUST-L&updatedSince=" + since).then().statusCode(200)
                .body("items.shipmentId", equalTo(List.of("SHP-L3", "SHP-L2", "SHP-L1")));
        // The deprecated alias answers the same list.
        given().get("/api/v1/customers/CUST-L/shipments?limit=1").then().statusCode(200)
                .body("items.shipmentId", equalTo(List.of("SHP-L3"))).body("nextCursor", org.hamcrest.Matchers.notNullValue());
        given().get("/api/v1/shipments?customerId=CUST-L&status=LOST").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        given().get("/api/v1/shipments?customerId=CUST-L&limit=501").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        given().get("/api/v1/shipments?customerId=CUST-L&cursor=bm90LWEtY3Vyc29y").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        given().get("/api/v1/shipments?customerId=CUST-L&updatedSince=yesterday").then().statusCode(400)
                .body("errors[0].field", equalTo("updatedSince"));
        given().get("/api/v1/shipments").then().statusCode(400).body("errors[0].field", equalTo("customerId"));
        given().get("/api/v1/shipments?customerId=CUST-NONE").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    @Order(3)
    void theCaseViewIsServedFromTheCacheAndAChangeIsSeenAtOnce() {
        String s = "SHP-V9";
        EventPublisher.publish(order(s, "CUST-C", Instant.parse("2037-12-01T08:00:00Z"), List.of()), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s)
                .then().statusCode(200).body("route.delivery", equalTo("Store 17")));
        double hitsBefore = cacheHits();
        for (int i = 0; i < 5; i++) {
            given().get("/api/v1/shipments/" + s).then().statusCode(200);
        }
        assertThat(cacheHits() - hitsBefore).isGreaterThanOrEqualTo(5);
        // A change invalidates the cached view: the next read shows it.
        EventPublisher.publish(new InvoiceRequested(corr(s, "CUST-C"), 1, s + ":rating-1", "CTR-C", "USD", List.of(
                new InvoiceRequested.Charge("LHS", "Linehaul US-TX → US", BigDecimal.ONE, "SHIPMENT",
                        new BigDecimal("1450.00"), new BigDecimal("1450.00"), "contract CTR-C lane US-TX→US"),
                new InvoiceRequested.Charge("FSC", "Fuel surcharge", BigDecimal.ONE, "SHIPMENT", new BigDecimal("268.25"),
                        new BigDecimal("268.25"), "table FSC-2026-1 → 18.5% of 1450.00")), new BigDecimal("1718.25"),
                Instant.parse("2037-12-02T20:00:00Z")), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s)
                .then().statusCode(200)
                .body("billing.state", equalTo("INVOICE_REQUESTED"))
                .body("billing.total", equalTo(1718.25f))
                .body("charges.code", equalTo(List.of("LHS", "FSC")))
                .body("charges[1].basis", equalTo("table FSC-2026-1 → 18.5% of 1450.00"))
                .body("stages.stage", hasItem("INVOICE_REQUESTED")));
    }

    private static double cacheHits() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("cache_gets_total") && l.contains("cache=\"case-views\"")
                && l.contains("result=\"hit\"")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    @Order(4)
    void delaysOpenOneTaskPerReasonEscalateWithTheDelayAndTheDeliveryResolvesThem() {
        String s = "SHP-T1";
        EventPublisher.publish(new CustomerUpdated(new Customer("CUST-T", "Tardy Corp", Customer.AccountStatus.ACTIVE,
                false, "America/Chicago", new Customer.ServicePreferences(30, List.of("ops@tardy.example")), 3)), null);
        EventPublisher.publish(order(s, "CUST-T", Instant.parse("2037-12-01T08:00:00Z"), List.of()), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s)
                .then().statusCode(200));
        // Under the customer's 30 min: nothing.
        EventPublisher.publish(milestone(s, "CUST-T", "t-d0", MilestoneType.DELAYED, Classifier.ACTUAL,
                WINDOW_END.minusSeconds(3600), 20, null), null);
        EventPublisher.publish(milestone(s, "CUST-T", "t-d1", MilestoneType.DELAYED, Classifier.ACTUAL,
                WINDOW_END.minusSeconds(3000), 45, null), null);
        EventPublisher.publish(milestone(s, "CUST-T", "t-d2", MilestoneType.DELAYED, Classifier.ACTUAL,
                WINDOW_END.minusSeconds(2400), 50, null), null);
        EventPublisher.publish(milestone(s, "CUST-T", "t-d3", MilestoneType.DELAYED, Classifier.ACTUAL,
                WINDOW_END.minusSeconds(1800), 130, null), null);
        EventPublisher.publish(milestone(s, "CUST-T", "t-eta", MilestoneType.ETA_UPDATED, Classifier.ESTIMATED,
                WINDOW_END.plusSeconds(2400), 40, null), null);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/api/v1/service-tasks?status=OPEN&customerId=CUST-T").then().statusCode(200)
                .body("items.taskId", equalTo(List.of("SHP-T1:DELAYED", "SHP-T1:ETA_PAST_WINDOW")))
                .body("items[0].severity", equalTo("HIGH"))
                .body("items[0].delayMinutes", equalTo(130))
                .body("items[0].thresholdMinutes", equalTo(30))
                .body("items[0].openedAt", equalTo("2037-12-02T17:10:00Z"))
                .body("items[1].severity", equalTo("LOW"))
                .body("nextCursor", org.hamcrest.Matchers.nullValue()));
        // One at a time: the cursor of the first page leads to the second, and the second is the last.
        String next = given().get("/api/v1/service-tasks?status=OPEN&customerId=CUST-T&limit=1").then()
                .body("items.taskId", equalTo(List.of("SHP-T1:DELAYED"))).extract().path("nextCursor");
        given().get("/api/v1/service-tasks?status=OPEN&customerId=CUST-T&limit=1&cursor=" + next).then()
                .body("items.taskId", equalTo(List.of("SHP-T1:ETA_PAST_WINDOW")))
                .body("nextCursor", org.hamcrest.Matchers.nullValue());
        given().get("/api/v1/shipments/" + s).then().body("eta", equalTo("2037-12-02T18:40:00Z"))
                .body("serviceTasks", hasSize(2));
        assertThat(taskEvents(s, EventType.SERVICE_TASK_OPENED)).hasSize(2);
        assertThat(taskEvents(s, EventType.SERVICE_TASK_ESCALATED)).singleElement()
                .satisfies(r -> assertThat(r.value()).contains("\"severity\":\"HIGH\"").contains("\"delayMinutes\":130"));

        EventPublisher.publish(milestone(s, "CUST-T", "t-dlv", MilestoneType.DELIVERED, Classifier.ACTUAL,
                WINDOW_END.plusSeconds(7800), 130, new ProofOfDelivery("J. Doe", WINDOW_END.plusSeconds(7800), "POD-T1",
                        null)), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/api/v1/service-tasks?status=OPEN&customerId=CUST-T").then().body("items", hasSize(0)));
        given().get("/api/v1/service-tasks?status=resolved&customerId=CUST-T").then()
                .body("items.resolvedBy", equalTo(List.of("system", "system")))
                .body("items[0].resolution", equalTo("delivered at 2037-12-02T20:10:00Z"));
        KafkaRecords.awaitEvents(Topics.SERVICE_TASKS, s, EventType.SERVICE_TASK_RESOLVED.ceType(), 2);
        // A delay report arriving after the delivery opens nothing new.
        EventPublisher.publish(milestone(s, "CUST-T", "t-late", MilestoneType.DELAYED, Classifier.ACTUAL,
                WINDOW_END.minusSeconds(600), 200, null), null);
        // Everything this service wrote is on Kafka; nothing more arrives for 1000 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(1000), () -> {
            assertThat(taskEvents(s, EventType.SERVICE_TASK_OPENED)).hasSize(2);
            given().get("/api/v1/service-tasks?status=OPEN&customerId=CUST-T").then().body("items", hasSize(0));
        });

        given().get("/api/v1/service-tasks?status=maybe").then().statusCode(400).body("errors[0].field", equalTo("status"));
    }

    @Test
    @Order(5)
    void anAgentResolvesATaskOnceAndTheResolutionReachesTheCrm() {
        String s = "SHP-T2";
        EventPublisher.publish(order(s, "CUST-T2", Instant.parse("2037-12-01T08:00:00Z"), List.of()), null);
        EventPublisher.publish(milestone(s, "CUST-T2", "t2-arr", MilestoneType.ARRIVED_DELIVERY, Classifier.ACTUAL,
                WINDOW_END.plusSeconds(5400), 90, null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/api/v1/service-tasks?status=open&customerId=CUST-T2").then()
                .body("items.taskId", equalTo(List.of("SHP-T2:LATE_ARRIVAL")))
                .body("items[0].thresholdMinutes", equalTo(60))
                .body("items[0].severity", equalTo("LOW")));
        String body = "{\"resolvedBy\": \"agent-12\", \"resolution\": \"Consignee informed, unloading now\"}";
        given().contentType(ContentType.JSON).body(body).post("/api/v1/service-tasks/SHP-T2:LATE_ARRIVAL/resolve")
                .then().statusCode(200).body("status", equalTo("RESOLVED"))
                // The token's subject, whatever the (deprecated) body field says.
                .body("resolvedBy", equalTo("test-suite"));
        given().contentType(ContentType.JSON).body(body.replace("agent-12", "agent-99"))
                .post("/api/v1/service-tasks/SHP-T2:LATE_ARRIVAL/resolve").then().statusCode(200)
                .body("resolvedBy", equalTo("test-suite"));
        given().get("/api/v1/shipments/" + s).then().body("serviceTasks[0].status", equalTo("RESOLVED"));
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/service-tasks/SHP-T2:LATE_ARRIVAL/resolve")
                .then().statusCode(400).body("errors[0].field", equalTo("resolution"));
        given().contentType(ContentType.JSON).body(body).post("/api/v1/service-tasks/NOPE/resolve").then().statusCode(404);
        ConsumerRecord<String, String> resolved = KafkaRecords.awaitEvents(Topics.SERVICE_TASKS, s,
                EventType.SERVICE_TASK_RESOLVED.ceType(), 1).get(0);
        assertThat(resolved.value()).contains("\"resolvedBy\":\"test-suite\"");
    }

    @Test
    @Order(6)
    void theMonitorShowsEachStageAndFindsShipmentsWhoseNextStageIsOverdue() {
        Instant now = Instant.now();
        // Released 40 min ago and never dispatched; delivered 5 h ago and never invoiced (nor POD'd).
        EventPublisher.publish(order("SHP-M1", "CUST-M", now.minusSeconds(2400), List.of()), null);
        EventPublisher.publish(order("SHP-M2", "CUST-M", now.minusSeconds(30 * 3600), List.of()), null);
        EventPublisher.publish(new DispatchAccepted(new Correlation("SHP-M2", "ORD-SHP-M2", "LD-M2", null, "CUST-M", null),
                new DispatchReference("LD-M2", null, "Swift", null, null, null, null, "REST_TMS"),
                now.minusSeconds(29 * 3600)), null);
        EventPublisher.publish(milestone("SHP-M2", "CUST-M", "m2-dlv", MilestoneType.DELIVERED, Classifier.ACTUAL,
                now.minusSeconds(5 * 3600), 0, null), null);
        // Released just now: not stuck yet.
        EventPublisher.publish(order("SHP-M3", "CUST-M", now, List.of()), null);
        // Dispatched for a pickup planned 3 h ago, and not a word from the carrier since.
        EventPublisher.publish(order("SHP-M4", "CUST-M", now.minusSeconds(5 * 3600), List.of()), null);
        EventPublisher.publish(new DispatchAccepted(new Correlation("SHP-M4", "ORD-SHP-M4", "LD-M4", null, "CUST-M", null),
                new DispatchReference("LD-M4", null, "Swift", null, null, now.minusSeconds(3 * 3600),
                        now.plusSeconds(3600), "REST_TMS"), now.minusSeconds(4 * 3600)), null);
        // The TMS refused the dispatch 10 minutes ago.
        EventPublisher.publish(order("SHP-M5", "CUST-M", now.minusSeconds(900), List.of()), null);
        EventPublisher.publish(new com.logisync.contracts.event.DispatchFailed(new Correlation("SHP-M5", "ORD-SHP-M5",
                null, null, "CUST-M", null), "REST_TMS", "carrier capacity exhausted", 3, now.minusSeconds(600)), null);
        // Delivered 5 h ago, a lumper still waiting for a clerk.
        EventPublisher.publish(order("SHP-M6", "CUST-M", now.minusSeconds(30 * 3600), List.of()), null);
        EventPublisher.publish(new DispatchAccepted(new Correlation("SHP-M6", "ORD-SHP-M6", "LD-M6", null, "CUST-M",
                null), new DispatchReference("LD-M6", null, "Swift", null, null, null, null, "REST_TMS"),
                now.minusSeconds(29 * 3600)), null);
        EventPublisher.publish(milestone("SHP-M6", "CUST-M", "m6-dlv", MilestoneType.DELIVERED, Classifier.ACTUAL,
                now.minusSeconds(5 * 3600), 0, null), null);
        EventPublisher.publish(new com.logisync.contracts.event.BillingCaseUpdated(new Correlation("SHP-M6",
                "ORD-SHP-M6", null, null, "CUST-M", null), 1, false,
                List.of(new com.logisync.contracts.event.BillingCaseUpdated.Check("ACCESSORIALS_DECIDED", false,
                        "UNL LMP-6 awaits a clerk")),
                List.of(new com.logisync.contracts.event.BillingCaseUpdated.Accessorial("LMP-6", "UNL", BigDecimal.ONE,
                        "EACH", "PENDING", null, null, null, "RCPT-6", null)), List.of(), now.minusSeconds(4 * 3600)),
                null);
        // ERP refused the invoice for good.
        EventPublisher.publish(order("SHP-M7", "CUST-M", now.minusSeconds(30 * 3600), List.of()), null);
        EventPublisher.publish(new DispatchAccepted(new Correlation("SHP-M7", "ORD-SHP-M7", "LD-M7", null, "CUST-M",
                null), new DispatchReference("LD-M7", null, "Swift", null, null, null, null, "REST_TMS"),
                now.minusSeconds(29 * 3600)), null);
        EventPublisher.publish(new InvoiceRequested(new Correlation("SHP-M7", "ORD-SHP-M7", null, null, "CUST-M", null), 1,
                "SHP-M7:rating-1", "CTR-M", "USD", List.of(), new BigDecimal("100.00"), now.minusSeconds(1800)), null);
        EventPublisher.publish(new com.logisync.contracts.event.InvoiceFailed(new Correlation("SHP-M7", "ORD-SHP-M7",
                null, null, "CUST-M", null), 1, "SHP-M7:rating-1", "customer account closed in ERP", 3,
                now.minusSeconds(1200)), null);

        // An event of SHP-M8 the view cannot apply: dead-lettered, so its case view lacks a fact.
        EventPublisher.publish(order("SHP-M8", "CUST-M", now, List.of()), null);
        KafkaRecords.send(Topics.MILESTONES, "SHP-M8", "{not json", Map.of("ce_id", "m8-poison",
                "ce_type", EventType.MILESTONE_RECORDED.ceType(), "ce_source", "/test", "ce_specversion", "1.0"));

        // Two reports milestone-service parked 5 h ago: one matches nothing to this day, the other is SHP-M2's
        // delivery (recorded since, under the same event id).
        EventPublisher.publish(new com.logisync.contracts.event.MilestoneParked("REST_API:ROGUE:p-1", "ROGUE",
                MilestoneType.DELIVERED, now.minusSeconds(5 * 3600), List.of("BOL:BOL-NOWHERE"), "UNMATCHED", null,
                now.minusSeconds(5 * 3600)), null);
        EventPublisher.publish(new com.logisync.contracts.event.MilestoneParked("REST_API:SWIFT:m2-dlv", "SWIFT",
                MilestoneType.DELIVERED, now.minusSeconds(5 * 3600), List.of("LOAD:LD-M2"), "UNMATCHED", null,
                now.minusSeconds(5 * 3600)), null);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode stuck = JSON.readTree(given().get("/api/v1/transactions/stuck?limit=500").then().statusCode(200)
                    .extract().asString());
            List<String> parked = new java.util.ArrayList<>();
            stuck.path("items").forEach(n -> {
                if ("PARKED_UNMATCHED".equals(n.path("reason").asText())) {
                    parked.add(n.path("detail").asText());
                    assertThat(n.path("shipmentId").isMissingNode() || n.path("shipmentId").isNull()).isTrue();
                }
            });
            assertThat(parked).containsExactly("a carrier's report parked 5 h ago matches no single shipment: report"
                    + " REST_API:ROGUE:p-1 (DELIVERED) from ROGUE, UNMATCHED, keys BOL:BOL-NOWHERE");
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode stuck = JSON.readTree(given().get("/api/v1/transactions/stuck?limit=500").then().statusCode(200)
                    .extract().asString());
            Map<String, java.util.Set<String>> reasons = new LinkedHashMap<>();
            stuck.path("items").forEach(n -> {
                if (n.path("shipmentId").asText().startsWith("SHP-M")) {
                    reasons.computeIfAbsent(n.path("shipmentId").asText(), k -> new java.util.TreeSet<>())
                            .add(n.path("reason").asText());
                }
            });
            assertThat(reasons).containsEntry("SHP-M1", java.util.Set.of("DISPATCH_PENDING"))
                    .containsEntry("SHP-M2", java.util.Set.of("DELIVERED_NOT_INVOICED"))
                    .containsEntry("SHP-M4", java.util.Set.of("NO_TRACKING"))
                    .containsEntry("SHP-M5", java.util.Set.of("DISPATCH_FAILED"))
                    .containsEntry("SHP-M6", java.util.Set.of("ACCESSORIAL_WAITING", "DELIVERED_NOT_INVOICED"))
                    .containsEntry("SHP-M7", java.util.Set.of("INVOICE_FAILED"))
                    .containsEntry("SHP-M8", java.util.Set.of("CRM_VIEW_NOT_UPDATED"))
                    .doesNotContainKey("SHP-M3");
        });
        given().get("/api/v1/transactions/stuck?limit=500").then()
                .body("items.find { it.shipmentId == 'SHP-M8' }.detail", org.hamcrest.Matchers.startsWith(
                        "an event of this shipment could not be applied to its case view"))
                .body("items.find { it.shipmentId == 'SHP-M8' }.lastStage", equalTo("CRM_VIEW_UPDATED"));
        // Redriven successfully (as the DLQ API records it): no longer stuck.
        com.logisync.testsupport.PostgresServer.execute("logisync", "insert into dead_letter_redrive (dlq_topic,"
                + " dlq_partition, dlq_offset, event_id, redriven_at, redriven_by, outcome) values"
                + " ('logisync.milestones.v1.dlq', 0, 999999, 'm8-poison', now(), 'ops-7', 'REDRIVEN')");
        given().get("/api/v1/transactions/stuck?limit=500").then()
                .body("items.findAll { it.shipmentId == 'SHP-M8' }", org.hamcrest.Matchers.empty());
        given().get("/api/v1/transactions/stuck?limit=500").then()
                .body("items.find { it.shipmentId == 'SHP-M4' }.detail",
                        equalTo("pickup planned 3 h ago, no tracking from the carrier yet"))
                .body("items.find { it.shipmentId == 'SHP-M4' }.lastStage", equalTo("DISPATCH_ACCEPTED"))
                .body("items.find { it.shipmentId == 'SHP-M5' }.detail",
                        equalTo("the TMS refused the dispatch 10 min ago, not dispatched since"))
                .body("items.find { it.reason == 'ACCESSORIAL_WAITING' }.detail",
                        equalTo("delivered 5 h ago, an accessorial waits for a clerk's decision"))
                .body("items.find { it.shipmentId == 'SHP-M7' }.detail",
                        equalTo("invoice requested 30 min ago, refused by ERP for good: a clerk must act"));
        given().get("/api/v1/transactions/stuck?limit=500").then().body("items.find { it.shipmentId == 'SHP-M1' }.detail",
                equalTo("released 40 min ago, not dispatched"));
        given().get("/api/v1/transactions/SHP-M2").then().statusCode(200)
                .body("stages.stage", equalTo(List.of("ORDER_RELEASED", "DISPATCH_ACCEPTED", "DELIVERED",
                        "CRM_VIEW_UPDATED")))
                .body("stages[1].service", equalTo("test"))
                .body("pending", equalTo(List.of("PICKED_UP", "POD_RECEIVED", "BILLING_ELIGIBLE", "INVOICE_REQUESTED",
                        "INVOICE_ISSUED")));
        // The console's overview: the same counts, the last hour in twelve 5-minute buckets, the DLQ topics.
        given().get("/api/v1/transactions/summary").then().statusCode(200)
                .body("stuck.DISPATCH_FAILED", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("stuck.NO_TRACKING", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("stuck.INVOICE_FAILED", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                // The summary counts what the list shows (the other classes' shipments of past days included: delivered
                // without a POD more than a day before the clock, they are POD_MISSING, as SHP-M2 and M6 are not yet).
                .body("stuck.POD_MISSING", equalTo(given().get("/api/v1/transactions/stuck?limit=500").then().extract()
                        .jsonPath().getList("items.findAll { it.reason == 'POD_MISSING' }").size()))
                .body("stages.ORDER_RELEASED", org.hamcrest.Matchers.greaterThanOrEqualTo(7))
                .body("lastHour.ORDER_RELEASED", org.hamcrest.Matchers.hasSize(12))
                // SHP-M3, released now, is in the last bucket; SHP-M5, 15 min ago, three buckets before it.
                .body("lastHour.ORDER_RELEASED[11]", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("lastHour.ORDER_RELEASED[8]", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("deadLetterTopics", org.hamcrest.Matchers.hasKey("logisync.milestones.v1.dlq"));
        given().get("/api/v1/transactions/NOPE").then().statusCode(404);
        given().get("/api/v1/transactions/stuck?limit=0").then().statusCode(400);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").then().extract().asString();
            assertThat(metrics).containsPattern("logisync_transactions_stuck\\{[^}]*reason=\"DISPATCH_PENDING\"[^}]*} [1-9]")
                    .containsPattern("logisync_transactions_stuck\\{[^}]*reason=\"NO_TRACKING\"[^}]*} [1-9]")
                    .containsPattern("logisync_transactions_stuck\\{[^}]*reason=\"INVOICE_FAILED\"[^}]*} [1-9]")
                    .containsPattern("logisync_transactions_stage\\{[^}]*stage=\"DELIVERED\"[^}]*} [1-9]");
        });
    }

    @Test
    void eventIdsAreComparedByteByByteWhateverTheDatabasesLocale() throws Exception {
        // V13: the columns' own collation, so a database made with another locale (en_US.UTF-8) compares the same way.
        for (String table : List.of("case_milestone", "customer_event")) {
            assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync", "select collation_name from"
                    + " information_schema.columns where table_name = ? and column_name = 'event_id'", table))
                    .as(table).isEqualTo("C");
        }
        // A delivery's event is found by its feed position, the feed's primary key (V21); by its event id only for a
        // delivery without one (written by a pod of a version before V21), behind a one-time filter.
        // (Sequential scans off: these tables are small here, a feed of millions is not.)
        String plan;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                com.logisync.testsupport.PostgresServer.database("logisync"), "postgres", "postgres");
                java.sql.Statement st = c.createStatement()) {
            st.execute("set enable_seqscan = off");
            try (java.sql.ResultSet r = st.executeQuery("explain (format json) select e.payload from delivery c"
                    + " left join lateral (" + com.logisync.serviceview.notify.DeliverySender.EVENT_OF_DELIVERY
                    + ") e on true where c.delivery_id = 'x'")) {
                r.next();
                plan = r.getString(1);
            }
        }
        assertThat(plan).contains("\"Index Name\": \"customer_event_pkey\"")
                .contains("\"One-Time Filter\": \"(c.feed_seq IS NULL)\"");
    }

    @Test
    void aShipmentsTimelineAndItsTaskFactsAreFoundByShipmentThroughIndexesThatStoreAShipmentOnce() {
        // V18: keyed by shipment alone, so B-tree deduplication keeps each shipment's key once (153 MB -> 17 MB on the
        // benchmark's 2.4 million rows); the case view sorts a timeline by (event time, event id) itself.
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync", "select string_agg(indexname || ' '"
                + " || substring(indexdef from '\\(.*'), '; ' order by indexname) from pg_indexes"
                + " where tablename = 'case_milestone' and indexname <> 'case_milestone_pkey'"))
                .isEqualTo("case_milestone_shipment (shipment_id); case_milestone_task_fact (shipment_id) WHERE task_fact");
        for (String[] read : List.of(
                new String[] {"case_milestone_shipment", "select * from case_milestone where shipment_id = 'x'"
                        + " order by event_time, event_id"},
                new String[] {"case_milestone_task_fact", "select * from case_task_fact_groups where shipment_id = 'x'"})) {
            assertThat(String.valueOf(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                    "explain (format json) " + read[1]))).as(read[1]).contains("\"Index Name\": \"" + read[0] + "\"");
        }
    }

    @Test
    @Order(7)
    void aReplayFromTheTopicsRebuildsTheSameReadModel() throws Exception {
        // Tasks that time made, which only the service-tasks topic holds: a missed pickup the sweep found (its window
        // ended 3 h ago) and a failed attempt 5 h ago the sweep raised by age from MEDIUM to HIGH. Before they were
        // read back, a replay lost both, and the next sweep made them again and told the CRM a second time.
        Instant now = Instant.now();
        EventPublisher.publish(order("SHP-R1", "CUST-R", now.minusSeconds(6 * 3600), List.of(),
                now.minusSeconds(3 * 3600)), null);
        EventPublisher.publish(order("SHP-R2", "CUST-R", now.minusSeconds(6 * 3600), List.of()), null);
        EventPublisher.publish(milestone("SHP-R2", "CUST-R", "r2-ah", MilestoneType.DELIVERY_ATTEMPTED, Classifier.ACTUAL,
                now.minusSeconds(5 * 3600), 0, null), null);
        // And a missed pickup the pickup then resolved: resolved after the replay, whether it meets the pickup or
        // the task first.
        EventPublisher.publish(order("SHP-R3", "CUST-R", now.minusSeconds(6 * 3600), List.of(),
                now.minusSeconds(3 * 3600)), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/SHP-R3").then()
                .body("serviceTasks.status", equalTo(List.of("OPEN"))));
        EventPublisher.publish(milestone("SHP-R3", "CUST-R", "r3-pu", MilestoneType.DEPARTED_PICKUP, Classifier.ACTUAL,
                now.minusSeconds(60), 0, null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            given().get("/api/v1/shipments/SHP-R3").then().statusCode(200)
                    .body("serviceTasks.status", equalTo(List.of("RESOLVED")));
            given().get("/api/v1/shipments/SHP-R1").then().statusCode(200)
                    .body("serviceTasks.taskId", equalTo(List.of("SHP-R1:MISSED_PICKUP")));
            given().get("/api/v1/shipments/SHP-R2").then().statusCode(200)
                    .body("serviceTasks.find { it.reason == 'DELIVERY_ATTEMPTED' }.severity", equalTo("HIGH"));
        });
        KafkaRecords.awaitEvents(Topics.SERVICE_TASKS, "SHP-R2", EventType.SERVICE_TASK_ESCALATED.ceType(), 1);
        // Every task record written so far is on the topic before it is counted.
        com.logisync.testsupport.Settled.outboxDrained("logisync");
        List<String> shipments = List.of("SHP-K1", "SHP-K2", "SHP-L1", "SHP-L2", "SHP-V9", "SHP-T1", "SHP-T2", "SHP-M2",
                "SHP-R1", "SHP-R2", "SHP-R3");
        Map<String, JsonNode> before = views(shipments);
        String tasksBefore = given().get("/api/v1/service-tasks?customerId=CUST-T").then().extract().asString();
        long openedBefore = ownTaskRecords();

        // The customer feed, which a replay does not restore: live, without its unique index on event ids (V21).
        String feedEvents = "select count(*) || ' events, ' || count(distinct event_id) || ' ids' from customer_event";
        await().atMost(Duration.ofSeconds(20)).until(() -> !feedIndexPresent());
        Object feedBefore = com.logisync.testsupport.PostgresServer.queryValue("logisync", feedEvents);

        given().post("/api/v1/ops/view/replay").then().statusCode(202).body("state", equalTo("RUNNING"));
        // The replay built the index before it restored: every milestone it applies again is in the feed already.
        assertThat(feedIndexPresent()).isTrue();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/ops/view/replay").then()
                .body("state", equalTo("DONE")));
        assertThat(given().get("/api/v1/ops/view/replay").then().extract().<Integer>path("records")).isPositive();
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync", feedEvents)).isEqualTo(feedBefore);
        // Kept for logisync.replay.feed-index-kept-for after the replay (3 s in tests), then dropped again.
        await().atMost(Duration.ofSeconds(20)).until(() -> !feedIndexPresent());

        for (String s : shipments) {
            assertThat(comparable(given().get("/api/v1/shipments/" + s).then().statusCode(200).extract().asString()))
                    .as("case view of %s after the replay", s).isEqualTo(before.get(s));
        }
        assertThat(given().get("/api/v1/service-tasks?customerId=CUST-T").then().extract().asString()).isEqualTo(tasksBefore);
        given().get("/api/v1/shipments/lookup?key=PRO-K1").then().statusCode(200).body("shipmentId", equalTo("SHP-K1"));
        // The customer's change feed was rebuilt with the cases: every shipment listed once, in the order of the
        // replay's changes (each listed shipment's updatedAt is its feed position).
        io.restassured.path.json.JsonPath feed = given().get("/api/v1/shipments?customerId=CUST-L").then()
                .statusCode(200).extract().jsonPath();
        assertThat(feed.<String>getList("items.shipmentId")).containsExactlyInAnyOrder("SHP-L1", "SHP-L2", "SHP-L3");
        assertThat(feed.<String>getList("items.updatedAt")).isSortedAccordingTo(
                java.util.Comparator.comparing(Instant::parse));
        given().get("/api/v1/shipments?customerId=CUST-L&status=delivered").then().statusCode(200)
                .body("items.shipmentId", equalTo(List.of("SHP-L1", "SHP-L2").stream()
                        .sorted(java.util.Comparator.comparing(id -> feed.getList("items.shipmentId").indexOf(id)))
                        .toList()));
        // The replay rebuilt the tasks without telling the CRM again.
        // Everything this service wrote is on Kafka; nothing more arrives for 1000 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(1000), () -> {
            assertThat(ownTaskRecords()).isEqualTo(openedBefore);
        });
    }

    /**
     * The service-task records of this class's customers. Other classes share the application and its task sweep,
     * which keeps opening and escalating their tasks on the wall clock (ProactiveTasksTest's, for one) while this
     * test watches the topic.
     */
    private static long ownTaskRecords() {
        java.util.Set<String> own = java.util.Set.of("CUST-C", "CUST-K", "CUST-L", "CUST-M", "CUST-R", "CUST-T", "CUST-T2");
        return KafkaRecords.snapshot(Topics.SERVICE_TASKS).stream()
                .filter(r -> own.stream().anyMatch(c -> r.value().contains("\"customerId\":\"" + c + "\""))).count();
    }

    @jakarta.inject.Inject
    com.logisync.serviceview.service.ReadModelReplay replay;

    @Test
    @Order(8)
    void aReplayStartsFromTheLatestSnapshotAndOneWhoseOwnerDiedIsResumedWhereItStopped() throws Exception {
        List<String> shipments = List.of("SHP-K1", "SHP-K2", "SHP-L1", "SHP-L2", "SHP-V9", "SHP-T1", "SHP-T2", "SHP-M2");
        Map<String, JsonNode> before = views(shipments);
        // The snapshot: the read model's copy with the live groups' committed offsets, one per partition of every topic.
        io.restassured.response.ExtractableResponse<?> snap = given().post("/api/v1/ops/view/replay/snapshot").then()
                .statusCode(201).extract();
        assertThat(snap.<Integer>path("cases")).isGreaterThanOrEqualTo(shipments.size());
        Map<String, Integer> offsets = snap.path("offsets");
        assertThat(offsets.keySet()).contains(Topics.MASTER_DATA + ":0", Topics.ORDERS + ":0", Topics.MILESTONES + ":0",
                Topics.BILLING + ":0", Topics.SERVICE_TASKS + ":0");
        assertThat(offsets.values().stream().mapToLong(Integer::longValue).sum()).as("records below the snapshot")
                .isPositive();
        given().get("/api/v1/ops/view/replay/snapshot").then().statusCode(200)
                .body("snapshotId", equalTo(snap.<Object>path("snapshotId")));

        // After the snapshot, a new shipment: only the topics hold it, so the replay must read them past the snapshot.
        EventPublisher.publish(order("SHP-SNAP1", "CUST-K", Instant.parse("2037-12-01T10:00:00Z"), List.of()), null);
        EventPublisher.publish(milestone("SHP-SNAP1", "CUST-K", "snap-1", MilestoneType.ARRIVED_PICKUP, Classifier.ACTUAL,
                Instant.parse("2037-12-01T12:00:00Z"), 0, null), null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/shipments/SHP-SNAP1").then()
                .statusCode(200).body("status", equalTo("ARRIVED_PICKUP")));
        before.put("SHP-SNAP1", comparable(given().get("/api/v1/shipments/SHP-SNAP1").then().extract().asString()));

        // A replay starts from it, in a process that dies before reading a record (halted here; its lease then
        // carries a dead pod's name).
        replay.halt();
        given().post("/api/v1/ops/view/replay").then().statusCode(202).body("state", equalTo("RUNNING"))
                .body("snapshotTakenAt", org.hamcrest.Matchers.notNullValue());
        await().atMost(Duration.ofSeconds(30)).until(() -> !replay.working());
        given().get("/api/v1/ops/view/replay").then().body("state", equalTo("RUNNING")).body("records", equalTo(0));
        given().post("/api/v1/ops/view/replay").then().statusCode(409).body("type", org.hamcrest.Matchers.endsWith("replay-running"));
        com.logisync.testsupport.PostgresServer.execute("logisync", "update read_model_replay set owner = 'killed-pod',"
                + " heartbeat_at = now() - interval '1 hour' where id = 1");

        // Another replica (here: this one, once the lease has run out) resumes it from its saved positions.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/ops/view/replay").then()
                .body("state", equalTo("DONE")).body("resumed", equalTo(1)));
        assertThat(given().get("/api/v1/ops/view/replay").then().extract().<Integer>path("records"))
                .as("records read past the snapshot").isGreaterThanOrEqualTo(2);
        for (String s : before.keySet()) {
            assertThat(comparable(given().get("/api/v1/shipments/" + s).then().statusCode(200).extract().asString()))
                    .as("case view of %s after the resumed replay", s).isEqualTo(before.get(s));
        }
        given().get("/api/v1/shipments/lookup?key=PRO-K1").then().statusCode(200).body("shipmentId", equalTo("SHP-K1"));
        // The restored cases are in their customer's change feed again, at the times the snapshot holds (SHP-K1
        // and SHP-K2 were not read again); the shipment read past the snapshot changed after them.
        List<String> feed = given().get("/api/v1/shipments?customerId=CUST-K").then().statusCode(200).extract()
                .path("items.shipmentId");
        assertThat(feed).hasSize(3).endsWith("SHP-SNAP1").contains("SHP-K1", "SHP-K2");
    }

    private static boolean feedIndexPresent() {
        return Boolean.TRUE.equals(com.logisync.testsupport.PostgresServer.queryValue("logisync", "select exists"
                + " (select 1 from pg_indexes where tablename = 'customer_event'"
                + " and indexdef like 'CREATE UNIQUE INDEX %(event_id)')"));
    }

    /** The comparable case view of each shipment, by shipment id. */
    private static Map<String, JsonNode> views(List<String> shipments) throws Exception {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        for (String s : shipments) {
            views.put(s, comparable(given().get("/api/v1/shipments/" + s).then().statusCode(200).extract().asString()));
        }
        return views;
    }

    /** The view without what only says when this service last touched it (the CRM_VIEW_UPDATED stage). */
    private static JsonNode comparable(String json) throws Exception {
        ObjectNode view = (ObjectNode) JSON.readTree(json);
        ArrayNode stages = JSON.createArrayNode();
        view.path("stages").forEach(st -> {
            if (!"CRM_VIEW_UPDATED".equals(st.path("stage").asText())) {
                stages.add(st);
            }
        });
        view.set("stages", stages);
        return view;
    }
}
