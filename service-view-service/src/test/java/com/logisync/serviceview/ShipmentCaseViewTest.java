package com.logisync.serviceview;

import com.logisync.contracts.event.BillingCaseUpdated;
import com.logisync.contracts.event.BillingEligible;
import com.logisync.contracts.event.PositionReported;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderAmended;
import com.logisync.contracts.event.OrderCancelled;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import com.logisync.testsupport.JwtTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "test-suite", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ShipmentCaseViewTest {

    private static final Instant DELIVERED = Instant.parse("2026-12-02T19:30:00Z");
    private static final String TRACE = "6bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

    private static Correlation corr(String shipmentId, String loadId) {
        return new Correlation(shipmentId, "ORD-" + shipmentId, loadId, null, "CUST-ACME", null);
    }

    private static MilestoneRecorded milestone(String shipmentId, String id, MilestoneType type, Instant at,
            ProofOfDelivery pod, long delay) {
        return com.logisync.testsupport.Milestones.reported(corr(shipmentId, "LD-9"), id, type, at).receivedAfterSeconds(60)
                .location(new Location("Store 17", "USHOU", null, null, null, 2, StopType.DELIVERY)).pod(pod)
                .enrichment(new Enrichment("CUST-ACME", 2, null, delay, delay > 0)).build();
    }

    @Test
    void eventsInAnyOrderAndRedeliveredBuildOneCaseViewWithEveryStageAndItsTrace() {
        String s = "SHP-V1";
        Address addr = new Address("1 Main St", "Houston", "TX", "77002", "US");
        OrderReleased released = new OrderReleased(corr(s, null), "LTL_STANDARD", List.of(),
                List.of(new Stop(1, StopType.PICKUP, "Dallas DC", null, addr, "America/Chicago",
                                new TimeWindow(DELIVERED.minusSeconds(90000), DELIVERED.minusSeconds(80000))),
                        new Stop(2, StopType.DELIVERY, "Store 17", null, addr, "America/Chicago",
                                new TimeWindow(DELIVERED.minusSeconds(14400), DELIVERED.minusSeconds(5400)))),
                Instant.parse("2026-11-27T10:00:00Z"));
        MilestoneRecorded delivered = milestone(s, "d1", MilestoneType.DELIVERED, DELIVERED,
                new ProofOfDelivery("J. Doe", DELIVERED, "POD-1", null), 90);
        MilestoneRecorded departed = milestone(s, "p1", MilestoneType.DEPARTED_PICKUP, DELIVERED.minusSeconds(85000),
                null, 0);

        // Arrival order deliberately scrambled: delivery before the order, the pickup after the delivery.
        String deliveredId = EventPublisher.publish(delivered, TRACEPARENT);
        // The invoice before the eligibility it followed: INVOICED is final, ELIGIBLE does not take it back.
        EventPublisher.publish(new com.logisync.contracts.event.InvoiceIssued(
                new Correlation(s, "ORD-" + s, "LD-9", "INV-77", "CUST-ACME", null), "INV-77", 1, s + ":rating-1",
                "CTR-ACME-2026", "USD", new java.math.BigDecimal("1718.25"), DELIVERED.plusSeconds(65),
                DELIVERED.plusSeconds(400)), TRACEPARENT);
        EventPublisher.publish(new BillingEligible(corr(s, "LD-9"), DELIVERED, DELIVERED.plusSeconds(60),
                DELIVERED.plusSeconds(65)), TRACEPARENT);
        EventPublisher.publish(released, TRACEPARENT);
        EventPublisher.publish(new DispatchAccepted(corr(s, "LD-9"), new DispatchReference("LD-9", "RT-9", "Swift",
                "D. Ortiz", "TRK-1", null, null, "REST_TMS"), Instant.parse("2026-11-27T10:00:05Z")), TRACEPARENT);
        EventPublisher.publish(departed, TRACEPARENT);
        EventPublisher.publish(delivered, deliveredId, TRACEPARENT);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s)
                .then().statusCode(200)
                .body("stages.stage", hasItems("ORDER_RELEASED", "DISPATCH_ACCEPTED", "PICKED_UP", "DELIVERED",
                        "POD_RECEIVED", "BILLING_ELIGIBLE", "INVOICE_ISSUED", "CRM_VIEW_UPDATED"))
                .body("milestones.eventId", equalTo(List.of("REST_API:SWIFT:p1", "REST_API:SWIFT:d1"))));

        given().get("/api/v1/shipments/" + s).then()
                .body("orderId", equalTo("ORD-SHP-V1"))
                .body("status", equalTo("DELIVERED"))
                .body("route.delivery", equalTo("Store 17"))
                .body("dispatch.status", equalTo("ACCEPTED"))
                .body("dispatch.loadId", equalTo("LD-9"))
                .body("dispatch.driver", equalTo("D. Ortiz"))
                .body("milestones[1].late", equalTo(true))
                .body("milestones[1].delayMinutes", equalTo(90))
                .body("pod.signedBy", equalTo("J. Doe"))
                .body("billing.state", equalTo("INVOICED"))
                .body("billing.invoiceId", equalTo("INV-77"))
                .body("billing.total", equalTo(1718.25f))
                .body("billing.currency", equalTo("USD"))
                .body("stages.traceId", everyItem(equalTo(TRACE)))
                .body("stages.find { it.stage == 'ORDER_RELEASED' }.service", equalTo("test"))
                .body("stages.find { it.stage == 'DELIVERED' }.completedAt", equalTo("2026-12-02T19:30:00Z"))
                .body("stages.find { it.stage == 'CRM_VIEW_UPDATED' }.service", equalTo("service-view-service"));
        // The view update is the case's own: its time is the case's last update, and it is no row of its own.
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync", "select count(*) from transaction_stage"
                + " where shipment_id = ? and stage = 'CRM_VIEW_UPDATED'", s)).isEqualTo(0L);
        String updatedAt = String.valueOf(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                "select to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') from shipment_case"
                        + " where shipment_id = ?", s));
        String viewUpdated = given().get("/api/v1/shipments/" + s).then().extract()
                .path("stages.find { it.stage == 'CRM_VIEW_UPDATED' }.completedAt");
        assertThat(java.time.Instant.parse(viewUpdated)).isEqualTo(java.time.Instant.parse(updatedAt + "Z"));
    }

    @Test
    void aBurstOfReportsIsAppliedInBatchesAndEndsAsOneEventAtATimeWould() {
        // 3 shipments x 120 position-less reports, published in one burst, so the consumer polls them in
        // batches; shipment 1 also reports two delays (the second escalates the task) and its delivery.
        Instant t0 = DELIVERED.minusSeconds(36_000);
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            for (int n = 1; n <= 3; n++) {
                String s = "SHP-VB" + n;
                Correlation c = new Correlation(s, "ORD-" + s, "LD-VB" + n, null, "CUST-VB", null);
                MilestoneRecorded m = com.logisync.testsupport.Milestones.reported(c, "vb" + n + "-" + i,
                        MilestoneType.IN_TRANSIT, t0.plusSeconds(60L * i)).build();
                ids.add(EventPublisher.publish(m, null) + "|" + s);
                if (n == 1 && i == 40) {
                    EventPublisher.publish(burstMilestone(c, "vb-delay-1", MilestoneType.DELAYED, t0.plusSeconds(2400),
                            null, 90), null);
                }
                if (n == 1 && i == 80) {
                    EventPublisher.publish(burstMilestone(c, "vb-delay-2", MilestoneType.DELAYED, t0.plusSeconds(4800),
                            null, 150), null);
                }
            }
        }
        Correlation c1 = new Correlation("SHP-VB1", "ORD-SHP-VB1", "LD-VB1", null, "CUST-VB", null);
        EventPublisher.publish(burstMilestone(c1, "vb-dlv", MilestoneType.DELIVERED, DELIVERED,
                new ProofOfDelivery("J. Doe", DELIVERED, "POD-VB", null), 150), null);
        // Ten of them again, with their CloudEvents ids: recognised, not applied twice.
        for (String redelivered : ids.subList(0, 10)) {
            String[] parts = redelivered.split("\\|");
            int i = ids.indexOf(redelivered) / 3;
            int n = ids.indexOf(redelivered) % 3 + 1;
            EventPublisher.publish(com.logisync.testsupport.Milestones.reported(new Correlation(parts[1], "ORD-" + parts[1],
                    "LD-VB" + n, null, "CUST-VB", null), "vb" + n + "-" + i, MilestoneType.IN_TRANSIT,
                    t0.plusSeconds(60L * i)).build(), parts[0], null);
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/shipments/SHP-VB1")
                .then().statusCode(200).body("milestones.size()", equalTo(123)).body("status", equalTo("DELIVERED")));
        for (String s : List.of("SHP-VB2", "SHP-VB3")) {
            given().get("/api/v1/shipments/" + s).then().statusCode(200)
                    .body("milestones.size()", equalTo(120))
                    .body("status", equalTo("IN_TRANSIT"))
                    .body("orderId", equalTo("ORD-" + s));
        }
        given().get("/api/v1/shipments/SHP-VB1").then()
                .body("pod.signedBy", equalTo("J. Doe"))
                .body("stages.find { it.stage == 'DELIVERED' }.completedAt", equalTo("2026-12-02T19:30:00Z"));
        // One task for the delay, at the largest delay reported, resolved by the delivery.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/api/v1/service-tasks?status=resolved&customerId=CUST-VB").then().statusCode(200)
                .body("items.taskId", equalTo(List.of("SHP-VB1:DELAYED")))
                .body("items[0].delayMinutes", equalTo(150))
                .body("items[0].severity", equalTo("MEDIUM"))
                .body("items[0].resolution", equalTo("delivered at 2026-12-02T19:30:00Z")));
        given().get("/api/v1/service-tasks?status=open&customerId=CUST-VB").then().body("items.size()", equalTo(0));
        // Every case-view lookup key was written once per shipment.
        given().get("/api/v1/shipments/lookup?key=LD-VB2").then().statusCode(200).body("shipmentId", equalTo("SHP-VB2"));
    }

    private static MilestoneRecorded burstMilestone(Correlation c, String id, MilestoneType type, Instant at,
            ProofOfDelivery pod, long delay) {
        return com.logisync.testsupport.Milestones.reported(c, id, type, at).pod(pod)
                .enrichment(new Enrichment("CUST-VB", 2, null, delay, delay > 0)).build();
    }

    @Test
    void theLatestAmendmentWinsWhateverTheOrderAndACancellationShowsWithItsReason() {
        String s = "SHP-V2";
        Address addr = new Address("1 Main St", "Houston", "TX", "77002", "US");
        TimeWindow window = new TimeWindow(DELIVERED.minusSeconds(14400), DELIVERED.minusSeconds(5400));
        List<Stop> original = List.of(new Stop(1, StopType.PICKUP, "Dallas DC", null, addr, "America/Chicago", window),
                new Stop(2, StopType.DELIVERY, "Store 17", null, addr, "America/Chicago", window));
        List<Stop> second = List.of(original.get(0),
                new Stop(2, StopType.DELIVERY, "Store 42", null, addr, "America/Chicago", window));
        List<Stop> first = List.of(original.get(0),
                new Stop(2, StopType.DELIVERY, "Store 23", null, addr, "America/Chicago", window));
        Instant at = Instant.parse("2026-11-27T12:00:00Z");
        // Amendment 2 arrives before amendment 1 and before the release: the view keeps amendment 2.
        EventPublisher.publish(new OrderAmended(corr(s, null), 2, "FTL", List.of(), second, at.plusSeconds(60)), null);
        EventPublisher.publish(new OrderReleased(corr(s, null), "LTL_STANDARD", List.of(), original, at), null);
        EventPublisher.publish(new OrderAmended(corr(s, null), 1, "LTL_STANDARD", List.of(), first, at.plusSeconds(30)),
                null);
        EventPublisher.publish(new OrderCancelled(corr(s, null), "PO withdrawn", at.plusSeconds(120)), null);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s)
                .then().statusCode(200)
                .body("amendment", equalTo(2))
                .body("serviceLevel", equalTo("FTL"))
                .body("route.delivery", equalTo("Store 42"))
                .body("cancellation.reason", equalTo("PO withdrawn"))
                .body("cancellation.at", equalTo("2026-11-27T12:02:00Z"))
                .body("stages.find { it.stage == 'ORDER_CANCELLED' }.completedAt", equalTo("2026-11-27T12:02:00Z")));
    }

    private static BillingCaseUpdated billingCase(String s, long version, String lumperStatus, String lumperBy) {
        boolean decided = !"PENDING".equals(lumperStatus);
        return new BillingCaseUpdated(corr(s, "LD-9"), version, decided,
                List.of(new BillingCaseUpdated.Check("POD_RECEIVED", true, "signed by J. Doe"),
                        new BillingCaseUpdated.Check("ACCESSORIALS_DECIDED", decided,
                                decided ? "all decided" : "UNL LMP-1 awaits a clerk")),
                List.of(new BillingCaseUpdated.Accessorial("DETENTION:" + s + ":DELIVERY", "DTU", new BigDecimal("90"),
                                "MINUTES", "APPROVED", "AUTO", "evidence within the cap", DELIVERED, null,
                                "210 min on site, 120 free, 90 billable"),
                        new BillingCaseUpdated.Accessorial("LMP-1", "UNL", BigDecimal.ONE, "EACH", lumperStatus, lumperBy,
                                null, null, "RCPT-77", null)),
                List.of(), DELIVERED.plusSeconds(version));
    }

    @Test
    void theCaseShowsTheLastKnownPositionAndBillingsChecklistAndDecisionsWhateverTheOrder() {
        String s = "SHP-V3";
        // A newer position before an older one; billing's version 2 before version 1, then 2 again.
        EventPublisher.publish(new PositionReported(corr(s, "LD-9"), "TRK-9", 29.7655, -95.3710, 12.0, 90.0,
                Instant.parse("2026-12-02T14:10:00Z")), null);
        EventPublisher.publish(new PositionReported(corr(s, "LD-9"), "TRK-9", 29.1, -95.9, 80.0, 90.0,
                Instant.parse("2026-12-02T14:05:00Z")), null);
        EventPublisher.publish(billingCase(s, 2, "PENDING", null), null);
        EventPublisher.publish(new BillingCaseUpdated(corr(s, "LD-9"), 1, false,
                List.of(new BillingCaseUpdated.Check("POD_RECEIVED", false, "no POD yet")), List.of(), List.of(),
                DELIVERED), null);
        EventPublisher.publish(billingCase(s, 2, "PENDING", null), null);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s)
                .then().statusCode(200)
                .body("lastPosition.latitude", equalTo(29.7655f))
                .body("lastPosition.longitude", equalTo(-95.371f))
                .body("lastPosition.speedKph", equalTo(12.0f))
                .body("lastPosition.vehicleId", equalTo("TRK-9"))
                .body("lastPosition.reportedAt", equalTo("2026-12-02T14:10:00Z"))
                .body("billing.rulesMet", equalTo(false))
                .body("billing.checklist.find { it.rule == 'POD_RECEIVED' }.met", equalTo(true))
                .body("billing.checklist.find { it.rule == 'ACCESSORIALS_DECIDED' }.detail",
                        equalTo("UNL LMP-1 awaits a clerk"))
                .body("billing.accessorials.size()", equalTo(2))
                .body("billing.accessorials.find { it.chargeCode == 'DTU' }.status", equalTo("APPROVED"))
                .body("billing.accessorials.find { it.chargeCode == 'DTU' }.decidedBy", equalTo("AUTO"))
                .body("billing.accessorials.find { it.chargeCode == 'DTU' }.quantity", equalTo(90))
                .body("billing.accessorials.find { it.chargeCode == 'UNL' }.status", equalTo("PENDING"))
                .body("billing.accessorials.find { it.chargeCode == 'UNL' }.receiptRef", equalTo("RCPT-77")));

        // A clerk rejects the lumper charge: version 3 replaces the checklist and the decision.
        EventPublisher.publish(billingCase(s, 3, "REJECTED", "clerk.anna"), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s)
                .then().statusCode(200)
                .body("billing.rulesMet", equalTo(true))
                .body("billing.checklist.find { it.rule == 'ACCESSORIALS_DECIDED' }.met", equalTo(true))
                .body("billing.accessorials.find { it.chargeCode == 'UNL' }.status", equalTo("REJECTED"))
                .body("billing.accessorials.find { it.chargeCode == 'UNL' }.decidedBy", equalTo("clerk.anna")));
    }

    @Test
    void unknownShipmentIsA404Problem() {
        given().get("/api/v1/shipments/SHP-NOPE").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:not-found"));
    }
}
