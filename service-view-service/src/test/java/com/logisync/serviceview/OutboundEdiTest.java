package com.logisync.serviceview;

import com.logisync.contracts.event.InvoiceIssued;
import com.logisync.contracts.event.InvoiceRequested;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.HttpStandIn;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.Milestones;
import com.logisync.testsupport.PostgresTestResource;
import com.logisync.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A shipper that wants EDI: its X12 subscription receives a 214 for the delay and a 210 for the invoice,
 * each a complete interchange that StAEDI reads back without an error (ISA13 = IEA02, GS06 = GE02, ST02 =
 * SE02, SE01 = the segments counted), with control numbers that follow on per subscription and are kept
 * in the delivery log, and content that reads back to what LogiSync recorded: the status and reason codes,
 * the references, and the invoice line by line in cents.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class OutboundEdiTest {

    private static final String ERP = TestTokens.token("erp-system", "erp");

    /** A segment as StAEDI read it: its tag and elements (1-based, as X12 counts them). */
    record Segment(String tag, List<String> elements) {
        String e(int i) {
            return i <= elements.size() ? elements.get(i - 1) : null;
        }
    }

    /** Reads an interchange with StAEDI, failing on any error it reports (envelope counts and numbers included). */
    static List<Segment> read(String interchange) throws Exception {
        List<Segment> segments = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try (EDIStreamReader r = EDIInputFactory.newFactory().createEDIStreamReader(
                new ByteArrayInputStream(interchange.getBytes(StandardCharsets.UTF_8)))) {
            String tag = null;
            List<String> elements = null;
            while (r.hasNext()) {
                EDIStreamEvent event = r.next();
                switch (event) {
                    case START_SEGMENT -> {
                        tag = r.getText();
                        elements = new ArrayList<>();
                    }
                    case ELEMENT_DATA -> {
                        if (r.getLocation().getComponentPosition() <= 1) {
                            elements.add(r.getText());
                        }
                    }
                    case END_SEGMENT -> segments.add(new Segment(tag, List.copyOf(elements)));
                    case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR ->
                            errors.add(event + " " + r.getErrorType() + " at " + r.getLocation());
                    default -> {
                    }
                }
            }
        }
        assertThat(errors).as("StAEDI errors in %s", interchange).isEmpty();
        return segments;
    }

    static Segment first(List<Segment> segments, String tag) {
        return segments.stream().filter(s -> s.tag().equals(tag)).findFirst().orElseThrow(() -> new AssertionError(tag));
    }

    @Test
    void anEdiProfileReceivesA214ForTheDelayAndA210ForTheInvoice() throws Exception {
        HttpStandIn shipper = HttpStandIn.named("edi-shipper");
        shipper.on("POST", "/as2-gateway", r -> HttpStandIn.Reply.json(202, null));
        given().auth().oauth2(ERP).contentType(ContentType.JSON)
                .body(Map.of("customerId", "CUST-EDI", "format", "X12", "url", shipper.url() + "/as2-gateway",
                        "eventTypes", List.of("shipment.delayed", "invoice.issued"),
                        "edi", Map.of("senderQualifier", "ZZ", "senderId", "LOGISYNC", "receiverQualifier", "ZZ",
                                "receiverId", "ACMEEDI", "version", "004010", "scac", "SWFT")))
                .put("/api/v1/subscriptions/sub-edi").then().statusCode(201).body("edi.receiverId", equalTo("ACMEEDI"));

        Correlation c = new Correlation("SHP-EDI1", "ORD-EDI1", "LD-EDI1", null, "CUST-EDI",
                List.of(new ExternalReference(ReferenceType.BOL, "BOL-EDI1"), new ExternalReference(ReferenceType.PRO, "PRO-991"),
                        new ExternalReference(ReferenceType.PO, "PO-4411")));
        EventPublisher.publish(new OrderReleased(c, "LTL_STANDARD", List.of(), List.of(), Instant.parse("2026-12-01T08:00:00Z"),
                null), null);
        Instant delayedAt = Instant.parse("2026-12-02T15:42:00Z");
        EventPublisher.publish(Milestones.reported(c, "dl-edi", MilestoneType.DELAYED, delayedAt)
                .reason(new Reason("WEATHER", "AO", "X12-1651", null)).build(), null);
        // The invoice comes on another topic: published once the 214 is out, so the order is the test's, not a race's.
        await().atMost(Duration.ofSeconds(30)).until(() -> shipper.received("POST", "/as2-gateway").size() >= 1);
        List<InvoiceRequested.Charge> charges = List.of(
                new InvoiceRequested.Charge("LINEHAUL", "Chicago - Joliet", new BigDecimal("412"), "MI", new BigDecimal("2.50"),
                        new BigDecimal("1030.00"), "412 mi x 2.50", "USD", "PM"),
                new InvoiceRequested.Charge("FUEL_SURCHARGE", "Fuel 12.5%", BigDecimal.ONE, "EA", null,
                        new BigDecimal("128.75"), "12.5% of linehaul", "USD", null),
                new InvoiceRequested.Charge("DETENTION", "Detention 2 h", new BigDecimal("2"), "HR", new BigDecimal("80.625"),
                        new BigDecimal("161.25"), "2 h x 80.625", "USD", "PH"));
        EventPublisher.publish(new InvoiceRequested(c, 1, "SHP-EDI1:rating-1", "CTR-1", "USD", charges,
                new BigDecimal("1320.00"), Instant.parse("2026-12-03T10:00:00Z")), null);
        EventPublisher.publish(new InvoiceIssued(c.withLoadId("LD-EDI1"), "INV-2026-0042", 1, "SHP-EDI1:rating-1", "CTR-1",
                "USD", new BigDecimal("1320.00"), Instant.parse("2026-12-03T09:59:00Z"),
                Instant.parse("2026-12-03T10:00:05Z")), null);

        await().atMost(Duration.ofSeconds(30)).until(() -> shipper.received("POST", "/as2-gateway").size() >= 2);
        List<HttpStandIn.Received> calls = shipper.received("POST", "/as2-gateway");
        assertThat(calls).hasSize(2);
        assertThat(calls).allSatisfy(call -> assertThat(call.header("content-type")).isEqualTo("application/edi-x12"));

        List<Segment> s214 = read(calls.get(0).body());
        assertThat(first(s214, "ISA").e(6).trim()).isEqualTo("LOGISYNC");
        assertThat(first(s214, "ISA").e(8).trim()).isEqualTo("ACMEEDI");
        assertThat(first(s214, "ISA").e(12)).isEqualTo("00401");
        assertThat(first(s214, "ISA").e(13)).isEqualTo("000000001");
        assertThat(first(s214, "GS").e(1)).isEqualTo("QM");
        assertThat(first(s214, "GS").e(8)).isEqualTo("004010");
        assertThat(first(s214, "ST").e(1)).isEqualTo("214");
        assertThat(first(s214, "B10").elements()).containsExactly("PRO-991", "BOL-EDI1", "SWFT");
        assertThat(s214.stream().filter(s -> s.tag().equals("L11")).map(s -> s.e(2) + "=" + s.e(1)).toList())
                .containsExactly("OQ=ORD-EDI1", "PO=PO-4411", "LO=LD-EDI1");
        assertThat(first(s214, "AT7").elements()).containsExactly("SD", "AO", "", "", "20261202", "1542", "UT");
        assertThat(first(s214, "SE").e(1)).isEqualTo(String.valueOf(s214.indexOf(first(s214, "SE"))
                - s214.indexOf(first(s214, "ST")) + 1));

        List<Segment> s210 = read(calls.get(1).body());
        assertThat(first(s210, "ISA").e(13)).isEqualTo("000000002");
        assertThat(first(s210, "GS").e(1)).isEqualTo("IM");
        assertThat(first(s210, "ST").e(1)).isEqualTo("210");
        Segment b3 = first(s210, "B3");
        assertThat(b3.e(2)).isEqualTo("INV-2026-0042");
        assertThat(b3.e(3)).isEqualTo("BOL-EDI1");
        assertThat(b3.e(6)).isEqualTo("20261203");
        assertThat(b3.e(7)).isEqualTo("132000");
        assertThat(b3.e(11)).isEqualTo("SWFT");
        assertThat(first(s210, "C3").e(1)).isEqualTo("USD");
        List<Segment> l1 = s210.stream().filter(s -> s.tag().equals("L1")).toList();
        assertThat(l1).extracting(s -> s.e(1) + "|" + s.e(2) + "|" + s.e(3) + "|" + s.e(4) + "|" + s.e(8))
                .containsExactly("1|2.5|PM|103000|400", "2||FR|12875|FUE", "3|80.625|PH|16125|DET");
        long sum = l1.stream().mapToLong(s -> Long.parseLong(s.e(4))).sum();
        assertThat(sum).isEqualTo(132000);
        assertThat(first(s210, "L3").e(5)).isEqualTo("132000");

        // A supplementary invoice (late detention), told by billing's snapshot with its lines: a 210 of its own that
        // names the invoice it adds to; the original invoice in the same snapshot is not told twice.
        Instant later = Instant.parse("2026-12-04T09:00:00Z");
        EventPublisher.publish(new com.logisync.contracts.event.BillingCaseUpdated(c, 7, true, List.of(), List.of(),
                List.of(), later, List.of(
                        new com.logisync.contracts.event.BillingCaseUpdated.Document("SHP-EDI1:rating-1", "INVOICE", "ISSUED",
                                "INV-2026-0042", "USD", new BigDecimal("1320.00"), null, null, null,
                                Instant.parse("2026-12-03T10:00:05Z"), null, charges),
                        new com.logisync.contracts.event.BillingCaseUpdated.Document("SHP-EDI1:supplement-2",
                                "SUPPLEMENTARY_INVOICE", "ISSUED", "INV-2026-0042-S1", "USD", new BigDecimal("170.00"),
                                "SHP-EDI1:rating-1", null, later.minusSeconds(60), later, null, List.of(
                                        new InvoiceRequested.Charge("DETENTION", "Detention 2 h (late)", new BigDecimal("2"),
                                                "HR", new BigDecimal("85.00"), new BigDecimal("170.00"), "2 h x 85.00",
                                                "USD", "PH"))))), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> shipper.received("POST", "/as2-gateway").size() >= 3);
        List<Segment> supplement = read(shipper.received("POST", "/as2-gateway").get(2).body());
        assertThat(first(supplement, "ISA").e(13)).isEqualTo("000000003");
        assertThat(first(supplement, "B3").e(2)).isEqualTo("INV-2026-0042-S1");
        assertThat(first(supplement, "B3").e(7)).isEqualTo("17000");
        assertThat(supplement.stream().filter(x -> x.tag().equals("N9")).map(x -> x.e(1) + "=" + x.e(2)).toList())
                .contains("OI=INV-2026-0042");
        assertThat(supplement.stream().filter(x -> x.tag().equals("L1")).map(x -> x.e(3) + "|" + x.e(4) + "|" + x.e(8)).toList())
                .containsExactly("PH|17000|DET");
        assertThat(first(supplement, "L3").e(5)).isEqualTo("17000");

        // The delivery log keeps each interchange's control number.
        given().auth().oauth2(ERP).get("/api/v1/subscriptions/sub-edi/deliveries").then().statusCode(200)
                .body("items.controlNumber", equalTo(List.of(3, 2, 1)))
                .body("items.eventType", equalTo(List.of("invoice.issued", "invoice.issued", "shipment.delayed")))
                .body("items.status", equalTo(List.of("DELIVERED", "DELIVERED", "DELIVERED")));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> shipper.received("POST", "/as2-gateway").size() == 3);
    }
}
