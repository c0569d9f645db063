package com.logisync.billing;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.contracts.event.AccessorialCaptured;
import com.logisync.contracts.event.ContractUpdated;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.StopType;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Accessorial decisions and exceptions on the billing case, end to end on the real broker and database. */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "test-suite", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ErpStandIn.class)
class BillingDecisionsTest {

    private static final Instant DELIVERED_AT = Instant.parse("2026-12-02T19:30:00Z");

    @BeforeEach
    void acmeContract() {
        seedAcmeContract();
    }

    /** ACME's contract: detention at 85.00 an hour after 120 minutes, at most 340.00 per stop. */
    static void seedAcmeContract() {
        ContractSeed.seed(new Contract("CTR-ACME-2026", "CUST-ACME", LocalDate.parse("2026-01-01"),
                null, List.of(new Contract.Lane("US-TX", "US", new BigDecimal("1450.00"), "USD", List.of("LTL_STANDARD"),
                        60, new BigDecimal("20000"))),
                Map.of("DET", new BigDecimal("85.00"), "LFT", new BigDecimal("75.00"), "UNL", new BigDecimal("120.00")),
                120, new BigDecimal("340.00"), new Contract.FuelSurchargeTable("FSC-2026-1", List.of(
                        new Contract.FuelSurchargeTable.Band(new BigDecimal("3.500"), new BigDecimal("4.000"),
                                new BigDecimal("18.5")))), false, 1));
    }

    private static Correlation corr(String shipmentId) {
        return com.logisync.testsupport.Milestones.correlation(shipmentId, "CUST-ACME");
    }

    private static void deliveredWithPod(String shipmentId) {
        EventPublisher.publish(new OrderReleased(corr(shipmentId), "LTL_STANDARD", List.of(), List.of(),
                Instant.parse("2026-11-27T10:00:00Z")), null);
        EventPublisher.publish(milestone(shipmentId, "d-" + shipmentId, MilestoneType.DELIVERED, DELIVERED_AT, null,
                new ProofOfDelivery("J. Doe", DELIVERED_AT, "POD-1", null)), null);
    }

    private static MilestoneRecorded milestone(String shipmentId, String id, MilestoneType type, Instant at,
            Reason reason, ProofOfDelivery pod) {
        return com.logisync.testsupport.Milestones.reported(corr(shipmentId), id, type, at).reason(reason).pod(pod).build();
    }

    private static AccessorialCaptured accessorial(String shipmentId, String id, String code, int quantity, String unit,
            boolean evidence, String receipt) {
        return new AccessorialCaptured(id, corr(shipmentId), code, BigDecimal.valueOf(quantity), unit, StopType.DELIVERY,
                evidence ? DELIVERED_AT.minusSeconds(quantity * 60L + 7200) : null, evidence ? DELIVERED_AT : null,
                "evidence of " + id, receipt, new Source(SourceSystem.TELEMATICS, "TRK-1", id, code), DELIVERED_AT);
    }

    /** An order whose delivery stop 2 has its appointment at 14:00 (the pickup stop 1 at 08:00). */
    static OrderReleased orderWithAppointments(String shipmentId) {
        com.logisync.contracts.model.Address dallas = new com.logisync.contracts.model.Address("100 Commerce St", "Dallas",
                "TX", "75201", "US");
        com.logisync.contracts.model.Address houston = new com.logisync.contracts.model.Address("9 Main St", "Houston",
                "TX", "77002", "US");
        return new OrderReleased(corr(shipmentId), "LTL_STANDARD", List.of(), List.of(
                new com.logisync.contracts.model.Stop(1, StopType.PICKUP, "Acme DC", null, dallas, "America/Chicago",
                        new com.logisync.contracts.model.TimeWindow(Instant.parse("2026-12-02T08:00:00Z"),
                                Instant.parse("2026-12-02T09:00:00Z"))),
                new com.logisync.contracts.model.Stop(2, StopType.DELIVERY, "Store 17", null, houston, "America/Chicago",
                        new com.logisync.contracts.model.TimeWindow(Instant.parse("2026-12-02T14:00:00Z"), DELIVERED_AT))),
                Instant.parse("2026-11-27T10:00:00Z"));
    }

    static com.logisync.contracts.event.MilestoneCorrected retimed(String shipmentId, String eventId,
            MilestoneType type, Instant at) {
        return new com.logisync.contracts.event.MilestoneCorrected(corr(shipmentId), "COR-" + eventId,
                "REST_API:SWIFT:" + eventId, type, com.logisync.contracts.event.MilestoneCorrected.Action.RETIME,
                "the driver's app clock was wrong", "ops-1", EventTime.ofUtc(at), null, Instant.now(), type, at);
    }

    @jakarta.inject.Inject
    com.logisync.billing.rest.BillingCaseWarmUp warmUp;

    @jakarta.inject.Inject
    io.vertx.core.Vertx vertx;

    /** Readiness waits for one billing case read as the API reads it (view and JSON), on a cold JVM. */
    @Test
    void theWarmUpReadsABillingCaseAsTheApiDoesAndReadinessWaitedForIt() {
        deliveredWithPod("SHP-W1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-W1").then()
                .statusCode(200));
        String read = com.logisync.runtime.vertx.SafeContext.run(vertx, warmUp::run).await().atMost(Duration.ofSeconds(20));
        assertThat(read).matches("SHP-\\S+, \\d+ bytes");
        assertThat(Integer.parseInt(read.replaceAll(".*, (\\d+) bytes", "$1"))).isGreaterThan(200);
        // At this test's start the database may have had no case yet: then that is what the check says.
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Warm-up' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Warm-up' }.data.'billing case view'",
                        org.hamcrest.Matchers.matchesPattern("\\d+ ms, (no billing case yet|SHP-\\S+, \\d+ bytes)"));
    }

    @Test
    void detentionIsPricedPerStopFromTheAppointmentAndACorrectedDepartureRecomputesIt() {
        // The truck came two hours early (12:00 for 14:00) and left at 17:30: 210 min on the clock, 90 billable.
        EventPublisher.publish(orderWithAppointments("SHP-D1"), null);
        EventPublisher.publish(milestone("SHP-D1", "arr-D1", MilestoneType.ARRIVED_DELIVERY,
                Instant.parse("2026-12-02T12:00:00Z"), null, null), null);
        EventPublisher.publish(milestone("SHP-D1", "dep-D1", MilestoneType.DEPARTED_DELIVERY,
                Instant.parse("2026-12-02T17:30:00Z"), null, null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-D1").then()
                .body("accessorials[0].accessorialId", equalTo("DETENTION:SHP-D1:2"))
                .body("accessorials[0].chargeCode", equalTo("DTU"))
                .body("accessorials[0].quantity", equalTo(90f))
                .body("accessorials[0].status", equalTo("APPROVED"))
                .body("accessorials[0].decidedBy", equalTo("AUTO"))
                .body("accessorials[0].reason", equalTo("detention 2 started hour(s) at 85.00 = 170.00"))
                .body("accessorials[0].evidence", containsString("clock from 2026-12-02T14:00:00Z (arrived early)")));

        // The departure corrected to 20:01: 361 min, 241 billable, 5 hours = 425.00, capped at 340.00 per stop.
        EventPublisher.publish(retimed("SHP-D1", "dep-D1", MilestoneType.DEPARTED_DELIVERY,
                Instant.parse("2026-12-02T20:01:00Z")), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-D1").then()
                .body("accessorials", org.hamcrest.Matchers.hasSize(1))
                .body("accessorials[0].quantity", equalTo(241f))
                .body("accessorials[0].status", equalTo("APPROVED"))
                .body("accessorials[0].reason", equalTo("detention 5 started hour(s) at 85.00 = 340.00, capped at the"
                        + " contract's 340.00 per stop")));

        // Corrected again to 15:30: within the free time, the charge is withdrawn and the case can be billed.
        EventPublisher.publish(retimed("SHP-D1", "dep-D1", MilestoneType.DEPARTED_DELIVERY,
                Instant.parse("2026-12-02T15:30:00Z")), null);
        EventPublisher.publish(milestone("SHP-D1", "d-SHP-D1", MilestoneType.DELIVERED, DELIVERED_AT, null,
                new ProofOfDelivery("J. Doe", DELIVERED_AT, "POD-1", null)), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-D1", EventType.BILLING_ELIGIBLE.ceType(), 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-D1").then()
                .body("accessorials[0].status", equalTo("WITHDRAWN"))
                .body("checklist.find { it.rule == 'ACCESSORIALS_DECIDED' }.met", equalTo(true)));
    }

    /**
     * A stop reported again and again (a geofence's arrivals, a carrier's repeated 214s): the earliest valid arrival
     * and the latest valid departure make the stay, a voided departure gives way to the latest one left, and with
     * every departure voided the charge is withdrawn.
     */
    @Test
    void aStopReportedAgainAndAgainIsPricedFromItsEarliestArrivalAndLatestValidDeparture() {
        String s = "SHP-D9";
        EventPublisher.publish(orderWithAppointments(s), null);
        // Arrived 12:00 (early for 14:00) and again 12:30; departed 20:01 and, a second report, 17:30.
        EventPublisher.publish(milestone(s, "arr1-D9", MilestoneType.ARRIVED_DELIVERY,
                Instant.parse("2026-12-02T12:00:00Z"), null, null), null);
        EventPublisher.publish(milestone(s, "arr2-D9", MilestoneType.ARRIVED_DELIVERY,
                Instant.parse("2026-12-02T12:30:00Z"), null, null), null);
        EventPublisher.publish(milestone(s, "dep1-D9", MilestoneType.DEPARTED_DELIVERY,
                Instant.parse("2026-12-02T20:01:00Z"), null, null), null);
        EventPublisher.publish(milestone(s, "dep2-D9", MilestoneType.DEPARTED_DELIVERY,
                Instant.parse("2026-12-02T17:30:00Z"), null, null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/" + s).then()
                .body("accessorials", org.hamcrest.Matchers.hasSize(1))
                .body("accessorials[0].quantity", equalTo(241f))
                .body("accessorials[0].reason", equalTo("detention 5 started hour(s) at 85.00 = 340.00, capped at the"
                        + " contract's 340.00 per stop")));

        // The 20:01 departure voided: the 17:30 one is the latest left, 90 billable minutes.
        EventPublisher.publish(voided(s, "dep1-D9", MilestoneType.DEPARTED_DELIVERY), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/" + s).then()
                .body("accessorials[0].quantity", equalTo(90f))
                .body("accessorials[0].status", equalTo("APPROVED"))
                .body("accessorials[0].reason", equalTo("detention 2 started hour(s) at 85.00 = 170.00")));

        // Both voided: no valid departure, so no stay, and the charge is withdrawn.
        EventPublisher.publish(voided(s, "dep2-D9", MilestoneType.DEPARTED_DELIVERY), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/" + s).then()
                .body("accessorials[0].status", equalTo("WITHDRAWN"))
                .body("accessorials[0].reason", containsString("the stop no longer has a valid arrival and departure")));
    }

    static com.logisync.contracts.event.MilestoneCorrected voided(String shipmentId, String eventId, MilestoneType type) {
        return new com.logisync.contracts.event.MilestoneCorrected(corr(shipmentId), "VOID-" + eventId,
                "REST_API:SWIFT:" + eventId, type, com.logisync.contracts.event.MilestoneCorrected.Action.VOID,
                "reported by mistake", "ops-1", null, null, Instant.now(), null, null);
    }

    @Test
    void milestoneServicesOwnDetentionIsIgnoredAndADriverReportedOneWaitsForAClerk() {
        // An AccessorialCaptured DETENTION:… from a milestone-service of the previous release is never billed
        // next to billing's own; a detention the driver reports is decided by a clerk.
        String id = "DRIVER_APP:TRK-1:det-D2";
        EventPublisher.publish(accessorial("SHP-D2", "DETENTION:SHP-D2:DELIVERY", "DTU", 90, "MINUTES", true, null), null);
        EventPublisher.publish(accessorial("SHP-D2", id, "DTU", 300, "MINUTES", true, null), null);
        deliveredWithPod("SHP-D2");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-D2").then()
                .statusCode(200)
                .body("status", equalTo("OPEN"))
                .body("checklist[0].met", equalTo(true))
                .body("checklist[1].met", equalTo(true))
                .body("checklist[2].rule", equalTo("ACCESSORIALS_DECIDED"))
                .body("checklist[2].detail", equalTo("DTU pending approval (" + id + ")"))
                .body("accessorials", org.hamcrest.Matchers.hasSize(1))
                .body("accessorials[0].reason", equalTo("detention reported by the driver: billing computes detention"
                        + " from the stop's arrival and departure, a clerk decides this one")));

        given().contentType(ContentType.JSON).body("{\"decidedBy\": \"clerk-7\", \"reason\": \"dock confirmed the wait\"}")
                .post("/api/v1/billing-cases/SHP-D2/accessorials/" + id + "/approve")
                .then().statusCode(200)
                .body("status", equalTo("ELIGIBLE"))
                .body("accessorials[0].status", equalTo("APPROVED"))
                .body("accessorials[0].decidedBy", equalTo("test-suite")); // the token's subject, not the body's clerk-7
        // Approving again changes nothing; rejecting an approved one is a conflict.
        given().contentType(ContentType.JSON).body("{\"reason\": \"again\"}")
                .post("/api/v1/billing-cases/SHP-D2/accessorials/" + id + "/approve").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"reason\": \"changed my mind\"}")
                .post("/api/v1/billing-cases/SHP-D2/accessorials/" + id + "/reject")
                .then().statusCode(409).body("type", equalTo("urn:logisync:problem:accessorial-decided"));
        given().contentType(ContentType.JSON).body("{\"reason\": \"x\"}")
                .post("/api/v1/billing-cases/SHP-D2/accessorials/NOPE/approve").then().statusCode(404);

        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-D2", EventType.BILLING_ELIGIBLE.ceType(), 1);
        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(KafkaRecords.forShipment(Topics.BILLING, "SHP-D2")).filteredOn(r -> EventType.BILLING_ELIGIBLE.ceType()
                    .equals(KafkaRecords.header(r, "ce_type"))).hasSize(1);
        });

        // The agent's copy of the case: a snapshot per visible change, versions growing, the last one
        // with the clerk's decision and every rule met; the repeated approval published nothing new.
        List<com.fasterxml.jackson.databind.JsonNode> snapshots = KafkaRecords.forShipment(Topics.BILLING, "SHP-D2")
                .stream().filter(r -> EventType.BILLING_CASE_UPDATED.ceType().equals(KafkaRecords.header(r, "ce_type")))
                .map(r -> {
                    try {
                        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.value());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
        assertThat(snapshots).extracting(n -> n.path("caseVersion").asLong()).isSorted().doesNotHaveDuplicates();
        com.fasterxml.jackson.databind.JsonNode last = snapshots.get(snapshots.size() - 1);
        assertThat(last.path("eligible").asBoolean()).isTrue();
        assertThat(last.path("accessorials").get(0).path("status").asText()).isEqualTo("APPROVED");
        assertThat(last.path("accessorials").get(0).path("decidedBy").asText()).isEqualTo("test-suite");
        assertThat(last.path("accessorials").get(0).path("reason").asText()).isEqualTo("dock confirmed the wait");
        assertThat(snapshots).anySatisfy(n -> assertThat(n.path("accessorials").path(0).path("status").asText())
                .isEqualTo("PENDING"));
    }

    @Test
    void aLumperWithoutReceiptCannotBeApprovedOnlyRejected() {
        String id = "DRIVER_APP:TRK-1:acc-9";
        deliveredWithPod("SHP-D3");
        EventPublisher.publish(accessorial("SHP-D3", id, "UNL", 1, "EACH", false, null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-D3").then()
                .body("accessorials[0].reason", equalTo("lumper needs a receipt reference")));
        given().contentType(ContentType.JSON).body("{\"reason\": \"driver says he paid\"}")
                .post("/api/v1/billing-cases/SHP-D3/accessorials/" + id + "/approve")
                .then().statusCode(422).body("errors[0].code", equalTo("LUMPER_RECEIPT_MISSING"));
        given().contentType(ContentType.JSON).body("{}")
                .post("/api/v1/billing-cases/SHP-D3/accessorials/" + id + "/reject")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        given().contentType(ContentType.JSON).body("{\"reason\": \"no receipt, not billable\"}")
                .post("/api/v1/billing-cases/SHP-D3/accessorials/" + id + "/reject")
                .then().statusCode(200).body("status", equalTo("ELIGIBLE"))
                .body("accessorials[0].status", equalTo("REJECTED"));
    }

    @Test
    void exceptionsHoldTheInvoiceUntilALaterDeliveryOrAClerkResolvesThem() {
        // A failed delivery attempt, reported after the successful delivery that resolves it.
        deliveredWithPod("SHP-D4");
        EventPublisher.publish(milestone("SHP-D4", "dnc-1", MilestoneType.DELIVERY_NOT_COMPLETED,
                DELIVERED_AT.minusSeconds(86400), null, null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-D4").then()
                .body("exceptions[0].kind", equalTo("DELIVERY_NOT_COMPLETED"))
                .body("exceptions[0].resolution", equalTo("resolved by the delivery at 2026-12-02T19:30:00Z"))
                .body("status", equalTo("ELIGIBLE")));

        // Damage stays open until a clerk resolves it.
        EventPublisher.publish(milestone("SHP-D5", "dmg-1", MilestoneType.EXCEPTION, DELIVERED_AT.minusSeconds(3600),
                new Reason("DAMAGE", "A9", "X12-1650", null), null), null);
        deliveredWithPod("SHP-D5");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-D5").then()
                .body("status", equalTo("OPEN"))
                .body("checklist[3].detail", containsString("DAMAGE open since 2026-12-02T18:30:00Z")));
        given().contentType(ContentType.JSON).body("{\"decidedBy\": \"clerk-2\", \"reason\": \"consignee accepted 2 dented cartons\"}")
                .post("/api/v1/billing-cases/SHP-D5/exceptions/REST_API:SWIFT:dmg-1/resolve")
                .then().statusCode(200)
                .body("status", equalTo("ELIGIBLE"))
                .body("exceptions[0].resolution", equalTo("resolved by test-suite: consignee accepted 2 dented cartons"));
    }

    @Test
    void aDeliveredShipmentIsRatedFromItsContractAndTheDieselIndexOfItsDeliveryWeek() {
        com.logisync.contracts.model.Address dallas = new com.logisync.contracts.model.Address("100 Commerce St", "Dallas",
                "TX", "75201", "US");
        com.logisync.contracts.model.Address houston = new com.logisync.contracts.model.Address("9 Main St", "Houston",
                "TX", "77002", "US");
        com.logisync.contracts.model.TimeWindow window = new com.logisync.contracts.model.TimeWindow(
                DELIVERED_AT.minusSeconds(3600), DELIVERED_AT);
        EventPublisher.publish(new OrderReleased(corr("SHP-R1"), "LTL_STANDARD", List.of(), List.of(
                new com.logisync.contracts.model.Stop(1, StopType.PICKUP, "Acme DC", null, dallas, "America/Chicago", window),
                new com.logisync.contracts.model.Stop(2, StopType.DELIVERY, "Store 17", null, houston, "America/Chicago",
                        window)), Instant.parse("2026-11-27T10:00:00Z")), null);
        EventPublisher.publish(milestone("SHP-R1", "d-SHP-R1", MilestoneType.DELIVERED, DELIVERED_AT, null,
                new ProofOfDelivery("J. Doe", DELIVERED_AT, "POD-1", null)), null);
        EventPublisher.publish(accessorial("SHP-R1", "DRIVER_APP:TRK-1:lft-1", "LFT", 1, "EACH", false, null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-R1").then()
                .body("accessorials[0].status", equalTo("APPROVED")).body("deliveredAt", equalTo("2026-12-02T19:30:00Z")));

        // The order (its lane) comes on another topic than the delivery and may be applied after it: until then the
        // lane is what is missing; then only the week's diesel index is.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-R1/rating")
                .then().statusCode(422)
                .body("type", equalTo("urn:logisync:problem:not-ratable"))
                .body("detail", containsString("PUT /api/v1/fuel-index/2026-W49")));
        given().contentType(ContentType.JSON).body("{\"pricePerGallon\": 3.612}").put("/api/v1/fuel-index/2026-W60")
                .then().statusCode(400).body("errors[0].field", equalTo("isoWeek"));
        given().contentType(ContentType.JSON).body("{\"pricePerGallon\": 3.612, \"source\": \"EIA weekly\"}")
                .put("/api/v1/fuel-index/2026-W49").then().statusCode(200).body("pricePerGallon", equalTo(3.612f));

        given().get("/api/v1/billing-cases/SHP-R1/rating").then().statusCode(200)
                .body("currency", equalTo("USD"))
                .body("lines.code", equalTo(List.of("LHS", "FSC", "LFT")))
                .body("lines[1].amount", equalTo(268.25f))
                .body("lines[1].basis", equalTo("table FSC-2026-1, diesel 3.612 in week 2026-W49, band 3.500–4.000"
                        + " → 18.5% of 1450.00"))
                .body("total", equalTo(1793.25f));
    }

    @Test
    void aWeeksDieselIndexKeepsItsHistoryWithWhoSetItAndWhen() {
        given().contentType(ContentType.JSON).body("{\"pricePerGallon\": 3.600, \"source\": \"EIA preliminary\"}")
                .put("/api/v1/fuel-index/2026-W44").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"pricePerGallon\": 3.612, \"source\": \"EIA weekly\"}")
                .put("/api/v1/fuel-index/2026-W44").then().statusCode(200);
        given().get("/api/v1/fuel-index/2026-W44").then().body("pricePerGallon", equalTo(3.612f));
        given().get("/api/v1/fuel-index/2026-W44/history").then().statusCode(200)
                .body("pricePerGallon", equalTo(List.of(3.6f, 3.612f)))
                .body("source", equalTo(List.of("EIA preliminary", "EIA weekly")))
                .body("setBy", equalTo(List.of("test-suite", "test-suite")));
    }

    @Test
    void aDeadlockLostByARequestIsA503ToRetryNotA500AndChangesNothing() {
        // The database picks this request's transaction as a deadlock's victim (played by a trigger).
        com.logisync.testsupport.PostgresServer.execute("logisync", """
                create or replace function lose_deadlock() returns trigger language plpgsql as $$
                begin
                  if new.iso_week = '2026-W02' then
                    raise exception 'deadlock detected' using errcode = '40P01';
                  end if;
                  return new;
                end $$;
                create trigger lose_deadlock before insert on fuel_index_history for each row execute function lose_deadlock();
                """);
        try {
            given().contentType(ContentType.JSON).body("{\"pricePerGallon\": 3.700, \"source\": \"EIA weekly\"}")
                    .put("/api/v1/fuel-index/2026-W02").then().statusCode(503).header("Retry-After", "1")
                    .contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith("temporarily-unavailable"));
            given().get("/api/v1/fuel-index/2026-W02").then().statusCode(404);
        } finally {
            com.logisync.testsupport.PostgresServer.execute("logisync",
                    "drop trigger lose_deadlock on fuel_index_history; drop function lose_deadlock()");
        }
        given().contentType(ContentType.JSON).body("{\"pricePerGallon\": 3.700, \"source\": \"EIA weekly\"}")
                .put("/api/v1/fuel-index/2026-W02").then().statusCode(200);
    }
}
