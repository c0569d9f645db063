package com.logisync.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.billing.service.InvoiceWorker;
import com.logisync.contracts.EventType;
import com.logisync.contracts.LogiSyncEvent;
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
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.runtime.vertx.SafeContext;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.HttpStandIn;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import com.logisync.testsupport.JwtTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * From billing-eligible to ERP's invoice, exactly once: the rating frozen under one idempotency key,
 * ERP outages, lost answers, hard rejections and concurrent workers, asserted on what the ERP
 * stand-in received.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "test-suite", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ErpStandIn.class)
class InvoicingTest {

    /** Reads amounts as written, scale included (1450.00 stays 1450.00). */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true)).build();
    /** Week 2026-W50 (the other billing tests use W49). */
    private static final Instant DELIVERED_AT = Instant.parse("2026-12-09T19:30:00Z");
    private static final String CUSTOMER = "CUST-INV";

    @Inject
    InvoiceWorker worker;
    @Inject
    Vertx vertx;

    @BeforeEach
    void contractAndDieselIndex() {
        // Linehaul 1450.00 with a 7.5 % discount; FSC 18.5 % between 3.50 and 4.00 a gallon.
        ContractSeed.seed(new Contract("CTR-INV-2026", CUSTOMER, LocalDate.parse("2026-01-01"),
                null, List.of(new Contract.Lane("US-TX", "US", new BigDecimal("1450.00"), "USD", List.of("LTL_STANDARD"),
                        60, new BigDecimal("20000"))),
                Map.of("DET", new BigDecimal("85.00"), "LFT", new BigDecimal("75.00")), 120, new BigDecimal("340.00"),
                new Contract.FuelSurchargeTable("FSC-2026-1", List.of(new Contract.FuelSurchargeTable.Band(
                        new BigDecimal("3.500"), new BigDecimal("4.000"), new BigDecimal("18.5")))), false, 1,
                new BigDecimal("7.5")));
        given().contentType(ContentType.JSON).body("{\"pricePerGallon\": 3.612, \"source\": \"EIA weekly\"}")
                .put("/api/v1/fuel-index/2026-W50").then().statusCode(200);
    }

    // ------------------------------------------------------------------ the events of one shipment

    private static Correlation corr(String shipmentId) {
        return com.logisync.testsupport.Milestones.correlation(shipmentId, CUSTOMER);
    }

    private static OrderReleased order(String shipmentId) {
        TimeWindow window = new TimeWindow(DELIVERED_AT.minusSeconds(3600), DELIVERED_AT);
        return new OrderReleased(corr(shipmentId), "LTL_STANDARD", List.of(), List.of(
                new Stop(1, StopType.PICKUP, "Acme DC", null, new Address("100 Commerce St", "Dallas", "TX", "75201", "US"),
                        "America/Chicago", window),
                new Stop(2, StopType.DELIVERY, "Store 17", null, new Address("9 Main St", "Houston", "TX", "77002", "US"),
                        "America/Chicago", new TimeWindow(DELIVERED_AT.minusSeconds(181 * 60), DELIVERED_AT))),
                Instant.parse("2026-12-07T10:00:00Z"));
    }

    private static MilestoneRecorded milestoneAt(String shipmentId, String id, MilestoneType type, Instant at) {
        return com.logisync.testsupport.Milestones.reported(corr(shipmentId), id, type, at).build();
    }

    private static MilestoneRecorded milestone(String shipmentId, String id, MilestoneType type, ProofOfDelivery pod) {
        return com.logisync.testsupport.Milestones.reported(corr(shipmentId), id, type, DELIVERED_AT).pod(pod).build();
    }

    /**
     * Delivered (no POD yet), the POD on its own, a liftgate, and the arrival at the 16:29 appointment and
     * the departure at 19:30 at the delivery stop: 181 minutes, 61 of detention beyond the 120 free.
     */
    private static List<LogiSyncEvent> events(String shipmentId) {
        ProofOfDelivery pod = new ProofOfDelivery("J. Doe", DELIVERED_AT.plusSeconds(60), "POD-" + shipmentId, null);
        return List.of(order(shipmentId),
                milestone(shipmentId, "dlv-" + shipmentId, MilestoneType.DELIVERED, null),
                milestone(shipmentId, "pod-" + shipmentId, MilestoneType.POD_RECEIVED, pod),
                new AccessorialCaptured("DRIVER_APP:TRK-1:lft-" + shipmentId, corr(shipmentId), "LFT", BigDecimal.ONE,
                        "EACH", StopType.DELIVERY, null, null, "liftgate used", null,
                        new Source(SourceSystem.TELEMATICS, "TRK-1", "lft-" + shipmentId, "LFT"),
                        DELIVERED_AT.minusSeconds(600)),
                milestoneAt(shipmentId, "arr-" + shipmentId, MilestoneType.ARRIVED_DELIVERY,
                        DELIVERED_AT.minusSeconds(181 * 60)),
                milestoneAt(shipmentId, "dep-" + shipmentId, MilestoneType.DEPARTED_DELIVERY, DELIVERED_AT));
    }

    private static String deliverAll(String shipmentId) {
        String deliveredCe = null;
        for (LogiSyncEvent e : events(shipmentId)) {
            String ce = EventPublisher.publish(e, null);
            if (e instanceof MilestoneRecorded m && m.milestone() == MilestoneType.DELIVERED) {
                deliveredCe = ce;
            }
        }
        return deliveredCe;
    }

    private static ConsumerRecord<String, String> awaitInvoiceIssued(String shipmentId) {
        return KafkaRecords.awaitEvents(Topics.BILLING, shipmentId, EventType.INVOICE_ISSUED.ceType(), 1).get(0);
    }

    private static List<ConsumerRecord<String, String>> billingEvents(String shipmentId, EventType type) {
        return KafkaRecords.forShipment(Topics.BILLING, shipmentId).stream()
                .filter(r -> type.ceType().equals(KafkaRecords.header(r, "ce_type"))).toList();
    }

    private static JsonNode body(HttpStandIn.Received r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aContractRenewedWhileTheShipmentIsInFlightLeavesItsPriceAlone() throws Exception {
        String customer = "CUST-RENEW";
        Contract.FuelSurchargeTable fuel = new Contract.FuelSurchargeTable("FSC-R", List.of(new Contract.FuelSurchargeTable.Band(
                new BigDecimal("3.000"), new BigDecimal("4.000"), new BigDecimal("18.5"))));
        // Through 2027: country-wide LTL 1,000, Texas expedited 1,500, Texas LTL 700.
        EventPublisher.publish(new ContractUpdated(new Contract("CTR-RNW", customer, LocalDate.parse("2026-01-01"),
                LocalDate.parse("2027-12-31"), List.of(
                        new Contract.Lane("US", "US", new BigDecimal("1000.00"), "USD", List.of("LTL_STANDARD"), 60, new BigDecimal("20000")),
                        new Contract.Lane("US-TX", "US-TX", new BigDecimal("1500.00"), "USD", List.of("EXPEDITED"), 60, new BigDecimal("20000")),
                        new Contract.Lane("US-TX", "US-TX", new BigDecimal("700.00"), "USD", List.of("LTL_STANDARD"), 60, new BigDecimal("20000"))),
                Map.of(), 120, null, fuel, false, 1)), null);
        Correlation corr = new Correlation("SHP-I9", "ORD-SHP-I9", "LD-SHP-I9", null, customer, List.of(
                new com.logisync.contracts.model.ExternalReference(com.logisync.contracts.model.ReferenceType.PO, "PO-41"),
                new com.logisync.contracts.model.ExternalReference(com.logisync.contracts.model.ReferenceType.PO, "PO-42"),
                new com.logisync.contracts.model.ExternalReference(com.logisync.contracts.model.ReferenceType.BOL, "BOL-I9")));
        OrderReleased released = order("SHP-I9");
        // Order release decided the terms: CTR-RNW version 1, its Texas LTL lane.
        EventPublisher.publish(new OrderReleased(corr, "LTL_STANDARD", List.of(), released.stops(), released.releasedAt(),
                new com.logisync.contracts.model.ContractTerms("CTR-RNW", 1, "US-TX", "US-TX", "LTL_STANDARD")), null);
        // Then ERP sends a new version of that contract and the customer's next contract (from June 2027, 2,000).
        EventPublisher.publish(new ContractUpdated(new Contract("CTR-RNW", customer, LocalDate.parse("2026-01-01"),
                LocalDate.parse("2027-12-31"), List.of(new Contract.Lane("US-TX", "US-TX", new BigDecimal("900.00"), "USD",
                        List.of("LTL_STANDARD"), 60, new BigDecimal("20000"))), Map.of(), 120, null, fuel, false, 2)), null);
        EventPublisher.publish(new ContractUpdated(new Contract("CTR-RNW-2027", customer, LocalDate.parse("2027-06-01"), null,
                List.of(new Contract.Lane("US", "US", new BigDecimal("2000.00"), "USD", List.of("LTL_STANDARD"), 60,
                        new BigDecimal("20000"))), Map.of(), 120, null, fuel, false, 1)), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> Long.valueOf(3).equals(PostgresServer.queryValue("logisync",
                "select count(*) from billing_contract_version where customer_id = ?", customer)));
        // The carrier's PRO comes with its delivery report.
        Correlation withPro = new Correlation("SHP-I9", "ORD-SHP-I9", "LD-SHP-I9", null, customer, List.of(
                new com.logisync.contracts.model.ExternalReference(com.logisync.contracts.model.ReferenceType.PRO, "PRO-77")));
        EventPublisher.publish(com.logisync.testsupport.Milestones.reported(withPro, "dlv-SHP-I9", MilestoneType.DELIVERED,
                DELIVERED_AT).pod(new ProofOfDelivery("J. Doe", DELIVERED_AT, "POD-I9", null)).build(), null);

        awaitInvoiceIssued("SHP-I9");
        JsonNode request = body(ErpStandIn.requestsFor("SHP-I9").get(0));
        assertThat(request.path("contractId").asText()).isEqualTo("CTR-RNW");
        assertThat(request.path("contractVersion").asLong()).isEqualTo(1);
        List<String> lines = new ArrayList<>();
        request.path("lines").forEach(l -> lines.add(l.path("code").asText() + " " + l.path("amount").decimalValue()));
        // 700.00 + 18.5 % (diesel 3.612 in 2026-W50) = 829.50, not 2,000.00 + 370.00 = 2,370.00.
        assertThat(lines).containsExactly("LHS 700.00", "FSC 129.50");
        assertThat(request.path("total").decimalValue()).isEqualByComparingTo("829.50");
        // What ERP and the shipper match the invoice with: order, POs, BOL, PRO, contract and version,
        // and per line its currency and how its rate reads.
        assertThat(request.path("orderId").asText()).isEqualTo("ORD-SHP-I9");
        assertThat(request.path("references").path("poNumbers").toString()).isEqualTo("[\"PO-41\",\"PO-42\"]");
        assertThat(request.path("references").path("bol").asText()).isEqualTo("BOL-I9");
        assertThat(request.path("references").path("pro").asText()).isEqualTo("PRO-77");
        List<String> qualified = new ArrayList<>();
        request.path("lines").forEach(l -> qualified.add(l.path("code").asText() + " " + l.path("currency").asText() + " "
                + l.path("rateQualifier").asText()));
        assertThat(qualified).containsExactly("LHS USD PER_UNIT", "FSC USD PERCENT_OF_LINEHAUL");
    }

    @Test
    void anEligibleShipmentIsInvoicedOnceWithItsRatingToTheCentInTheShipmentsTrace() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        List<LogiSyncEvent> events = events("SHP-I1");
        for (LogiSyncEvent e : events) {
            // One shipment, one trace (milestone-service carries the order's trace onto its milestones).
            EventPublisher.publish(e, "00-" + trace + "-00f067aa0ba902b7-01");
        }

        ConsumerRecord<String, String> issued = awaitInvoiceIssued("SHP-I1");
        List<HttpStandIn.Received> requests = ErpStandIn.requestsFor("SHP-I1");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).header("Idempotency-Key")).isEqualTo("SHP-I1:rating-1");
        JsonNode request = body(requests.get(0));
        assertThat(request.path("contractId").asText()).isEqualTo("CTR-INV-2026");
        assertThat(request.path("currency").asText()).isEqualTo("USD");
        assertThat(request.path("pod").path("signedBy").asText()).isEqualTo("J. Doe");
        List<String> lines = new ArrayList<>();
        request.path("lines").forEach(l -> lines.add(l.path("code").asText() + " " + l.path("amount").decimalValue()));
        // 1450.00 − 7.5 % = 1341.25; FSC 18.5 % of it = 248.13125 → 248.13; 61 min of detention = 2 started hours.
        assertThat(lines).containsExactly("LHS 1450.00", "DSC -108.75", "FSC 248.13", "LFT 75.00", "DTU 170.00");
        assertThat(request.path("total").decimalValue()).isEqualByComparingTo("1834.38");

        JsonNode event = JSON.readTree(issued.value());
        String invoiceId = event.path("invoiceId").asText();
        assertThat(invoiceId).startsWith("INV-");
        assertThat(event.path("correlation").path("invoiceId").asText()).isEqualTo(invoiceId);
        assertThat(event.path("idempotencyKey").asText()).isEqualTo("SHP-I1:rating-1");
        assertThat(event.path("total").decimalValue()).isEqualByComparingTo("1834.38");
        // The invoice continues the shipment's trace.
        assertThat(KafkaRecords.header(issued, "traceparent")).contains(trace);

        given().get("/api/v1/billing-cases/SHP-I1").then().statusCode(200)
                .body("status", equalTo("INVOICED"))
                .body("invoice.invoiceId", equalTo(invoiceId))
                .body("invoice.idempotencyKey", equalTo("SHP-I1:rating-1"))
                .body("invoice.total", equalTo(1834.38f))
                .body("invoice.attempts", equalTo(1));
        // The rating shown from now on is the one billed.
        given().get("/api/v1/billing-cases/SHP-I1/rating").then().statusCode(200).body("total", equalTo(1834.38f));

        // Everything again, as after a consumer restart: nothing more is asked of ERP.
        for (LogiSyncEvent e : events) {
            EventPublisher.publish(e, null);
        }
        // Everything this service wrote is on Kafka; nothing more arrives for 3000 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(3000), () -> {
            assertThat(ErpStandIn.requestsFor("SHP-I1")).hasSize(1);
            assertThat(billingEvents("SHP-I1", EventType.INVOICE_ISSUED)).hasSize(1);
            assertThat(billingEvents("SHP-I1", EventType.BILLING_ELIGIBLE)).hasSize(1);
        });

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("logisync_billing_eligible_to_invoiced_seconds_count(\\{[^}]*\\})? [1-9]")
                .containsPattern("logisync_billing_delivered_to_eligible_seconds_bucket\\{[^}]*le=\"\\+Inf\"");
    }

    @Test
    void everyOrderOfTheSameEventsEachDeliveredTwiceGivesOneIdenticalInvoice() throws Exception {
        List<List<Integer>> orders = new ArrayList<>(List.of(
                List.of(0, 1, 2, 3, 4, 5),
                List.of(5, 4, 3, 2, 1, 0),   // the departure before the arrival, accessorials first, the order last
                List.of(2, 0, 3, 1, 5, 4),   // POD before DELIVERED, an accessorial after the POD
                List.of(1, 2, 0, 4, 5, 3)));
        List<Integer> shuffled = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
        Collections.shuffle(shuffled, new Random(42));
        orders.add(shuffled);

        List<String> shipments = new ArrayList<>();
        for (int p = 0; p < orders.size(); p++) {
            String shipmentId = "SHP-PERM-" + p;
            shipments.add(shipmentId);
            List<LogiSyncEvent> events = events(shipmentId);
            for (int i : orders.get(p)) {
                // Each event twice: redelivered with its id, and published again as a new copy.
                String ce = EventPublisher.publish(events.get(i), null);
                EventPublisher.publish(events.get(i), ce, null);
            }
        }

        List<String> invoices = new ArrayList<>();
        for (String shipmentId : shipments) {
            JsonNode event = JSON.readTree(awaitInvoiceIssued(shipmentId).value());
            assertThat(event.path("total").decimalValue()).as(shipmentId).isEqualByComparingTo("1834.38");
            List<HttpStandIn.Received> requests = ErpStandIn.requestsFor(shipmentId);
            assertThat(requests).as(shipmentId).hasSize(1);
            assertThat(requests.get(0).header("Idempotency-Key")).isEqualTo(shipmentId + ":rating-1");
            // The invoice as ERP received it, with the shipment's own ids taken out.
            invoices.add(requests.get(0).body().replace(shipmentId, "SHP"));
        }
        assertThat(invoices).hasSize(5).allSatisfy(i -> assertThat(i).isEqualTo(invoices.get(0)));
        assertThat(invoices.get(0)).contains("\"total\":1834.38").contains("\"code\":\"DTU\"");
        // Everything this service wrote is on Kafka; nothing more arrives for 1000 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(1000), () -> {
            for (String shipmentId : shipments) {
                assertThat(billingEvents(shipmentId, EventType.INVOICE_ISSUED)).as(shipmentId).hasSize(1);
                assertThat(ErpStandIn.invoicesIssuedFor(shipmentId)).as(shipmentId).isEqualTo(1);
            }
        });
    }

    @Test
    void anErpOutageIsRiddenOutWithTheSameKeyAndYieldsExactlyOneInvoice() {
        // Five 503s: the first attempt's quick retries all fail, the durable retry gets through.
        ErpStandIn.failNext("SHP-I3", 503, 5);
        deliverAll("SHP-I3");
        awaitInvoiceIssued("SHP-I3");

        List<HttpStandIn.Received> requests = ErpStandIn.requestsFor("SHP-I3");
        assertThat(requests).hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isEqualTo("SHP-I3:rating-1"))
                .allSatisfy(r -> assertThat(r.body()).isEqualTo(requests.get(0).body()));
        assertThat(ErpStandIn.invoicesIssuedFor("SHP-I3")).isEqualTo(1);
        given().get("/api/v1/billing-cases/SHP-I3").then().statusCode(200)
                .body("status", equalTo("INVOICED"))
                .body("invoice.lastError", equalTo(null));
        assertThat(given().get("/api/v1/billing-cases/SHP-I3").then().extract().<Integer>path("invoice.attempts"))
                .isGreaterThan(1);
    }

    @Test
    void anAnswerLostAfterErpIssuedTheInvoiceIsRecoveredByAskingAgainWithTheSameKey() throws Exception {
        // As if the service died during the call: ERP issued the invoice, we never heard of it.
        ErpStandIn.loseAnswers("SHP-I6", 4);
        deliverAll("SHP-I6");
        JsonNode event = JSON.readTree(awaitInvoiceIssued("SHP-I6").value());

        assertThat(ErpStandIn.requestsFor("SHP-I6")).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isEqualTo("SHP-I6:rating-1"));
        assertThat(ErpStandIn.invoicesIssuedFor("SHP-I6")).isEqualTo(1);
        given().get("/api/v1/billing-cases/SHP-I6").then()
                .body("invoice.invoiceId", equalTo(event.path("invoiceId").asText()));
    }

    @Test
    void hardRejectionsEndInInvoiceFailedAndAClerksReinvoiceAsksWithTheNextRevision() throws Exception {
        ErpStandIn.failNext("SHP-I4", 422, 3);
        deliverAll("SHP-I4");
        ConsumerRecord<String, String> failed = KafkaRecords.awaitEvents(Topics.BILLING, "SHP-I4",
                EventType.INVOICE_FAILED.ceType(), 1).get(0);
        JsonNode event = JSON.readTree(failed.value());
        assertThat(event.path("idempotencyKey").asText()).isEqualTo("SHP-I4:rating-1");
        assertThat(event.path("reason").asText()).startsWith("ERP rejected the invoice with 422");
        assertThat(event.path("attempts").asInt()).isEqualTo(3);
        given().get("/api/v1/billing-cases/SHP-I4").then().statusCode(200)
                .body("status", equalTo("INVOICE_FAILED"))
                .body("invoice.lastError", containsString("scripted 422"));
        // Nothing more is asked of ERP on its own.
        // Everything this service wrote is on Kafka; nothing more arrives for 2000 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(2000), () -> {
            assertThat(ErpStandIn.requestsFor("SHP-I4")).hasSize(3);
        });

        given().contentType(ContentType.JSON).body("{}").post("/api/v1/billing-cases/SHP-I4/reinvoice")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        given().contentType(ContentType.JSON).body("{\"decidedBy\": \"clerk-3\", \"reason\": \"ERP customer master fixed\"}")
                .post("/api/v1/billing-cases/SHP-I4/reinvoice").then().statusCode(200)
                .body("status", equalTo("ELIGIBLE"));
        awaitInvoiceIssued("SHP-I4");
        List<String> keys = ErpStandIn.requestsFor("SHP-I4").stream().map(r -> r.header("Idempotency-Key")).toList();
        assertThat(keys).containsExactly("SHP-I4:rating-1", "SHP-I4:rating-1", "SHP-I4:rating-1", "SHP-I4:rating-2");
        assertThat(ErpStandIn.invoicesIssuedFor("SHP-I4")).isEqualTo(1);
        given().get("/api/v1/billing-cases/SHP-I4").then().body("status", equalTo("INVOICED"))
                .body("invoice.ratingRevision", equalTo(2));
        // An invoiced case is never invoiced again.
        given().contentType(ContentType.JSON).body("{\"reason\": \"once more\"}")
                .post("/api/v1/billing-cases/SHP-I4/reinvoice").then().statusCode(409)
                .body("type", equalTo("urn:logisync:problem:not-invoice-failed"));
    }

    @Test
    void workersRacingForTheSameCaseAskErpOnce() {
        // ERP is slow; while the first worker waits for it, three more (as other replicas would) try the case.
        ErpStandIn.slow("SHP-I5", 1500);
        deliverAll("SHP-I5");
        await().atMost(Duration.ofSeconds(20)).until(() -> ErpStandIn.requestsFor("SHP-I5").size() == 1);
        List<Uni<Void>> racers = List.of(
                SafeContext.run(vertx, () -> worker.attempt("SHP-I5")),
                SafeContext.run(vertx, () -> worker.attempt("SHP-I5")),
                SafeContext.run(vertx, () -> worker.invoiceDue().replaceWithVoid()));
        Uni.join().all(racers).andFailFast().await().atMost(Duration.ofSeconds(20));

        awaitInvoiceIssued("SHP-I5");
        // Everything this service wrote is on Kafka; nothing more arrives for 1000 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(1000), () -> {
            assertThat(ErpStandIn.requestsFor("SHP-I5")).hasSize(1);
            assertThat(billingEvents("SHP-I5", EventType.INVOICE_ISSUED)).hasSize(1);
        });
    }

    @Test
    void aWorkerThatStallsPastItsLeaseWritesNothingTheNewHolderRecordsTheOneInvoice() {
        // ERP answers after 6.5 s, beyond the 5 s lease: a second worker takes the case over and asks again
        // with the same key; the first worker's late answer is fenced off by the lease's token.
        ErpStandIn.slow("SHP-LEASE1", 6500);
        deliverAll("SHP-LEASE1");
        await().atMost(Duration.ofSeconds(20)).until(() -> ErpStandIn.requestsFor("SHP-LEASE1").size() == 1);
        // The lease runs out while the first worker still waits for ERP; another replica's worker takes over.
        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(PostgresServer.queryValue("logisync",
                "select claimed_until < now() from billing_case where shipment_id = ?", "SHP-LEASE1")));
        ErpStandIn.slow("SHP-LEASE1", 0); // ERP answers the new holder at once; the stalled worker's answer comes later
        SafeContext.run(vertx, () -> worker.attempt("SHP-LEASE1")).await().atMost(Duration.ofSeconds(20));
        awaitInvoiceIssued("SHP-LEASE1");
        assertThat(ErpStandIn.requestsFor("SHP-LEASE1")).hasSize(2);
        assertThat(ErpStandIn.requestsFor("SHP-LEASE1")).extracting(r -> r.header("Idempotency-Key"))
                .containsOnly("SHP-LEASE1:rating-1");
        assertThat(ErpStandIn.invoicesIssuedFor("SHP-LEASE1")).isEqualTo(1);
        // Past the stalled worker's late answer (6.5 s after its call): still one InvoiceIssued.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> billingEvents("SHP-LEASE1", EventType.INVOICE_ISSUED).size() == 1);
        // Only the holder's answer is recorded: one attempt, not the stalled worker's as well.
        given().get("/api/v1/billing-cases/SHP-LEASE1").then().statusCode(200)
                .body("status", equalTo("INVOICED"))
                .body("invoice.attempts", equalTo(1))
                .body("invoice.ratingRevision", equalTo(1));
    }

    @Test
    void anEligibleCaseWaitsForTheDieselIndexOfItsShipWeekAndIsInvoicedWhenItIsSet() {
        // Picked up and delivered in 2026-W51 (the fuel week is the ship week), for which no index exists yet.
        Instant later = DELIVERED_AT.plus(Duration.ofDays(7));
        OrderReleased weekLater = order("SHP-I7");
        TimeWindow window = new TimeWindow(later.minusSeconds(3600), later);
        EventPublisher.publish(new OrderReleased(weekLater.correlation(), weekLater.serviceLevel(), weekLater.lines(),
                weekLater.stops().stream().map(s -> new Stop(s.sequence(), s.type(), s.name(), s.locationCode(), s.address(),
                        s.zoneId(), window)).toList(), weekLater.releasedAt()), null);
        EventPublisher.publish(com.logisync.testsupport.Milestones.reported(corr("SHP-I7"), "dlv-I7", MilestoneType.DELIVERED,
                later).pod(new ProofOfDelivery("A. Smith", later, "POD-I7", null)).build(), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/SHP-I7").then()
                .body("status", equalTo("ELIGIBLE"))
                .body("invoice.lastError", containsString("PUT /api/v1/fuel-index/2026-W51")));
        assertThat(ErpStandIn.requestsFor("SHP-I7")).isEmpty();

        given().contentType(ContentType.JSON).body("{\"pricePerGallon\": 3.700}").put("/api/v1/fuel-index/2026-W51")
                .then().statusCode(200);
        awaitInvoiceIssued("SHP-I7");
        JsonNode request = body(ErpStandIn.requestsFor("SHP-I7").get(0));
        // 1341.25 × 18.5 % = 248.13; no accessorials.
        assertThat(request.path("total").decimalValue()).isEqualByComparingTo("1589.38");
    }

    private static List<JsonNode> documentsAtErp(String shipmentId) {
        return ErpStandIn.requestsFor(shipmentId).stream().map(InvoicingTest::body).toList();
    }

    private static List<String> keysAskedOf(String shipmentId) {
        return ErpStandIn.requestsFor(shipmentId).stream().map(r -> r.header("Idempotency-Key")).toList();
    }

    @Test
    void detentionAndALiftgateAfterTheInvoiceRequestGoOnOneSupplementaryInvoiceExactlyOnce() throws Exception {
        // Delivered with its POD, no accessorials: invoiced at 1589.38 (1341.25 + 248.13).
        String shipmentId = "SHP-SUP1";
        List<LogiSyncEvent> first = events(shipmentId).subList(0, 3);
        first.forEach(e -> EventPublisher.publish(e, null));
        ConsumerRecord<String, String> issued = awaitInvoiceIssued(shipmentId);
        String invoiceId = JSON.readTree(issued.value()).path("invoiceId").asText();
        assertThat(JSON.readTree(issued.value()).path("total").decimalValue()).isEqualByComparingTo("1589.38");

        // Then the stop's arrival and departure (61 min of detention) and the driver's liftgate, each twice.
        List<LogiSyncEvent> late = events(shipmentId).subList(3, 6);
        for (LogiSyncEvent e : late) {
            String ce = EventPublisher.publish(e, null);
            EventPublisher.publish(e, ce, null);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ErpStandIn.documentsFor(shipmentId).size() == 2);
        ErpStandIn.Issued supplement = ErpStandIn.documentsFor(shipmentId).get(1);
        assertThat(supplement.key()).isEqualTo(shipmentId + ":supplement-2");
        assertThat(supplement.documentType()).isEqualTo("SUPPLEMENTARY_INVOICE");
        assertThat(supplement.originalInvoiceId()).isEqualTo(invoiceId);
        assertThat(supplement.total()).isEqualByComparingTo("245.00");
        JsonNode request = documentsAtErp(shipmentId).get(1);
        List<String> lines = new ArrayList<>();
        request.path("lines").forEach(l -> lines.add(l.path("code").asText() + " " + l.path("amount").decimalValue()));
        assertThat(lines).containsExactly("LFT 75.00", "DTU 170.00");

        // ERP issued it; the case records the answer right after.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/" + shipmentId)
                .then().body("documents.state", equalTo(List.of("ISSUED", "ISSUED"))));
        given().get("/api/v1/billing-cases/" + shipmentId).then().statusCode(200)
                .body("status", equalTo("INVOICED"))
                .body("documents.kind", equalTo(List.of("INVOICE", "SUPPLEMENTARY_INVOICE")))
                .body("documents.state", equalTo(List.of("ISSUED", "ISSUED")))
                .body("documents[1].erpDocumentId", equalTo(supplement.documentId()))
                .body("documents[1].total", equalTo(245.0f))
                .body("accessorials.billedIn", org.hamcrest.Matchers.everyItem(equalTo(shipmentId + ":supplement-2")));
        // The snapshot service-view reads carries each document's lines, for the customer's 210.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> snapshots = KafkaRecords.forShipment(Topics.BILLING, shipmentId).stream()
                    .filter(r -> EventType.BILLING_CASE_UPDATED.ceType().equals(KafkaRecords.header(r, "ce_type"))).toList();
            JsonNode documents = JSON.readTree(snapshots.get(snapshots.size() - 1).value()).path("documents");
            assertThat(documents.get(1).path("state").asText()).isEqualTo("ISSUED");
            List<String> charged = new ArrayList<>();
            documents.get(1).path("charges").forEach(l -> charged.add(l.path("code").asText() + " " + l.path("amount").decimalValue()));
            assertThat(charged).containsExactly("LFT 75.00", "DTU 170.00");
            assertThat(documents.get(0).path("charges").size()).isGreaterThan(0);
        });

        // Everything again: nothing more is asked of ERP.
        for (LogiSyncEvent e : events(shipmentId)) {
            EventPublisher.publish(e, null);
        }
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> keysAskedOf(shipmentId).size() == 2);
        assertThat(keysAskedOf(shipmentId)).containsExactly(shipmentId + ":rating-1", shipmentId + ":supplement-2");
    }

    @Test
    void aLateChargeWhileErpIsDownWaitsForTheFirstInvoiceAndIsBilledOnceAfterIt() {
        // ERP answers 503 for a while: the first invoice is requested but not issued when the detention arrives.
        String shipmentId = "SHP-SUP2";
        ErpStandIn.failNext(shipmentId, 503, 6);
        events(shipmentId).subList(0, 3).forEach(e -> EventPublisher.publish(e, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> !ErpStandIn.requestsFor(shipmentId).isEmpty());
        events(shipmentId).subList(4, 6).forEach(e -> EventPublisher.publish(e, null));

        await().atMost(Duration.ofSeconds(40)).until(() -> ErpStandIn.documentsFor(shipmentId).size() == 2);
        List<ErpStandIn.Issued> documents = ErpStandIn.documentsFor(shipmentId);
        assertThat(documents).extracting(ErpStandIn.Issued::documentType)
                .containsExactly("INVOICE", "SUPPLEMENTARY_INVOICE");
        assertThat(documents.get(0).total()).isEqualByComparingTo("1589.38");
        assertThat(documents.get(1).total()).isEqualByComparingTo("170.00");
        assertThat(documents.get(1).originalInvoiceId()).isEqualTo(documents.get(0).documentId());
        // Every supplementary request came after the first invoice was issued, under one key.
        assertThat(keysAskedOf(shipmentId).stream().filter(k -> k.contains("supplement")).distinct()).hasSize(1);
    }

    @Test
    void aClerkVoidsAndRebillsADisputedInvoiceACreditNoteAndANewInvoiceEachOnceAtErp() throws Exception {
        String shipmentId = "SHP-VR1";
        deliverAll(shipmentId);
        String invoiceId = JSON.readTree(awaitInvoiceIssued(shipmentId).value()).path("invoiceId").asText();
        given().contentType(ContentType.JSON).body("{\"reason\": \"customer disputes\"}")
                .post("/api/v1/billing-cases/SHP-NOPE/void-and-rebill").then().statusCode(404);

        // The credit note's first answer is lost: ERP issued it, LogiSync asks again with the same key.
        ErpStandIn.loseAnswers(shipmentId, 1);
        given().contentType(ContentType.JSON).body("{\"decidedBy\": \"someone-else\", \"reason\": \"customer disputes the"
                + " liftgate\"}").post("/api/v1/billing-cases/" + shipmentId + "/void-and-rebill").then().statusCode(200)
                .body("documents.kind", equalTo(List.of("INVOICE", "CREDIT_NOTE", "INVOICE")))
                .body("documents[0].creditedBy", equalTo(shipmentId + ":credit-2"))
                .body("documents[1].total", equalTo(-1834.38f))
                .body("documents[1].requestedBy", equalTo("test-suite"))
                .body("documents[2].idempotencyKey", equalTo(shipmentId + ":rebill-3"));

        await().atMost(Duration.ofSeconds(30)).until(() -> ErpStandIn.documentsFor(shipmentId).size() == 3);
        List<ErpStandIn.Issued> documents = ErpStandIn.documentsFor(shipmentId);
        assertThat(documents).extracting(ErpStandIn.Issued::documentType)
                .containsExactly("INVOICE", "CREDIT_NOTE", "INVOICE");
        assertThat(documents.get(1).originalInvoiceId()).isEqualTo(invoiceId);
        assertThat(documents.get(1).total()).isEqualByComparingTo("-1834.38");
        assertThat(documents.get(2).total()).isEqualByComparingTo("1834.38");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/" + shipmentId)
                .then().body("documents.state", equalTo(List.of("ISSUED", "ISSUED", "ISSUED")))
                .body("invoice.invoiceId", equalTo(documents.get(2).documentId())));
        // The credit note was asked twice (the lost answer), the rebill once; ERP issued each once.
        assertThat(keysAskedOf(shipmentId)).containsExactly(shipmentId + ":rating-1", shipmentId + ":credit-2",
                shipmentId + ":credit-2", shipmentId + ":rebill-3");
        assertThat(billingEvents(shipmentId, EventType.INVOICE_ISSUED)).hasSize(2);

        // A second void credits the rebill only: the first invoice is credited already.
        given().contentType(ContentType.JSON).body("{\"reason\": \"wrong consignee\"}")
                .post("/api/v1/billing-cases/" + shipmentId + "/void-and-rebill").then().statusCode(200)
                .body("documents[3].originalKey", equalTo(shipmentId + ":rebill-3"))
                .body("documents[4].idempotencyKey", equalTo(shipmentId + ":rebill-5"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ErpStandIn.documentsFor(shipmentId).size() == 5);
        assertThat(ErpStandIn.documentsFor(shipmentId).get(3).originalInvoiceId())
                .isEqualTo(documents.get(2).documentId());
    }

    @Test
    void onlyAnInvoicedCaseCanBeVoided() {
        String shipmentId = "SHP-VR2";
        EventPublisher.publish(order(shipmentId), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> PostgresServer.queryValue("logisync",
                "select shipment_id from billing_case where shipment_id = ?", shipmentId) != null);
        given().contentType(ContentType.JSON).body("{\"reason\": \"x\"}")
                .post("/api/v1/billing-cases/" + shipmentId + "/void-and-rebill").then().statusCode(409)
                .body("type", equalTo("urn:logisync:problem:not-invoiced"));
    }

    @Test
    void aShipperWhoWantsThePodWithTheInvoiceGetsItTheCaseWaitsForTheUpload() throws Exception {
        String customer = "CUST-PODDOC";
        ContractSeed.seed(new Contract("CTR-PODDOC", customer, LocalDate.parse("2026-01-01"), null,
                List.of(new Contract.Lane("US-TX", "US", new BigDecimal("1000.00"), "USD", List.of("LTL_STANDARD"), 60,
                        new BigDecimal("20000"))), Map.of(), 120, null,
                new Contract.FuelSurchargeTable("FSC-P", List.of(new Contract.FuelSurchargeTable.Band(
                        new BigDecimal("3.000"), null, new BigDecimal("10")))), false, 1, null, null, null, true));
        String shipmentId = "SHP-PODDOC";
        Correlation corr = new Correlation(shipmentId, "ORD-" + shipmentId, "LD-" + shipmentId, null, customer, null);
        OrderReleased released = order(shipmentId);
        EventPublisher.publish(new OrderReleased(corr, "LTL_STANDARD", List.of(), released.stops(), released.releasedAt()),
                null);
        EventPublisher.publish(com.logisync.testsupport.Milestones.reported(corr, "dlv-PD", MilestoneType.DELIVERED,
                DELIVERED_AT).pod(new ProofOfDelivery("J. Doe", DELIVERED_AT, "POD-PD", null)).build(), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/billing-cases/" + shipmentId)
                .then().body("status", equalTo("OPEN"))
                .body("checklist.find { it.rule == 'POD_DOCUMENT' }.met", equalTo(false))
                .body("checklist.find { it.rule == 'POD_DOCUMENT' }.detail", containsString("upload it")));

        byte[] pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        given().contentType("application/pdf").body("not a pdf".getBytes()).put("/api/v1/billing-cases/" + shipmentId
                + "/pod-document").then().statusCode(422).body("errors[0].code", equalTo("CONTENT_MISMATCH"));
        given().contentType("text/plain").body("hello").put("/api/v1/billing-cases/" + shipmentId + "/pod-document")
                .then().statusCode(415);
        byte[] huge = new byte[5 * 1024 * 1024 + 1];
        System.arraycopy(pdf, 0, huge, 0, pdf.length);
        given().contentType("application/pdf").body(huge).put("/api/v1/billing-cases/" + shipmentId + "/pod-document")
                .then().statusCode(413).body("type", equalTo("urn:logisync:problem:pod-document-too-large"));
        given().contentType("application/pdf").body(pdf).put("/api/v1/billing-cases/SHP-NONE/pod-document")
                .then().statusCode(404);

        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(pdf));
        given().contentType("application/pdf").queryParam("fileName", "pod-PD.pdf").body(pdf)
                .put("/api/v1/billing-cases/" + shipmentId + "/pod-document").then().statusCode(200)
                .body("podDocument.sha256", equalTo(sha))
                .body("podDocument.sizeBytes", equalTo(pdf.length))
                .body("podDocument.uploadedBy", equalTo("test-suite"));
        byte[] back = given().get("/api/v1/billing-cases/" + shipmentId + "/pod-document").then().statusCode(200)
                .contentType("application/pdf").header("Content-Disposition", "inline; filename=\"pod-PD.pdf\"")
                .extract().asByteArray();
        assertThat(back).isEqualTo(pdf);

        awaitInvoiceIssued(shipmentId);
        JsonNode request = body(ErpStandIn.requestsFor(shipmentId).get(0));
        assertThat(request.path("podDocument").path("sha256").asText()).isEqualTo(sha);
        assertThat(request.path("podDocument").path("contentType").asText()).isEqualTo("application/pdf");
        assertThat(java.util.Base64.getDecoder().decode(request.path("podDocument").path("contentBase64").asText()))
                .isEqualTo(pdf);
        // 1000.00 + 10 % fuel (the open top band from 3.000 up).
        assertThat(request.path("total").decimalValue()).isEqualByComparingTo("1100.00");
    }
}
