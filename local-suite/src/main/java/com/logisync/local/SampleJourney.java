package com.logisync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pushes one shipment through the running suite the way the outside world would: ERP releases an
 * order (under a trace of its own), the carrier reports delivery with a signed POD, and an agent
 * opens the case view. Returns (and prints) the journey: each stage with its ids, service and trace id.
 */
public final class SampleJourney {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STAGES_EXPECTED = List.of("ORDER_RELEASED", "DISPATCH_ACCEPTED", "DELIVERED",
            "POD_RECEIVED", "BILLING_ELIGIBLE", "INVOICE_ISSUED", "CRM_VIEW_UPDATED");

    /** What happened to the sample shipment. */
    public record Journey(String orderId, String shipmentId, String loadId, String traceId, String arrivalOutcome, String deliveryOutcome,
            JsonNode caseView, List<String> servicesInTrace, int spansInTrace, Duration elapsed) {

        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append("\nSample shipment journey (").append(elapsed.toMillis()).append(" ms)\n");
            sb.append("  ERP order ").append(orderId).append("  ->  shipment ").append(shipmentId)
                    .append("  ->  TMS load ").append(loadId).append('\n');
            sb.append("  trace id ").append(traceId).append("; carrier's arrival report ").append(arrivalOutcome)
                    .append(", delivery report ").append(deliveryOutcome).append('\n');
            sb.append(String.format("  %-18s %-26s %-24s %s%n", "STAGE", "COMPLETED", "BY", "TRACE"));
            for (JsonNode s : caseView.path("stages")) {
                String trace = s.path("traceId").asText("");
                sb.append(String.format("  %-18s %-26s %-24s %s%n", s.path("stage").asText(),
                        s.path("completedAt").asText(), s.path("service").asText(),
                        trace.equals(traceId) ? trace + " (same trace)" : trace));
            }
            sb.append("  status ").append(caseView.path("status").asText()).append(", billing ")
                    .append(caseView.path("billing").path("state").asText()).append(' ')
                    .append(caseView.path("billing").path("invoiceId").asText("")).append(' ')
                    .append(caseView.path("billing").path("total").asText("")).append(' ')
                    .append(caseView.path("billing").path("currency").asText("")).append(", POD signed by ")
                    .append(caseView.path("pod").path("signedBy").asText()).append('\n');
            sb.append("  exported spans in the trace: ").append(spansInTrace).append(" from ")
                    .append(servicesInTrace).append('\n');
            return sb.toString();
        }
    }

    private final SuiteSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final String token;
    private final String carrierToken;

    public SampleJourney(SuiteSettings settings) {
        this.settings = settings;
        this.token = new DevTokens(settings).suiteToken();
        this.carrierToken = new DevTokens(settings).carrierToken();
    }

    public Journey run() throws IOException, InterruptedException {
        Instant started = Instant.now();
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        String traceId = HexFormat.of().formatHex(id);
        String orderId = "ORD-SAMPLE-" + System.currentTimeMillis();

        masterData();

        JsonNode released = send("POST", settings.url(SuiteSettings.ORDER_SYNC) + "/api/v1/orders", order(orderId),
                "00-" + traceId + "-" + HexFormat.of().formatHex(id, 0, 8) + "-01", 201);
        String shipmentId = released.path("shipmentId").asText();

        JsonNode order = poll("order dispatched", () -> {
            JsonNode o = send("GET", settings.url(SuiteSettings.ORDER_SYNC) + "/api/v1/orders/" + orderId, null, null, 200);
            return "DISPATCHED".equals(o.path("status").asText()) ? o : null;
        });
        String loadId = order.path("dispatch").path("loadId").asText();

        // The carrier knows the load, not our shipment id; milestone-service resolves it (or parks the
        // report until it has learned the load from the orders topic).
        String arrivalOutcome = send("POST", settings.url(SuiteSettings.MILESTONE) + "/api/v1/milestones",
                arrived(loadId), null, 202, carrierToken).path("outcome").asText();
        poll("arrival on the case view", () -> {
            JsonNode v = send("GET", settings.url(SuiteSettings.SERVICE_VIEW) + "/api/v1/shipments/" + shipmentId, null,
                    null, -1);
            for (JsonNode m : v.path("milestones")) {
                if ("ARRIVED_DELIVERY".equals(m.path("milestone").asText())) {
                    return v;
                }
            }
            return null;
        });
        String deliveryOutcome = send("POST", settings.url(SuiteSettings.MILESTONE) + "/api/v1/milestones",
                delivered(loadId), null, 202, carrierToken).path("outcome").asText();

        JsonNode view = poll("case view complete", () -> {
            JsonNode v = send("GET", settings.url(SuiteSettings.SERVICE_VIEW) + "/api/v1/shipments/" + shipmentId, null,
                    null, -1);
            Set<String> stages = new LinkedHashSet<>();
            v.path("stages").forEach(s -> stages.add(s.path("stage").asText()));
            return stages.containsAll(STAGES_EXPECTED) && "INVOICED".equals(v.path("billing").path("state").asText())
                    ? v : null;
        });

        JsonNode spans = poll("spans exported", () -> {
            JsonNode s = send("GET", settings.traceSinkUrl() + "/spans?traceId=" + traceId, null, null, 200);
            Set<String> services = new LinkedHashSet<>();
            s.forEach(span -> {
                if (traceId.equals(span.path("traceId").asText())) {
                    services.add(span.path("service").asText());
                }
            });
            return services.size() >= 4 ? s : null;
        });
        List<String> services = new ArrayList<>();
        int inTrace = 0;
        for (JsonNode span : spans) {
            if (traceId.equals(span.path("traceId").asText())) {
                inTrace++;
                if (!services.contains(span.path("service").asText())) {
                    services.add(span.path("service").asText());
                }
            }
        }
        return new Journey(orderId, shipmentId, loadId, traceId, arrivalOutcome, deliveryOutcome, view, services, inTrace,
                Duration.between(started, Instant.now()));
    }

    /**
     * ERP's master data of the sample customer (idempotent: the same ERP version again changes nothing), and
     * the diesel index of this week and of the ship week (the order picks up tomorrow, Chicago time: the
     * contract's default fuel basis), for the fuel surcharge on the invoice.
     */
    public void masterData() throws IOException, InterruptedException {
        send("PUT", settings.url(SuiteSettings.ORDER_SYNC) + "/api/v1/customers/CUST-ACME", CUSTOMER, null, 0);
        send("PUT", settings.url(SuiteSettings.ORDER_SYNC) + "/api/v1/contracts/CTR-ACME-2026", CONTRACT, null, 0);
        LocalDate shipDay = LocalDate.now(ZoneId.of("America/Chicago")).plusDays(1);
        for (Instant day : List.of(Instant.now(), shipDay.atStartOfDay(ZoneId.of("America/Chicago")).toInstant()
                .plusSeconds(12 * 3600))) {
            send("PUT", settings.url(SuiteSettings.BILLING) + "/api/v1/fuel-index/" + isoWeek(day),
                    "{\"pricePerGallon\": 3.612, \"source\": \"sample journey\"}", null, 200);
        }
    }

    public static String isoWeek(Instant at) {
        java.time.LocalDate day = at.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        return String.format("%d-W%02d", day.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
                day.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private interface Probe {
        JsonNode get() throws IOException, InterruptedException;
    }

    private static JsonNode poll(String what, Probe probe) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode result = probe.get();
            if (result != null) {
                return result;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Timed out waiting for " + what);
    }

    private JsonNode send(String method, String url, String body, String traceparent, int expectedStatus)
            throws IOException, InterruptedException {
        return send(method, url, body, traceparent, expectedStatus, token);
    }

    private JsonNode send(String method, String url, String body, String traceparent, int expectedStatus, String bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Accept", "application/json").header("Authorization", "Bearer " + bearer);
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (expectedStatus > 0 && r.statusCode() != expectedStatus
                || expectedStatus == 0 && (r.statusCode() < 200 || r.statusCode() > 299)) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    public static final String CUSTOMER = """
            {"name": "Acme Manufacturing", "status": "ACTIVE", "creditHold": false, "timeZone": "America/Chicago",
             "servicePreferences": {"delayThresholdMinutes": 60, "notificationContacts": ["ops@acme.example"]},
             "erpVersion": 1}
            """;

    public static final String CONTRACT = """
            {"customerId": "CUST-ACME", "validFrom": "2026-01-01",
             "lanes": [{"originRegion": "US-TX", "destinationRegion": "US", "linehaulRate": 1450.00, "currency": "USD",
                        "serviceLevels": ["LTL_STANDARD", "FTL"], "minDeliveryWindowMinutes": 60, "maxWeightKg": 20000}],
             "accessorialRates": {"DET": 85.00, "LFT": 75.00}, "freeDetentionMinutes": 120, "detentionCap": 340.00,
             "fuelSurcharge": {"tableVersion": "FSC-2026-1",
                               "bands": [{"fromPrice": 3.00, "toPrice": 4.00, "percentOfLinehaul": 18.5}]},
             "hazmatAllowed": false, "erpVersion": 1}
            """;

    public static String order(String orderId) {
        ZoneId chicago = ZoneId.of("America/Chicago");
        LocalDate day = LocalDate.now(chicago).plusDays(1);
        ZonedDateTime pickup = day.atTime(8, 0).atZone(chicago);
        ZonedDateTime delivery = day.plusDays(1).atTime(8, 0).atZone(chicago);
        return """
                {"orderId": "%s", "customerId": "CUST-ACME", "serviceLevel": "LTL_STANDARD",
                 "lines": [{"pieces": 6, "weightKg": 2400, "hazmat": false, "description": "palletised auto parts"}],
                 "stops": [
                   {"type": "PICKUP", "name": "Acme DC Dallas", "locationCode": "USDAL",
                    "address": {"line1": "100 Commerce St", "city": "Dallas", "region": "TX", "postalCode": "75201", "country": "US"},
                    "zoneId": "America/Chicago", "window": {"start": "%s", "end": "%s"}},
                   {"type": "DELIVERY", "name": "Globex Store 17", "locationCode": "USHOU",
                    "address": {"line1": "9 Main St", "city": "Houston", "region": "TX", "postalCode": "77002", "country": "US"},
                    "zoneId": "America/Chicago", "window": {"start": "%s", "end": "%s"}}],
                 "references": {"poNumbers": ["PO-7781"], "bol": "BOL-%s"}}
                """.formatted(orderId, pickup.toOffsetDateTime(), pickup.plusHours(4).toOffsetDateTime(),
                delivery.toOffsetDateTime(), delivery.plusHours(9).toOffsetDateTime(), orderId);
    }

    public static String arrived(String loadId) {
        return """
                {"sourceEventId": "arr-%s", "partnerId": "SWIFT", "milestone": "ARRIVED_DELIVERY", "eventTime": "%s",
                 "references": {"loadId": "%s"}, "location": {"name": "Globex Store 17", "locationCode": "USHOU"}}
                """.formatted(loadId, Instant.now().minusSeconds(1800), loadId);
    }

    public static String delivered(String loadId) {
        String now = Instant.now().toString();
        return """
                {"sourceEventId": "pod-%s", "partnerId": "SWIFT", "milestone": "DELIVERED", "eventTime": "%s",
                 "references": {"loadId": "%s"}, "location": {"name": "Globex Store 17", "locationCode": "USHOU"},
                 "pod": {"signedBy": "J. Doe", "signedAt": "%s", "documentRef": "POD-%s"}}
                """.formatted(loadId, now, loadId, now, loadId);
    }
}
