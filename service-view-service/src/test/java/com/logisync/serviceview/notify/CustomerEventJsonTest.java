package com.logisync.serviceview.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A milestone's customer event is written field by field ({@link CustomerEventJson}): the text must be exactly
 * what the application's own ObjectMapper writes, for every shape an event can take.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class CustomerEventJsonTest {

    @Inject
    ObjectMapper mapper;

    @Inject
    CustomerEventFeed feed;

    private static final Instant AT = Instant.parse("2026-12-01T16:07:28.453278513Z");

    private static CustomerEvent full() {
        return new CustomerEvent("REST_API:SWIFT:ev-1", "shipment.delayed", "SHIPMENT", "ACT", AT,
                Instant.parse("2026-12-01T16:07:29.100Z"), null, null, null, "DELAYED", "SHP-J1", "CUST-ACME",
                new CustomerEvent.References("ORD-1", List.of("PO-7781", "PO-7782"), List.of("BOL-1"), List.of(), "LD-1"),
                new CustomerEvent.LocalTime("2026-12-01T10:07:28", "America/Chicago", "STOP"),
                new CustomerEvent.Place("Store 17 \"North\"", "USHOU", "Houston", "TX", "US", 2, "DELIVERY"),
                new CustomerEvent.Why("WEATHER", "AO", "X12-1651", "Ice on I-45 — road closed\nuntil 14:00"),
                new CustomerEvent.Eta(Instant.parse("2026-12-02T09:00:00Z"), "PREDICTED", "2026-12-02T03:00:00", "America/Chicago"),
                new CustomerEvent.Pod("J. Doe", Instant.parse("2026-12-01T16:00:00Z"), "DOC-9", "2 cartons crushed"), null);
    }

    @Test
    void aFullEventAndAnEmptyOneAreWrittenAsTheMapperWritesThem() throws Exception {
        CustomerEvent e = full();
        assertThat(CustomerEventJson.handles(e)).isTrue();
        assertThat(feed.payload(e)).isEqualTo(mapper.writeValueAsString(e));
        assertThat(feed.payload(e)).contains("\"eventDateTime\":\"2026-12-01T16:07:28.453278513Z\"")
                .contains("\"stopSequence\":2").contains("\"purchaseOrders\":[\"PO-7781\",\"PO-7782\"]")
                .doesNotContain("proNumbers");
        CustomerEvent empty = new CustomerEvent(null, null, null, null, null, null, null, null, null, null, null, null,
                new CustomerEvent.References("", null, List.of(), Arrays.asList("PRO-1", null), null),
                new CustomerEvent.LocalTime(null, null, null), new CustomerEvent.Place(null, null, null, null, null, null, null),
                new CustomerEvent.Why(null, null, null, null), new CustomerEvent.Eta(null, null, null, null),
                new CustomerEvent.Pod(null, null, null, null), null);
        assertThat(feed.payload(empty)).isEqualTo(mapper.writeValueAsString(empty));
        CustomerEvent bare = new CustomerEvent("e", "shipment.arrived_pickup", "TRANSPORT", "EST", AT, AT, "ARRI", null, null,
                "ARRIVED_PICKUP", "SHP-J2", null, null, null, null, null, null, null, null);
        assertThat(feed.payload(bare)).isEqualTo(mapper.writeValueAsString(bare));
    }

    @Test
    void everyCombinationOfPresentAndAbsentPartsIsWrittenAsTheMapperWritesIt() throws Exception {
        Random random = new Random(20261201L);
        StringBuilder ascii = new StringBuilder();
        for (char c = 0; c < 128; c++) {
            ascii.append(c);
        }
        // Every ASCII character (the control ones Jackson escapes, short or as u00XX), and beyond it: DEL, a line
        // separator, a pair of surrogates and a lone one, written as they are.
        String[] texts = {null, "", "plain", "Zoë's \"dock\" \\ 3", "tab\tline\nend", "日本語", "\u0001ctl", "a/b</script>",
                ascii.toString(), "\u007f\u2028\ud83d\ude9a\ud800 end", "\u001f\b\f\r"};
        for (int i = 0; i < 3000; i++) {
            CustomerEvent e = new CustomerEvent(pick(random, texts), pick(random, texts), pick(random, texts),
                    pick(random, texts), instant(random), instant(random), pick(random, texts), pick(random, texts),
                    pick(random, texts), pick(random, texts), pick(random, texts), pick(random, texts),
                    random.nextInt(4) == 0 ? null : new CustomerEvent.References(pick(random, texts), list(random, texts),
                            list(random, texts), list(random, texts), pick(random, texts)),
                    random.nextInt(3) == 0 ? null : new CustomerEvent.LocalTime(pick(random, texts), pick(random, texts),
                            pick(random, texts)),
                    random.nextInt(3) == 0 ? null : new CustomerEvent.Place(pick(random, texts), pick(random, texts),
                            pick(random, texts), pick(random, texts), pick(random, texts),
                            random.nextBoolean() ? null : random.nextInt(200) - 100, pick(random, texts)),
                    random.nextInt(3) == 0 ? null : new CustomerEvent.Why(pick(random, texts), pick(random, texts),
                            pick(random, texts), pick(random, texts)),
                    random.nextInt(3) == 0 ? null : new CustomerEvent.Eta(instant(random), pick(random, texts),
                            pick(random, texts), pick(random, texts)),
                    random.nextInt(3) == 0 ? null : new CustomerEvent.Pod(pick(random, texts), instant(random),
                            pick(random, texts), pick(random, texts)),
                    null);
            String json = mapper.writeValueAsString(e);
            assertThat(feed.payload(e)).as("event %d", i).isEqualTo(json);
            // The feed row's compact form gives the same text back, with the row's four columns.
            assertThat(CustomerEventJson.compacts(e, e.eventID(), e.type(), e.shipmentId(), e.customerId())).isTrue();
            String stored = CustomerEventJson.compact(e);
            assertThat(CustomerEventFeed.json(stored, e.eventID(), e.type(), e.shipmentId(), e.customerId()))
                    .as("event %d stored as %s", i, stored).isEqualTo(json);
        }
    }

    @Test
    void theFeedRowHoldsTheValuesByPositionAndTheTextComesBackFromThemAndTheRowsColumns() throws Exception {
        CustomerEvent bare = new CustomerEvent("REST_API:SWIFT:ev-2", "shipment.arrived_pickup", "TRANSPORT", "EST", AT,
                Instant.parse("2026-12-01T16:07:29.100Z"), "ARRI", null, null, "ARRIVED_PICKUP", "SHP-J2", null,
                new CustomerEvent.References("ORD-2", List.of("PO-1"), List.of(), null, ""), null,
                new CustomerEvent.Place("Dock 4", null, null, null, null, null, null), null, null, null, null);
        // No names, no event id, type, shipment or customer (the row's columns), absent parts null, trailing nulls dropped.
        assertThat(CustomerEventJson.compact(bare)).isEqualTo("[1,\"TRANSPORT\",\"EST\",\"2026-12-01T16:07:28.453278513Z\","
                + "\"2026-12-01T16:07:29.100Z\",\"ARRI\",null,null,\"ARRIVED_PICKUP\",[\"ORD-2\",[\"PO-1\"]],null,[\"Dock 4\"]]");
        assertThat(CustomerEventFeed.json(CustomerEventJson.compact(bare), "REST_API:SWIFT:ev-2", "shipment.arrived_pickup",
                "SHP-J2", null)).isEqualTo(mapper.writeValueAsString(bare));
        // A milestone's whole event: the stored form is less than 60 % of the text.
        CustomerEvent e = full();
        assertThat(CustomerEventJson.compact(e).length()).isLessThan(mapper.writeValueAsString(e).length() * 6 / 10);
        // An event whose columns would not say the same is stored as its text.
        assertThat(CustomerEventJson.compacts(e, e.eventID(), e.type(), "SHP-OTHER", e.customerId())).isFalse();
    }

    @Test
    void aRowThatIsTheTextItselfIsReadAsItIsAndOneThatIsNeitherIsRefused() throws Exception {
        CustomerEvent.Invoice invoice = new CustomerEvent.Invoice("INV-1", "USD", new BigDecimal("1718.25"), AT, List.of());
        CustomerEvent e = new CustomerEvent("invoice:SHP-J3:rating-1", CustomerEventFeed.INVOICE_ISSUED, "SHIPMENT", "ACT",
                AT, AT, null, "ISSU", "INV", null, "SHP-J3", "CUST-ACME", null, null, null, null, null, null, invoice);
        String text = mapper.writeValueAsString(e);
        assertThat(CustomerEventFeed.json(text, "invoice:SHP-J3:rating-1", CustomerEventFeed.INVOICE_ISSUED, "SHP-J3",
                "CUST-ACME")).isSameAs(text);
        for (String stored : List.of("[2,\"SHIPMENT\"]", "[1,\"SHIPMENT\",7]", "[1,\"SHIPMENT\"", "[1,null,null,null,null,null,"
                + "null,null,null,null,null,null,null,null,null,null]")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CustomerEventFeed.json(stored, "e", "t", "s", "c"))
                    .as(stored).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("a customer event row that is neither JSON text nor its compact form");
        }
    }

    @Test
    void anInvoicesEventIsLeftToTheMapper() throws Exception {
        CustomerEvent.Invoice invoice = new CustomerEvent.Invoice("INV-1", "USD", new BigDecimal("1718.25"), AT,
                List.of(new CustomerEvent.Line("LHS", "Linehaul", BigDecimal.ONE, "SHIPMENT", new BigDecimal("1450.00"),
                        new BigDecimal("1450.00"), "PER_UNIT")));
        CustomerEvent e = new CustomerEvent("invoice:SHP-J3:rating-1", CustomerEventFeed.INVOICE_ISSUED, "SHIPMENT", "ACT",
                AT, AT, null, "ISSU", "INV", null, "SHP-J3", "CUST-ACME", null, null, null, null, null, null, invoice);
        assertThat(CustomerEventJson.handles(e)).isFalse();
        assertThat(feed.payload(e)).isEqualTo(mapper.writeValueAsString(e)).contains("\"total\":1718.25");
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static Instant instant(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> Instant.ofEpochSecond(1_764_000_000L + random.nextInt(10_000_000));
            case 2 -> Instant.ofEpochSecond(1_764_000_000L + random.nextInt(10_000_000), random.nextInt(1_000_000_000));
            default -> Instant.ofEpochMilli(1_764_000_000_000L + random.nextInt(1_000_000_000));
        };
    }

    private static List<String> list(Random random, String[] values) {
        int n = random.nextInt(4) - 1;
        if (n < 0) {
            return null;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(pick(random, values));
        }
        return list;
    }
}
