package com.logisync.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.local.DevTokens;
import com.logisync.local.LocalSuite;
import com.logisync.local.SampleJourney;
import com.logisync.local.SuiteSettings;
import com.logisync.milestone.edi.X12Interchange;
import com.logisync.milestone.edi.X12Reader;
import com.logisync.milestone.edi.X12Status214;
import com.logisync.milestone.rest.MilestoneRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customers are told, not asked, end to end on the real suite: a customer subscribed to delays and
 * deliveries receives, through the partner simulator's subscriber stand-in, a signed delay notification
 * with its reason and a delivery notification with the POD; its EDI profile receives a 214 for each and a
 * 210 for the invoice, which milestone-service's own X12 reader (and StAEDI, for the 210) read back to the
 * same content. Then the sender is killed with SIGKILL while the subscriber holds its calls: every event
 * still arrives, at least once and in each shipment's order, and a repeated one carries the same webhook-id.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomerNotificationJourneyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static LocalSuite suite;
    private static DevTokens tokens;
    private static String secret;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = FreshSuite.create("notify", false);
        suite.up();
        tokens = new DevTokens(suite.settings());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        secret = "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.down();
        }
    }

    private static String url(String service) {
        return suite.settings().url(service);
    }

    private static JsonNode send(String method, String url, Object body, String role, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (role != null) {
            b.header("Authorization", "Bearer " + tokens.token("journey-" + role, Map.of(), role));
        }
        String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        if (text != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (expected > 0 && r.statusCode() != expected || expected == 0 && r.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    private static <T> T await(String what, Duration limit, Callable<T> ask, Predicate<T> done) throws Exception {
        return Poll.until(what, limit, ask, done);
    }

    private static JsonNode received(String subscriber) throws Exception {
        return send("GET", url(SuiteSettings.SIMULATOR) + "/sim/subscribers/" + subscriber, null, null, 200);
    }

    private static void subscribe(String id, Map<String, Object> body) throws Exception {
        send("PUT", url(SuiteSettings.SIMULATOR) + "/sim/subscribers/" + id + "/secret", Map.of("secret", secret), null, 204);
        Map<String, Object> request = new LinkedHashMap<>(body);
        request.put("customerId", "CUST-ACME");
        request.put("url", url(SuiteSettings.SIMULATOR) + "/sim/subscribers/" + id);
        request.put("secret", secret);
        send("PUT", url(SuiteSettings.SERVICE_VIEW) + "/api/v1/subscriptions/" + id, request, "erp", 201);
    }

    /** Releases a sample order and waits for its dispatch: shipment id and load id. */
    private static String[] dispatchedOrder(String orderId) throws Exception {
        JsonNode released = send("POST", url(SuiteSettings.ORDER_SYNC) + "/api/v1/orders", SampleJourney.order(orderId),
                "erp", 201);
        JsonNode order = await("order " + orderId + " dispatched", Duration.ofSeconds(90), () -> send("GET",
                url(SuiteSettings.ORDER_SYNC) + "/api/v1/orders/" + orderId, null, "erp", 200),
                o -> "DISPATCHED".equals(o.path("status").asText()));
        return new String[] {released.path("shipmentId").asText(), order.path("dispatch").path("loadId").asText()};
    }

    private static void report(String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url(SuiteSettings.MILESTONE) + "/api/v1/milestones"))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + tokens.carrierToken())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> answer = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    private static String delayed(String loadId, Instant at, String suffix) {
        return """
                {"sourceEventId": "dl-%s%s", "partnerId": "SWIFT", "milestone": "DELAYED", "eventTime": "%s",
                 "references": {"loadId": "%s"},
                 "reason": {"code": "WEATHER", "sourceCode": "AO", "sourceCodeList": "X12-1651", "description": "ice on I-45"}}
                """.formatted(loadId, suffix, at.truncatedTo(ChronoUnit.MINUTES), loadId);
    }

    private static String inTransit(String loadId, Instant at, String suffix) {
        return """
                {"sourceEventId": "it-%s%s", "partnerId": "SWIFT", "milestone": "IN_TRANSIT", "eventTime": "%s",
                 "references": {"loadId": "%s"}}
                """.formatted(loadId, suffix, at.truncatedTo(ChronoUnit.MINUTES), loadId);
    }

    private static boolean types(JsonNode log, String... wanted) {
        List<String> seen = new ArrayList<>();
        log.forEach(r -> seen.add(r.path("type").asText()));
        return seen.containsAll(List.of(wanted));
    }

    @Test
    @Order(1)
    void aSubscribedCustomerIsToldOfTheDelayAndTheDeliveryAndItsEdiProfileGetsA214AndA210ThatParseBack() throws Exception {
        subscribe("acme-json", Map.of("eventTypes", List.of("shipment.delayed", "shipment.delivered")));
        subscribe("acme-edi", Map.of("format", "X12", "eventTypes", List.of("shipment.delayed", "shipment.delivered",
                "invoice.issued"), "edi", Map.of("senderQualifier", "ZZ", "senderId", "LOGISYNC", "receiverQualifier", "ZZ",
                "receiverId", "ACMEEDI", "version", "004010", "scac", "SWFT")));
        new SampleJourney(suite.settings()).masterData();
        String orderId = "ORD-NOTIFY-" + System.currentTimeMillis();
        String[] ids = dispatchedOrder(orderId);
        String shipmentId = ids[0];
        String loadId = ids[1];
        Instant delayedAt = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        report(delayed(loadId, delayedAt, ""));
        await("the delay on the case view", Duration.ofSeconds(90), () -> send("GET", url(SuiteSettings.SERVICE_VIEW)
                + "/api/v1/shipments/" + shipmentId, null, "service-agent", 200),
                v -> v.path("milestones").toString().contains("DELAYED"));
        report(SampleJourney.arrived(loadId));
        report(SampleJourney.delivered(loadId));
        JsonNode view = await("the invoice", Duration.ofSeconds(120), () -> send("GET", url(SuiteSettings.SERVICE_VIEW)
                + "/api/v1/shipments/" + shipmentId, null, "service-agent", 200),
                v -> "INVOICED".equals(v.path("billing").path("state").asText()));

        // Webhooks: the delay with its reason, then the delivery with its POD, both signed with the secret.
        JsonNode hooks = await("the webhooks", Duration.ofSeconds(60), () -> received("acme-json"),
                log -> types(log, "shipment.delayed", "shipment.delivered"));
        List<JsonNode> calls = new ArrayList<>();
        hooks.forEach(calls::add);
        assertThat(calls).allSatisfy(c -> assertThat(c.path("signatureValid").asBoolean()).as(c.toString()).isTrue());
        assertThat(calls.stream().map(c -> c.path("type").asText()).distinct().toList())
                .containsExactly("shipment.delayed", "shipment.delivered");
        JsonNode delay = JSON.readTree(calls.get(0).path("body").asText()).path("data");
        assertThat(delay.path("shipmentId").asText()).isEqualTo(shipmentId);
        assertThat(delay.path("reason").path("code").asText()).isEqualTo("WEATHER");
        assertThat(delay.path("reason").path("sourceCode").asText()).isEqualTo("AO");
        assertThat(delay.path("reason").path("description").asText()).isEqualTo("ice on I-45");
        assertThat(delay.path("eventDateTime").asText()).isEqualTo(delayedAt.toString());
        assertThat(delay.path("eventLocalDateTime").path("zoneId").asText()).isEqualTo("America/Chicago");
        assertThat(delay.path("references").path("orderId").asText()).isEqualTo(orderId);
        assertThat(delay.path("references").path("billsOfLading").get(0).asText()).isEqualTo("BOL-" + orderId);
        assertThat(delay.path("references").path("purchaseOrders").get(0).asText()).isEqualTo("PO-7781");
        JsonNode delivered = JSON.readTree(calls.stream().filter(c -> c.path("type").asText().equals("shipment.delivered"))
                .findFirst().orElseThrow().path("body").asText()).path("data");
        assertThat(delivered.path("pod").path("signedBy").asText()).isEqualTo("J. Doe");
        assertThat(delivered.path("pod").path("documentRef").asText()).isEqualTo("POD-" + loadId);

        // EDI: a 214 for each, and a 210 for the invoice.
        JsonNode edi = await("the EDI", Duration.ofSeconds(60), () -> received("acme-edi"), log -> log.size() >= 3);
        assertThat(edi).allSatisfy(c -> assertThat(c.path("signatureValid").asBoolean()).isTrue());
        assertThat(edi.findValuesAsText("type")).containsExactly("X12 214", "X12 214", "X12 210");
        List<MilestoneRequest> readBack = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            X12Interchange interchange = X12Reader.read(edi.get(i).path("body").asText());
            assertThat(interchange.controlNumber()).isEqualTo("%09d".formatted(i + 1));
            assertThat(interchange.header().receiverId()).isEqualTo("ACMEEDI");
            X12Status214.Result result = X12Status214.map(new X12Status214.Context("LOGISYNC", null, null),
                    interchange.groups().get(0).transactions().get(0));
            assertThat(result.rejected()).isEmpty();
            assertThat(result.errors()).isEmpty();
            readBack.addAll(result.milestones());
        }
        assertThat(readBack).extracting(m -> m.milestone().name()).containsExactly("DELAYED", "DELIVERED");
        MilestoneRequest delay214 = readBack.get(0);
        assertThat(delay214.eventTime().toInstant()).isEqualTo(delayedAt);
        assertThat(delay214.reason().code()).isEqualTo("WEATHER");
        assertThat(delay214.reason().sourceCode()).isEqualTo("AO");
        assertThat(delay214.references().bol()).isEqualTo("BOL-" + orderId);
        assertThat(delay214.references().po()).isEqualTo("PO-7781");
        assertThat(readBack.get(1).eventTime().toInstant()).isEqualTo(Instant.parse(delivered.path("eventDateTime").asText())
                .truncatedTo(ChronoUnit.MINUTES));

        X12Interchange invoice = X12Reader.read(edi.get(2).path("body").asText());
        assertThat(invoice.controlNumber()).isEqualTo("000000003");
        X12Interchange.Transaction tx = invoice.groups().get(0).transactions().get(0);
        assertThat(tx.type()).isEqualTo("210");
        assertThat(tx.errors()).isEmpty();
        X12Interchange.Segment b3 = tx.segments().stream().filter(s -> s.tag().equals("B3")).findFirst().orElseThrow();
        assertThat(b3.element(2)).isEqualTo(view.path("billing").path("invoiceId").asText());
        BigDecimal total = view.path("billing").path("total").decimalValue();
        assertThat(new BigDecimal(b3.element(7)).movePointLeft(2)).isEqualByComparingTo(total);
        List<X12Interchange.Segment> lines = tx.segments().stream().filter(s -> s.tag().equals("L1")).toList();
        assertThat(lines).hasSize(view.path("charges").size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode charge = view.path("charges").get(i);
            assertThat(new BigDecimal(lines.get(i).element(4)).movePointLeft(2)).as(charge.toString())
                    .isEqualByComparingTo(charge.path("amount").decimalValue());
            assertThat(lines.get(i).element(12)).startsWith(charge.path("code").asText());
        }
        assertThat(lines.stream().map(l -> new BigDecimal(l.element(4))).reduce(BigDecimal.ZERO, BigDecimal::add)
                .movePointLeft(2)).isEqualByComparingTo(total);

        // The delivery log says the same.
        JsonNode log = send("GET", url(SuiteSettings.SERVICE_VIEW) + "/api/v1/subscriptions/acme-edi/deliveries", null,
                "erp", 200);
        assertThat(log.path("items").findValuesAsText("status")).containsOnly("DELIVERED");
        assertThat(log.path("items").findValuesAsText("controlNumber")).containsExactly("3", "2", "1");
    }

    @Test
    @Order(2)
    void killingTheSenderMidDeliveryLosesNothingAndKeepsEachShipmentsOrder() throws Exception {
        subscribe("acme-kill", Map.of("eventTypes", List.of("shipment.delayed", "shipment.in_transit")));
        List<String[]> shipments = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            shipments.add(dispatchedOrder("ORD-KILL-" + i + "-" + System.currentTimeMillis()));
        }
        // The subscriber takes 4 s per call from now on: the sender is mid-call most of the time.
        send("POST", url(SuiteSettings.SIMULATOR) + "/sim/faults", Map.of("target", "subscriber", "delayMs", 4000,
                "seconds", 60), null, 204);
        Instant base = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        for (String[] s : shipments) {
            report(delayed(s[1], base, "-k1"));
            report(inTransit(s[1], base.plus(10, ChronoUnit.MINUTES), "-k2"));
            report(delayed(s[1], base.plus(20, ChronoUnit.MINUTES), "-k3"));
        }
        await("a call in flight at the subscriber", Duration.ofSeconds(90), () -> send("GET", url(SuiteSettings.SIMULATOR)
                + "/sim/subscribers/acme-kill/in-flight", null, null, 200).asInt(), n -> n > 0);
        assertThat(suite.kill(SuiteSettings.SERVICE_VIEW)).isTrue();
        suite.start(SuiteSettings.SERVICE_VIEW);
        send("POST", url(SuiteSettings.SIMULATOR) + "/sim/faults", Map.of("target", "subscriber", "delayMs", 1,
                "count", 0), null, 204);

        JsonNode log = await("every event at the subscriber", Duration.ofSeconds(120), () -> received("acme-kill"),
                l -> distinctIds(l) >= 6);
        List<JsonNode> calls = new ArrayList<>();
        log.forEach(calls::add);
        assertThat(calls).allSatisfy(c -> assertThat(c.path("signatureValid").asBoolean()).isTrue());
        // The call in flight when the sender died was taken by the subscriber, and sent again after the restart
        // under the same webhook-id: at least once, recognisably.
        assertThat(calls).anySatisfy(c -> assertThat(c.path("duplicate").asBoolean()).isTrue());
        for (String[] s : shipments) {
            List<JsonNode> mine = calls.stream().filter(c -> s[0].equals(c.path("shipmentId").asText())).toList();
            List<String> firstSeen = new ArrayList<>();
            List<String> times = new ArrayList<>();
            for (JsonNode c : mine) {
                if (!firstSeen.contains(c.path("webhookId").asText())) {
                    firstSeen.add(c.path("webhookId").asText());
                    times.add(JSON.readTree(c.path("body").asText()).path("data").path("eventDateTime").asText());
                }
            }
            assertThat(firstSeen).as("webhook ids of %s", s[0]).hasSize(3);
            assertThat(times).as("each shipment's events in its order").containsExactly(base.toString(),
                    base.plus(10, ChronoUnit.MINUTES).toString(), base.plus(20, ChronoUnit.MINUTES).toString());
            // Every repeat is of the one before it: nothing later overtook a repeated delivery.
            for (int i = 1; i < mine.size(); i++) {
                String id = mine.get(i).path("webhookId").asText();
                if (mine.get(i).path("duplicate").asBoolean()) {
                    assertThat(firstSeen.indexOf(id)).isGreaterThanOrEqualTo(firstSeen.indexOf(
                            mine.get(i - 1).path("webhookId").asText()));
                }
            }
        }
    }

    private static int distinctIds(JsonNode log) {
        List<String> ids = new ArrayList<>();
        log.forEach(c -> {
            if (!ids.contains(c.path("webhookId").asText())) {
                ids.add(c.path("webhookId").asText());
            }
        });
        return ids.size();
    }
}
