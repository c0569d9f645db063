package com.logisync.billing;

import com.logisync.billing.service.BillingCaseService;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Correlation;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import com.logisync.testsupport.JwtTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "test-suite", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ErpStandIn.class)
class BillingCaseTest {

    private static final Instant DELIVERED_AT = Instant.parse("2026-12-02T19:30:00Z");

    private static OrderReleased order(String shipmentId) {
        return new OrderReleased(new Correlation(shipmentId, "ORD-" + shipmentId, null, null, "CUST-ACME", null),
                "LTL_STANDARD", List.of(), List.of(), Instant.parse("2026-11-27T10:00:00Z"));
    }

    private static MilestoneRecorded milestone(String shipmentId, String id, MilestoneType type, ProofOfDelivery pod) {
        return com.logisync.testsupport.Milestones.reported(com.logisync.testsupport.Milestones.correlation(shipmentId,
                "CUST-ACME"), id, type, DELIVERED_AT).pod(pod).build();
    }

    private static ProofOfDelivery pod() {
        return new ProofOfDelivery("J. Doe", DELIVERED_AT, "POD-1", null);
    }

    @Test
    void deliveredWithPodPublishesBillingEligibleOnceInTheMilestonesTrace() {
        String trace = "5bf92f3577b34da6a3ce929d0e0e4736";
        EventPublisher.publish(order("SHP-B1"), null);
        String ceId = EventPublisher.publish(milestone("SHP-B1", "d1", MilestoneType.DELIVERED, pod()),
                "00-" + trace + "-00f067aa0ba902b7-01");
        // The same event delivered again (as after a consumer restart) changes nothing.
        EventPublisher.publish(milestone("SHP-B1", "d1", MilestoneType.DELIVERED, pod()), ceId, null);

        ConsumerRecord<String, String> eligible = KafkaRecords.awaitEvents(Topics.BILLING, "SHP-B1",
                EventType.BILLING_ELIGIBLE.ceType(), 1).get(0);
        assertThat(eligible.value()).contains("\"deliveredAt\":\"2026-12-02T19:30:00Z\"")
                .contains("\"orderId\":\"ORD-SHP-B1\"").contains("\"loadId\":\"LD-SHP-B1\"");
        assertThat(KafkaRecords.header(eligible, "traceparent")).contains(trace);

        given().get("/api/v1/billing-cases/SHP-B1").then().statusCode(200)
                .body("status", equalTo("ELIGIBLE"))
                .body("pod.signedBy", equalTo("J. Doe"))
                .body("checklist.met", equalTo(List.of(true, true, true, true, true)));
        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(KafkaRecords.forShipment(Topics.BILLING, "SHP-B1")).filteredOn(r -> EventType.BILLING_ELIGIBLE.ceType()
                    .equals(KafkaRecords.header(r, "ce_type"))).hasSize(1);
        });
    }

    /**
     * The milestones channel runs two consumers of its group in this process (its concurrency): each holds its own
     * partitions of the topic, and the shipments reported on all of them, whichever consumer applies them, are each
     * made eligible once.
     */
    @Test
    void twoConsumersOfTheMilestonesGroupEachApplyTheirOwnPartitions() {
        java.util.Map<String, java.util.Set<Integer>> held = await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaRecords.assignment("billing-trigger-service.milestones", Topics.MILESTONES),
                a -> a.size() == 2 && a.values().stream().noneMatch(java.util.Set::isEmpty)
                        && a.values().stream().mapToInt(java.util.Set::size).sum()
                        == com.logisync.testsupport.KafkaBroker.PARTITIONS);
        List<String> shipments = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "SHP-TWO-" + i).toList();
        for (String s : shipments) {
            EventPublisher.publish(order(s), null);
            EventPublisher.publish(milestone(s, "two-" + s, MilestoneType.DELIVERED, pod()), null);
        }
        // One read of each topic per check, not one per shipment.
        java.util.Set<Integer> reported = KafkaRecords.snapshot(Topics.MILESTONES).stream()
                .filter(r -> shipments.contains(r.key())).map(ConsumerRecord::partition)
                .collect(java.util.stream.Collectors.toSet());
        assertThat(held.values()).as("each consumer's partitions carry some of the shipments")
                .allSatisfy(p -> assertThat(p).containsAnyElementsOf(reported));
        java.util.function.Supplier<java.util.Map<String, Long>> eligible = () -> KafkaRecords.snapshot(Topics.BILLING)
                .stream().filter(r -> shipments.contains(r.key())
                        && EventType.BILLING_ELIGIBLE.ceType().equals(KafkaRecords.header(r, "ce_type")))
                .peek(com.logisync.testsupport.EventSchemas::assertValid)
                .collect(java.util.stream.Collectors.groupingBy(ConsumerRecord::key,
                        java.util.stream.Collectors.counting()));
        java.util.Map<String, Long> once = new java.util.HashMap<>();
        shipments.forEach(s -> once.put(s, 1L));
        await().atMost(Duration.ofSeconds(30)).until(() -> eligible.get().keySet().containsAll(shipments));
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600),
                () -> assertThat(eligible.get()).isEqualTo(once));
    }

    @Test
    void aDeliveryDeepInABatchStillMakesItsCaseEligible() {
        // 300 reports of one shipment in a burst, the delivery with its POD last: the case is evaluated
        // after the shipment's last event of each batch, wherever it stands. (The test publishes one record
        // at a time, so the consumer's batches stay small here: it did not catch the boxed-index comparison
        // that skipped cases past the 128th event of a batch; that needs a burst polled as one batch.)
        EventPublisher.publish(order("SHP-BURST"), null);
        for (int i = 0; i < 299; i++) {
            EventPublisher.publish(milestone("SHP-BURST", "burst-" + i, MilestoneType.IN_TRANSIT, null), null);
        }
        EventPublisher.publish(milestone("SHP-BURST", "burst-dlv", MilestoneType.DELIVERED, pod()), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-BURST", EventType.BILLING_ELIGIBLE.ceType(), 1);
        given().get("/api/v1/billing-cases/SHP-BURST").then().body("status", equalTo("ELIGIBLE"));
    }

    @jakarta.inject.Inject
    com.logisync.billing.service.BillingCaseService cases;

    private static com.logisync.runtime.messaging.IncomingEvent incoming(com.logisync.contracts.LogiSyncEvent event) {
        return new com.logisync.runtime.messaging.IncomingEvent(java.util.UUID.randomUUID().toString(),
                EventType.of(event), "/logisync/test", Instant.now(), event, null);
    }

    @Test
    void aReportThatChangesNothingBillingHoldsWritesNoRow() throws Throwable {
        EventPublisher.publish(order("SHP-QUIET"), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-QUIET")
                .then().statusCode(200).body("orderId", equalTo("ORD-SHP-QUIET")));
        // The first report tells billing the load id: a change, written.
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                .withTransaction(() -> cases.applyAll(java.util.List.of(
                        incoming(milestone("SHP-QUIET", "quiet-0", MilestoneType.IN_TRANSIT, null))))));
        given().get("/api/v1/billing-cases/SHP-QUIET").then().statusCode(200).body("loadId", equalTo("LD-SHP-QUIET"));
        String select = "select xmin::text || ' ' || updated_at from billing_case where shipment_id = 'SHP-QUIET'";
        Object before = com.logisync.testsupport.PostgresServer.queryValue("logisync", select);
        // One actual report of every type billing takes as inert (it does not evaluate the case again after a batch
        // of them): nothing billing holds changes, so the row is not rewritten, and no stop time or exception is
        // recorded. A type that starts to change a case must leave BillingCaseService.INERT, or this fails.
        java.util.List<com.logisync.runtime.messaging.IncomingEvent> quiet = new java.util.ArrayList<>();
        for (MilestoneType type : new java.util.TreeSet<>(BillingCaseService.INERT)) {
            quiet.add(incoming(milestone("SHP-QUIET", "quiet-" + type, type, null)));
        }
        assertThat(quiet).hasSize(11);
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                .withTransaction(() -> cases.applyAll(quiet)));
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync", select)).isEqualTo(before);
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync", "select (select count(*) from"
                + " billing_stop_event where shipment_id = 'SHP-QUIET') + (select count(*) from billing_exception"
                + " where shipment_id = 'SHP-QUIET')")).isEqualTo(0L);
        // The delivery changes the case: written, and stamped.
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                .withTransaction(() -> cases.applyAll(java.util.List.of(
                        incoming(milestone("SHP-QUIET", "quiet-dlv", MilestoneType.DELIVERED, pod()))))));
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync", select)).isNotEqualTo(before);
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync", "select updated_at > ?::timestamptz"
                + " from billing_case where shipment_id = 'SHP-QUIET'", String.valueOf(before).split(" ", 2)[1])).isEqualTo(true);
        given().get("/api/v1/billing-cases/SHP-QUIET").then().statusCode(200).body("status", equalTo("ELIGIBLE"));
    }

    @Test
    void onlyEventsWhoseRedeliveryWouldChangeSomethingCostALedgerRow() {
        // Every inert type without a POD is recognised by its effect (none): no ledger row; a stop report without a
        // POD by its own row (billing_stop_event, keyed by its id). With a POD, a delivery, an exception, an order or
        // a contract, the ledger tells a redelivery.
        java.util.Set<MilestoneType> stopReports = java.util.EnumSet.of(MilestoneType.ARRIVED_PICKUP,
                MilestoneType.DEPARTED_PICKUP, MilestoneType.ARRIVED_DELIVERY, MilestoneType.DEPARTED_DELIVERY);
        for (MilestoneType type : MilestoneType.values()) {
            boolean inert = BillingCaseService.INERT.contains(type) || stopReports.contains(type);
            assertThat(BillingCaseService.needsLedger(incoming(milestone("SHP-LEDGER", "l-" + type, type, null))))
                    .as(type.name()).isEqualTo(!inert);
            assertThat(BillingCaseService.needsLedger(incoming(milestone("SHP-LEDGER", "lp-" + type, type, pod()))))
                    .as(type + " with a POD").isTrue();
        }
        assertThat(BillingCaseService.needsLedger(incoming(order("SHP-LEDGER")))).isTrue();
    }

    @Test
    void anInTransitReportThatIsTheFirstBillingHearsOfAShipmentGivesTheAgentItsSnapshot() throws Throwable {
        // In-transit reports are not evaluated again (BillingCaseService.INERT), unless they teach the case
        // something: here its customer, so the agent's first snapshot is published.
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                .withTransaction(() -> cases.applyAll(java.util.List.of(
                        incoming(milestone("SHP-FIRST", "first-1", MilestoneType.IN_TRANSIT, null))))));
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-FIRST", EventType.BILLING_CASE_UPDATED.ceType(), 1);
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                "select customer_id || ' v' || case_version from billing_case where shipment_id = 'SHP-FIRST'"))
                .isEqualTo("CUST-ACME v1");
        // The next one teaches it nothing: no evaluation, no second snapshot.
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                .withTransaction(() -> cases.applyAll(java.util.List.of(
                        incoming(milestone("SHP-FIRST", "first-2", MilestoneType.IN_TRANSIT, null))))));
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                "select case_version from billing_case where shipment_id = 'SHP-FIRST'")).isEqualTo(1L);
    }

    @Test
    void aShipmentWhoseLastEventSitsPastThe128thOfABatchIsEvaluated() throws Throwable {
        // The batch the consumer hands over, applied directly (a test cannot make Kafka poll 151 records
        // as one batch for sure): 150 reports of ten other shipments, then SHP-DEEP's delivery at index
        // 150. Comparing the boxed index of a shipment's last event by identity skipped every case whose
        // last event sat past the 128th (Integer caches -128..127): SHP-DEEP stayed OPEN.
        EventPublisher.publish(order("SHP-DEEP"), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-DEEP")
                .then().statusCode(200).body("orderId", equalTo("ORD-SHP-DEEP")));
        java.util.List<com.logisync.runtime.messaging.IncomingEvent> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            batch.add(incoming(milestone("SHP-DEEP-F" + (i % 10), "deep-" + i, MilestoneType.IN_TRANSIT, null)));
        }
        batch.add(incoming(milestone("SHP-DEEP", "deep-dlv", MilestoneType.DELIVERED, pod())));
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                .withTransaction(() -> cases.applyAll(batch)));

        given().get("/api/v1/billing-cases/SHP-DEEP").then().statusCode(200).body("status", equalTo("ELIGIBLE"));
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-DEEP", EventType.BILLING_ELIGIBLE.ceType(), 1);
    }

    @Test
    void deliveredWithoutPodWaitsAndAPodArrivingLaterCompletesIt() {
        EventPublisher.publish(milestone("SHP-B2", "d2", MilestoneType.DELIVERED, null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-B2")
                .then().statusCode(200)
                .body("status", equalTo("OPEN"))
                .body("checklist[1].met", equalTo(false))
                .body("checklist[1].detail", equalTo("awaiting POD (signed by and signed at)")));

        EventPublisher.publish(milestone("SHP-B2", "p2", MilestoneType.POD_RECEIVED, pod()), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-B2", EventType.BILLING_ELIGIBLE.ceType(), 1);
        given().get("/api/v1/billing-cases/SHP-B2").then().body("status", equalTo("ELIGIBLE"));
    }

    @Test
    void milestoneBeforeOrderGivesTheSameCase() {
        EventPublisher.publish(milestone("SHP-B3", "d3", MilestoneType.DELIVERED, pod()), null);
        EventPublisher.publish(order("SHP-B3"), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-B3", EventType.BILLING_ELIGIBLE.ceType(), 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-B3")
                .then().body("orderId", equalTo("ORD-SHP-B3")).body("customerId", equalTo("CUST-ACME")));
    }

    @Test
    void aCancelledOrderIsNeverBilledWhateverArrivesAfterwards() {
        EventPublisher.publish(order("SHP-B4"), null);
        EventPublisher.publish(new com.logisync.contracts.event.OrderCancelled(
                new Correlation("SHP-B4", "ORD-SHP-B4", null, null, "CUST-ACME", null), "PO withdrawn",
                Instant.parse("2026-11-27T11:00:00Z")), null);
        // Orders and milestones come on different topics: the delivery is published once the cancellation is in
        // (a delivery consumed first bills the shipment, by design: BillingCaseService#applyOne).
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-B4")
                .then().statusCode(200).body("status", equalTo("CANCELLED")));
        // A (wrong) delivery report for the cancelled shipment must not make it billable.
        EventPublisher.publish(milestone("SHP-B4", "d4", MilestoneType.DELIVERED, pod()), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-B4")
                .then().statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("checklist[0].met", equalTo(true))
                .body("checklist[1].met", equalTo(true))
                .body("checklist[4].rule", equalTo("NOT_CANCELLED"))
                .body("checklist[4].met", equalTo(false)));
        // Everything this service wrote is on Kafka; nothing more arrives for 600 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(600), () -> {
            assertThat(KafkaRecords.forShipment(Topics.BILLING, "SHP-B4"))
                    .filteredOn(r -> !EventType.BILLING_CASE_UPDATED.ceType().equals(KafkaRecords.header(r, "ce_type")))
                    .isEmpty();
        });
        // The agent still sees why: the last snapshot says NOT_CANCELLED is not met.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(KafkaRecords.forShipment(Topics.BILLING,
                "SHP-B4").stream().reduce((first, second) -> second).orElseThrow().value())
                .contains("\"rule\":\"NOT_CANCELLED\",\"met\":false").contains("\"eligible\":false"));
    }

    @Test
    void aCancellationThatRacedTheDeliveryNeverStrandsADeliveredShipment() {
        // order-sync's pickup guard read a lagging consumer and let a cancellation through after delivery.
        EventPublisher.publish(order("SHP-CXL1"), null);
        EventPublisher.publish(milestone("SHP-CXL1", "dcxl1", MilestoneType.DELIVERED, pod()), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-CXL1", EventType.BILLING_ELIGIBLE.ceType(), 1);
        EventPublisher.publish(new com.logisync.contracts.event.OrderCancelled(
                new Correlation("SHP-CXL1", "ORD-SHP-CXL1", null, null, "CUST-ACME", null), "PO withdrawn",
                Instant.parse("2026-12-03T11:00:00Z")), null);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .get("/api/v1/billing-cases/SHP-CXL1").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.not(equalTo("CANCELLED")))
                .body("checklist.find { it.rule == 'NOT_CANCELLED' }.met", equalTo(true)));
    }

    @Test
    void aCancellationTheTmsUndidIsBilledAsUsual() {
        EventPublisher.publish(order("SHP-CXL2"), null);
        EventPublisher.publish(new com.logisync.contracts.event.OrderCancelled(
                new Correlation("SHP-CXL2", "ORD-SHP-CXL2", null, null, "CUST-ACME", null), "PO withdrawn",
                Instant.parse("2026-12-01T11:00:00Z")), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-CXL2")
                .then().statusCode(200).body("status", equalTo("CANCELLED")));
        // The TMS refused it: already picked up. The delivery then makes the case billable.
        EventPublisher.publish(new com.logisync.contracts.event.OrderCancellationReverted(
                new Correlation("SHP-CXL2", "ORD-SHP-CXL2", null, null, "CUST-ACME", null),
                "load LD-SHP-CXL2 is already picked up", Instant.parse("2026-12-01T11:00:05Z")), null);
        EventPublisher.publish(milestone("SHP-CXL2", "dcxl2", MilestoneType.DELIVERED, pod()), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-CXL2", EventType.BILLING_ELIGIBLE.ceType(), 1);
        given().get("/api/v1/billing-cases/SHP-CXL2").then()
                .body("checklist.find { it.rule == 'NOT_CANCELLED' }.met", equalTo(true));
    }

    private static com.logisync.contracts.event.MilestoneCorrected correction(String shipmentId, String id,
            com.logisync.contracts.event.MilestoneCorrected.Action action, ProofOfDelivery pod) {
        return new com.logisync.contracts.event.MilestoneCorrected(new Correlation(shipmentId, "ORD-" + shipmentId,
                "LD-" + shipmentId, null, "CUST-ACME", null), "REST_API:SWIFT:" + id + "#1", "REST_API:SWIFT:" + id,
                MilestoneType.DELIVERED, action, "reported for the wrong load", "ops-desk", null, pod,
                DELIVERED_AT.plusSeconds(600), null, null);
    }

    @Test
    void anUnverifiedPodNeverMakesACaseEligible() {
        EventPublisher.publish(order("SHP-B5"), null);
        EventPublisher.publish(milestone("SHP-B5", "d5", MilestoneType.DELIVERED, new ProofOfDelivery("Somebody",
                DELIVERED_AT, null, null, false, "reported by partner ROGUE, but the load is dispatched to carrier Swift")),
                null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-B5")
                .then().statusCode(200)
                .body("status", equalTo("OPEN"))
                .body("checklist[0].met", equalTo(true))
                .body("checklist[1].rule", equalTo("POD_RECEIVED"))
                .body("checklist[1].met", equalTo(false)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> KafkaRecords.forShipment(
                Topics.BILLING, "SHP-B5").stream().noneMatch(r -> EventType.BILLING_ELIGIBLE.ceType()
                .equals(KafkaRecords.header(r, "ce_type"))));
    }

    @Test
    void aVoidedDeliveryMakesANotYetInvoicedCaseIneligibleAgain() {
        EventPublisher.publish(order("SHP-B6"), null);
        EventPublisher.publish(milestone("SHP-B6", "d6", MilestoneType.DELIVERED, pod()), null);
        // Voided right after: before the invoice hold (2 s in the tests) has passed.
        EventPublisher.publish(correction("SHP-B6", "d6", com.logisync.contracts.event.MilestoneCorrected.Action.VOID,
                null), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-B6", EventType.BILLING_ELIGIBLE.ceType(), 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-B6")
                .then().statusCode(200)
                .body("status", equalTo("OPEN"))
                .body("checklist[0].rule", equalTo("DELIVERED"))
                .body("checklist[0].met", equalTo(false))
                .body("checklist[1].met", equalTo(false))
                .body("pod", org.hamcrest.Matchers.nullValue()));
        // Well past the hold: nothing is asked of ERP for it.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> KafkaRecords.forShipment(
                Topics.BILLING, "SHP-B6").stream().noneMatch(r -> EventType.INVOICE_REQUESTED.ceType()
                .equals(KafkaRecords.header(r, "ce_type"))));
    }

    @Test
    void aPodAnOpsUserRecordsCompletesADeliveryThatHadNone() {
        EventPublisher.publish(order("SHP-B7"), null);
        EventPublisher.publish(milestone("SHP-B7", "d7", MilestoneType.DELIVERED, null), null);
        EventPublisher.publish(correction("SHP-B7", "d7", com.logisync.contracts.event.MilestoneCorrected.Action.RECORD_POD,
                new ProofOfDelivery("J. Doe", DELIVERED_AT, "SCAN-7", null, true, null)), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-B7", EventType.BILLING_ELIGIBLE.ceType(), 1);
        given().get("/api/v1/billing-cases/SHP-B7").then().body("pod.signedBy", equalTo("J. Doe"));
    }

    @Test
    void aTrustedUnsignedDeliveryIsBillableWhereTheContractLetsThePodDocumentFollow() {
        Correlation corr = new Correlation("SHP-B8", "ORD-SHP-B8", "LD-SHP-B8", null, "CUST-EDI", null);
        EventPublisher.publish(new OrderReleased(corr, "LTL_STANDARD", List.of(), List.of(),
                Instant.parse("2026-11-27T10:00:00Z")), null);
        // An EDI D1 from the dispatched carrier, without a signer: the delivery is verified, the POD to follow.
        EventPublisher.publish(com.logisync.testsupport.Milestones.reported(corr, "d8", MilestoneType.DELIVERED, DELIVERED_AT)
                .source(SourceSystem.X12_214, "SWIFT", "D1").receivedAfterSeconds(0)
                .pod(new ProofOfDelivery(null, null, null, null, true, null)).build(), null);
        // The contract comes last (master data travels on its own topic): the waiting case is looked at again.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/api/v1/billing-cases/SHP-B8").then().statusCode(200).body("status", equalTo("OPEN"))
                .body("deliveredAt", org.hamcrest.Matchers.notNullValue()));
        EventPublisher.publish(new com.logisync.contracts.event.ContractUpdated(new com.logisync.contracts.masterdata.Contract(
                "CTR-EDI-1", "CUST-EDI", java.time.LocalDate.parse("2026-01-01"), null, List.of(), java.util.Map.of(), 120,
                null, null, false, 1, null, true)), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-B8", EventType.BILLING_ELIGIBLE.ceType(), 1);
        given().get("/api/v1/billing-cases/SHP-B8").then()
                .body("checklist[1].detail", equalTo("delivered unsigned by the dispatched carrier; the contract lets the"
                        + " POD document follow"));
        // Without that contract term (CUST-ACME's), the same unsigned delivery waits for its POD.
        EventPublisher.publish(order("SHP-B9"), null);
        EventPublisher.publish(com.logisync.testsupport.Milestones.reported(com.logisync.testsupport.Milestones.correlation("SHP-B9", "CUST-ACME"), "d9", MilestoneType.DELIVERED,
                DELIVERED_AT).source(SourceSystem.X12_214, "SWIFT", "D1").receivedAfterSeconds(0)
                .pod(new ProofOfDelivery(null, null, null, null, true, null)).build(), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-B9")
                .then().statusCode(200).body("status", equalTo("OPEN")).body("checklist[1].met", equalTo(false)));
    }

    @Test
    void anUnsignedDeliveryProvenWhenItsDispatchArrivedIsBillableWhereThePodDocumentMayFollow() {
        Correlation corr = new Correlation("SHP-B8U", "ORD-SHP-B8U", "LD-SHP-B8U", null, "CUST-EDI2", null);
        EventPublisher.publish(new com.logisync.contracts.event.ContractUpdated(new com.logisync.contracts.masterdata.Contract(
                "CTR-EDI-2", "CUST-EDI2", java.time.LocalDate.parse("2026-01-01"), null, List.of(), java.util.Map.of(), 120,
                null, null, false, 1, null, true)), null);
        EventPublisher.publish(new OrderReleased(corr, "LTL_STANDARD", List.of(), List.of(),
                Instant.parse("2026-11-27T10:00:00Z")), null);
        // The carrier's unsigned delivery reached milestone-service before the dispatch that names the carrier.
        MilestoneRecorded delivered = com.logisync.testsupport.Milestones.reported(corr, "d8u", MilestoneType.DELIVERED,
                DELIVERED_AT).source(SourceSystem.X12_214, "SWIFT", "D1").receivedAfterSeconds(0)
                .pod(new ProofOfDelivery(null, null, null, null, false,
                        "reported by partner SWIFT before the TMS named the load's carrier")).build();
        EventPublisher.publish(delivered, null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-B8U")
                .then().statusCode(200).body("status", equalTo("OPEN"))
                .body("deliveredAt", org.hamcrest.Matchers.notNullValue()).body("checklist[1].met", equalTo(false)));

        // The dispatch named the carrier: milestone-service proves the delivery after the fact, its verdict alone.
        EventPublisher.publish(new com.logisync.contracts.event.MilestoneCorrected(corr, delivered.eventId() + "#1",
                delivered.eventId(), MilestoneType.DELIVERED, com.logisync.contracts.event.MilestoneCorrected.Action.RECORD_POD,
                "the TMS dispatched the load to carrier Swift Haulage, for which partner SWIFT reports: its delivery"
                        + " report counts, its POD may follow", "milestone-service", null,
                new ProofOfDelivery(null, null, null, null, true, null), Instant.now(), MilestoneType.DELIVERED,
                DELIVERED_AT), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-B8U", EventType.BILLING_ELIGIBLE.ceType(), 1);
        given().get("/api/v1/billing-cases/SHP-B8U").then()
                .body("checklist[1].detail", equalTo("delivered unsigned by the dispatched carrier; the contract lets the"
                        + " POD document follow"));
    }

    @Test
    void theWorklistShowsWhatEachCaseWaitsForPagedWithoutSkippingOrRepeating() {
        EventPublisher.publish(order("SHP-WL1"), null);
        EventPublisher.publish(milestone("SHP-WL1", "wl1", MilestoneType.DELIVERED, null), null);
        EventPublisher.publish(order("SHP-WL2"), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases?waitingFor=POD&limit=500")
                .then().statusCode(200)
                .body("items.find { it.shipmentId == 'SHP-WL1' }.waitingFor", equalTo(List.of("POD")))
                .body("items.find { it.shipmentId == 'SHP-WL1' }.status", equalTo("OPEN"))
                .body("items.shipmentId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("SHP-WL2"))));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases?status=OPEN&limit=500")
                .then().body("items.shipmentId", org.hamcrest.Matchers.hasItems("SHP-WL1", "SHP-WL2")));
        // Page by page, one case a page: every OPEN case once, in order.
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            io.restassured.response.Response page = given().queryParam("status", "OPEN").queryParam("limit", 1)
                    .queryParams(cursor == null ? java.util.Map.of() : java.util.Map.of("cursor", cursor))
                    .get("/api/v1/billing-cases");
            page.then().statusCode(200);
            seen.addAll(page.jsonPath().getList("items.shipmentId", String.class));
            cursor = page.jsonPath().getString("nextCursor");
        } while (cursor != null);
        assertThat(seen).contains("SHP-WL1", "SHP-WL2").doesNotHaveDuplicates().isSorted();
        given().get("/api/v1/billing-cases?waitingFor=NOTHING").then().statusCode(400)
                .body("errors[0].field", equalTo("waitingFor"));
        given().get("/api/v1/billing-cases?limit=0").then().statusCode(400);
    }

    @Test
    void aMultiDropShipmentIsBillableWhenItsLastDropIsDeliveredNotAtTheFirst() {
        com.logisync.contracts.model.Address dallas = new com.logisync.contracts.model.Address("100 Commerce St", "Dallas",
                "TX", "75201", "US");
        com.logisync.contracts.model.TimeWindow window = new com.logisync.contracts.model.TimeWindow(
                DELIVERED_AT.minusSeconds(7200), DELIVERED_AT);
        Correlation corr = new Correlation("SHP-MD1", "ORD-SHP-MD1", "LD-SHP-MD1", null, "CUST-ACME", null);
        EventPublisher.publish(new OrderReleased(corr, "LTL_STANDARD", List.of(), List.of(
                new com.logisync.contracts.model.Stop(1, com.logisync.contracts.model.StopType.PICKUP, "DC", null, dallas,
                        "America/Chicago", window),
                new com.logisync.contracts.model.Stop(2, com.logisync.contracts.model.StopType.DELIVERY, "Store 17", null,
                        dallas, "America/Chicago", window),
                new com.logisync.contracts.model.Stop(3, com.logisync.contracts.model.StopType.DELIVERY, "Store 18", null,
                        dallas, "America/Chicago", window)), Instant.parse("2026-11-27T10:00:00Z")), null);
        EventPublisher.publish(com.logisync.testsupport.Milestones.reported(corr, "md-2", MilestoneType.DELIVERED, DELIVERED_AT.minusSeconds(3600))
                .receivedAfterSeconds(3600).location(new Location("Store 17", null, null, null, null, 2,
                        com.logisync.contracts.model.StopType.DELIVERY)).pod(pod()).build(), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-MD1").then()
                .statusCode(200).body("status", equalTo("OPEN"))
                .body("checklist[0].met", equalTo(false))
                .body("checklist[0].detail", org.hamcrest.Matchers.endsWith("awaiting delivery at stop(s) [3]")));
        EventPublisher.publish(com.logisync.testsupport.Milestones.reported(corr, "md-3", MilestoneType.DELIVERED, DELIVERED_AT).receivedAfterSeconds(0)
                .location(new Location("Store 18", null, null, null, null, 3,
                        com.logisync.contracts.model.StopType.DELIVERY)).pod(pod()).build(), null);
        KafkaRecords.awaitEvents(Topics.BILLING, "SHP-MD1", EventType.BILLING_ELIGIBLE.ceType(), 1);
        given().get("/api/v1/billing-cases/SHP-MD1").then().body("checklist[0].met", equalTo(true));
    }

    @Test
    void unknownCaseIsA404Problem() {
        given().get("/api/v1/billing-cases/SHP-NONE").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("Billing case SHP-NONE does not exist"));
    }
}
