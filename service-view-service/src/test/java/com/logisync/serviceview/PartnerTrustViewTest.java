package com.logisync.serviceview;

import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Correlation;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** What the agent sees of partner trust: each milestone's reason, and an unverified POD that is no proof. */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@TestSecurity(user = "test-suite", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class PartnerTrustViewTest {

    private static final Instant AT = Instant.parse("2026-12-02T15:00:00Z");

    private static MilestoneRecorded milestone(String shipmentId, String partner, String id, MilestoneType type,
            Instant at, Reason reason, ProofOfDelivery pod) {
        return com.logisync.testsupport.Milestones.reported(new Correlation(shipmentId, "ORD-" + shipmentId, null, null, "CUST-ACME", null), id, type, at)
                .source(SourceSystem.X12_214, partner, null).receivedAfterSeconds(0).reason(reason).pod(pod)
                .enrichment(new Enrichment("CUST-ACME", 2, null, 0, false)).build();
    }

    @Test
    void aCarriersDelayReasonReachesTheCaseView() {
        String s = "SHP-W1";
        EventPublisher.publish(new OrderReleased(new Correlation(s, "ORD-" + s, null, null, "CUST-ACME", null),
                "LTL_STANDARD", List.of(), List.of(), AT.minusSeconds(86400)), null);
        EventPublisher.publish(milestone(s, "SWIFT", "sd-1", MilestoneType.DELAYED, AT,
                new Reason("WEATHER", "AO", "X12-1651", null), null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s).then()
                .statusCode(200)
                .body("milestones[0].reason.code", equalTo("WEATHER"))
                .body("milestones[0].reason.sourceCode", equalTo("AO"))
                .body("milestones[0].reason.codeList", equalTo("X12-1651")));
    }

    @Test
    void anUnverifiedPodIsShownButProvesNothingAndOpensATaskThatTheRealPodResolves() {
        String s = "SHP-W2";
        EventPublisher.publish(new OrderReleased(new Correlation(s, "ORD-" + s, null, null, "CUST-ACME", null),
                "LTL_STANDARD", List.of(), List.of(), AT.minusSeconds(86400)), null);
        EventPublisher.publish(milestone(s, "ROGUE", "d1-rogue", MilestoneType.DELIVERED, AT, null,
                new ProofOfDelivery("Somebody", AT, null, null, false,
                        "reported by partner ROGUE, but the load is dispatched to carrier Swift Haulage")), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s).then()
                .statusCode(200)
                .body("pod", nullValue())
                .body("milestones[0].pod.signedBy", equalTo("Somebody"))
                .body("milestones[0].pod.verified", equalTo(false))
                .body("milestones[0].pod.unverifiedReason",
                        equalTo("reported by partner ROGUE, but the load is dispatched to carrier Swift Haulage"))
                .body("stages.stage", not(hasItem("POD_RECEIVED")))
                .body("serviceTasks.find { it.reason == 'UNVERIFIED_POD' }.status", equalTo("OPEN"))
                .body("serviceTasks.find { it.reason == 'UNVERIFIED_POD' }.severity", equalTo("HIGH")));

        EventPublisher.publish(milestone(s, "SWIFT", "d1-swift", MilestoneType.DELIVERED, AT.plusSeconds(60), null,
                new ProofOfDelivery("J. Doe", AT.plusSeconds(60), "POD-1", null, true, null)), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s).then()
                .body("pod.signedBy", equalTo("J. Doe"))
                .body("stages.stage", hasItem("POD_RECEIVED"))
                .body("serviceTasks.find { it.reason == 'UNVERIFIED_POD' }.status", equalTo("RESOLVED")));
    }

    @Test
    void anUnsignedDeliveryProvenWhenItsDispatchArrivedIsNotedButIsNoPod() {
        String s = "SHP-W2U";
        EventPublisher.publish(new OrderReleased(new Correlation(s, "ORD-" + s, null, null, "CUST-ACME", null),
                "LTL_STANDARD", List.of(), List.of(), AT.minusSeconds(86400)), null);
        EventPublisher.publish(milestone(s, "SWIFT", "w2u-d1", MilestoneType.DELIVERED, AT, null,
                new ProofOfDelivery(null, null, null, null, false,
                        "reported by partner SWIFT before the TMS named the load's carrier")), null);
        EventPublisher.publish(new com.logisync.contracts.event.MilestoneCorrected(new Correlation(s, "ORD-" + s, null,
                null, "CUST-ACME", null), "X12_214:SWIFT:w2u-d1#1", "X12_214:SWIFT:w2u-d1", MilestoneType.DELIVERED,
                com.logisync.contracts.event.MilestoneCorrected.Action.RECORD_POD, "its delivery report counts",
                "milestone-service", null, new ProofOfDelivery(null, null, null, null, true, null), AT.plusSeconds(600),
                MilestoneType.DELIVERED, AT), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s).then()
                .statusCode(200)
                .body("status", equalTo("DELIVERED"))
                .body("milestones[0].correction", equalTo(
                        "RECORD_POD by milestone-service at 2026-12-02T15:10:00Z: its delivery report counts"))
                .body("pod", nullValue())
                .body("milestones[0].pod", nullValue())
                .body("stages.stage", hasItem("DELIVERED"))
                .body("stages.stage", not(hasItem("POD_RECEIVED")))
                .body("serviceTasks.reason", not(hasItem("UNVERIFIED_POD"))));
    }

    private static com.logisync.contracts.event.MilestoneCorrected voided(String shipmentId, String eventId) {
        return new com.logisync.contracts.event.MilestoneCorrected(new Correlation(shipmentId, "ORD-" + shipmentId, null,
                null, "CUST-ACME", null), eventId + "#1", eventId, MilestoneType.DELIVERED,
                com.logisync.contracts.event.MilestoneCorrected.Action.VOID, "reported for the wrong load", "ops-desk",
                null, null, AT.plusSeconds(3600), MilestoneType.IN_TRANSIT, AT.minusSeconds(3600));
    }

    @Test
    void aVoidedDeliveryStaysVisibleButNoLongerCounts() {
        String s = "SHP-W3";
        EventPublisher.publish(new OrderReleased(new Correlation(s, "ORD-" + s, null, null, "CUST-ACME", null),
                "LTL_STANDARD", List.of(), List.of(), AT.minusSeconds(86400)), null);
        EventPublisher.publish(milestone(s, "SWIFT", "w3-x6", MilestoneType.IN_TRANSIT, AT.minusSeconds(3600), null, null), null);
        MilestoneRecorded delivered = milestone(s, "SWIFT", "w3-d1", MilestoneType.DELIVERED, AT, null,
                new ProofOfDelivery("J. Doe", AT, "POD-1", null, true, null));
        String deliveredCe = EventPublisher.publish(delivered, null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s).then()
                .body("status", equalTo("DELIVERED")).body("pod.signedBy", equalTo("J. Doe"))
                .body("stages.stage", hasItem("POD_RECEIVED")));
        var correction = voided(s, "X12_214:SWIFT:w3-d1");
        String correctionCe = EventPublisher.publish(correction, null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s).then()
                .body("status", equalTo("IN_TRANSIT"))
                .body("pod", nullValue())
                .body("milestones[1].voided", equalTo(true))
                .body("milestones[1].correction", equalTo(
                        "VOID by ops-desk at 2026-12-02T16:00:00Z: reported for the wrong load"))
                .body("stages.stage", not(hasItem("DELIVERED")))
                .body("stages.stage", not(hasItem("POD_RECEIVED"))));

        // Both again, as a redelivery would bring them: the voided delivery is recognised by its timeline row (no
        // ledger row for a milestone), the correction by its ledger row; neither is applied a second time.
        EventPublisher.publish(delivered, deliveredCe, null);
        EventPublisher.publish(correction, correctionCe, null);
        com.logisync.testsupport.KafkaRecords.awaitConsumed("service-view-service.milestones",
                com.logisync.contracts.Topics.MILESTONES, Duration.ofSeconds(20));
        given().get("/api/v1/shipments/" + s).then()
                .body("status", equalTo("IN_TRANSIT"))
                .body("pod", nullValue())
                .body("milestones.size()", equalTo(2))
                .body("milestones[1].voided", equalTo(true))
                .body("milestones[1].correction", equalTo(
                        "VOID by ops-desk at 2026-12-02T16:00:00Z: reported for the wrong load"))
                .body("stages.stage", not(hasItem("DELIVERED")));
        org.assertj.core.api.Assertions.assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                "select count(*) from processed_event where event_id = ?", deliveredCe)).isEqualTo(0L);
        org.assertj.core.api.Assertions.assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                "select count(*) from processed_event where event_id = ?", correctionCe)).isEqualTo(1L);
        org.assertj.core.api.Assertions.assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                "select count(*) from customer_event where event_id = ?", "X12_214:SWIFT:w3-d1")).isEqualTo(1L);
    }

    @Test
    void aDeliveryVoidedAfterTheInvoiceOpensATaskForAPerson() {
        String s = "SHP-W4";
        Correlation corr = new Correlation(s, "ORD-" + s, null, "INV-W4", "CUST-ACME", null);
        EventPublisher.publish(new OrderReleased(new Correlation(s, "ORD-" + s, null, null, "CUST-ACME", null),
                "LTL_STANDARD", List.of(), List.of(), AT.minusSeconds(86400)), null);
        EventPublisher.publish(milestone(s, "SWIFT", "w4-d1", MilestoneType.DELIVERED, AT, null,
                new ProofOfDelivery("J. Doe", AT, "POD-1", null, true, null)), null);
        EventPublisher.publish(new com.logisync.contracts.event.InvoiceIssued(corr, "INV-W4", 1, s + ":rating-1",
                "CTR-ACME-2026", "USD", new java.math.BigDecimal("829.50"), AT.plusSeconds(60), AT.plusSeconds(120)), null);
        // The invoice (billing topic) is known before the correction (milestones topic) arrives.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s).then()
                .body("billing.state", equalTo("INVOICED")).body("milestones.size()", equalTo(1)));
        EventPublisher.publish(voided(s, "X12_214:SWIFT:w4-d1"), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/shipments/" + s).then()
                .body("billing.state", equalTo("INVOICED"))
                .body("serviceTasks.find { it.reason == 'CORRECTED_AFTER_INVOICE' }.status", equalTo("OPEN"))
                .body("serviceTasks.find { it.reason == 'CORRECTED_AFTER_INVOICE' }.detail", equalTo(
                        "DELIVERED X12_214:SWIFT:w4-d1 void by ops-desk (reported for the wrong load) after the invoice was"
                                + " issued: check the invoice")));
    }
}
