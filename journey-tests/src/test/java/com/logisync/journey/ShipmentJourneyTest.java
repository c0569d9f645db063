package com.logisync.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.local.DevTokens;
import com.logisync.local.LocalSuite;
import com.logisync.local.SampleJourney;
import com.logisync.local.SuiteSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One shipment through all four services, each a separate JVM running its packaged jar, on a real
 * KRaft broker and a real PostgreSQL server, with spans exported over OTLP to the suite's sink.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShipmentJourneyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalSuite suite;
    private static SampleJourney.Journey journey;

    @BeforeAll
    static void startSuite() throws Exception {
        // A fresh broker and database each run: the assertions below count on this being the only shipment.
        suite = FreshSuite.create("journey", false);
        suite.up();
        journey = new SampleJourney(suite.settings()).run();
        System.out.println(journey.describe());
    }

    /** A test that stops half-way must not leave the TMS or ERP failing for the tests after it. */
    @AfterEach
    void clearPartnerFaults() throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(suite.settings().url(SuiteSettings.SIMULATOR) + "/sim/faults"))
                .timeout(Duration.ofSeconds(20)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.down();
        }
    }

    @Test
    @Order(1)
    void theShipmentCompletesEveryStageUnderTheTraceOfErpsRelease() {
        JsonNode view = journey.caseView();
        assertThat(view.path("orderId").asText()).isEqualTo(journey.orderId());
        assertThat(view.path("dispatch").path("loadId").asText()).isEqualTo(journey.loadId()).startsWith("LD-");
        assertThat(view.path("status").asText()).isEqualTo("DELIVERED");
        assertThat(view.path("pod").path("signedBy").asText()).isEqualTo("J. Doe");
        assertThat(view.path("billing").path("state").asText()).isEqualTo("INVOICED");
        // Sample contract: linehaul 1450.00 + 18.5 % fuel surcharge at the sample's diesel price of 3.612.
        assertThat(view.path("billing").path("total").decimalValue()).isEqualByComparingTo("1718.25");
        assertThat(view.path("billing").path("invoiceId").asText()).startsWith("INV-");
        // Billing's own case, as the agent sees it: every rule met, with its reason.
        assertThat(view.path("billing").path("rulesMet").asBoolean()).isTrue();
        assertThat(view.path("billing").path("checklist")).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(check -> assertThat(check.path("met").asBoolean()).as(check.toString()).isTrue());

        Map<String, String> serviceByStage = new LinkedHashMap<>();
        view.path("stages").forEach(s -> {
            serviceByStage.put(s.path("stage").asText(), s.path("service").asText());
            assertThat(s.path("traceId").asText()).as("trace of stage %s", s.path("stage").asText())
                    .isEqualTo(journey.traceId());
        });
        assertThat(serviceByStage).containsEntry("ORDER_RELEASED", "order-sync-service")
                .containsEntry("DISPATCH_ACCEPTED", "order-sync-service")
                .containsEntry("DELIVERED", "milestone-service")
                .containsEntry("POD_RECEIVED", "milestone-service")
                .containsEntry("BILLING_ELIGIBLE", "billing-trigger-service")
                .containsEntry("INVOICE_ISSUED", "billing-trigger-service")
                .containsEntry("CRM_VIEW_UPDATED", "service-view-service");
    }

    @Test
    @Order(2)
    void everyHttpKafkaAndBusinessSpanOfTheFlowCarriesTheOneTraceId() {
        // Spans arrive in batches (the exporter's schedule): assert until everything has been exported.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertTrace(allSpans()));
    }

    private void assertTrace(List<JsonNode> spans) {
        String trace = journey.traceId();

        List<JsonNode> inTrace = spans.stream().filter(s -> trace.equals(s.path("traceId").asText())).toList();
        Set<String> services = inTrace.stream().map(s -> s.path("service").asText()).collect(Collectors.toSet());
        assertThat(services).containsExactlyInAnyOrder("order-sync-service", "milestone-service",
                "billing-trigger-service", "service-view-service");

        assertThat(names(inTrace, "order-sync-service")).contains("POST /api/v1/orders", "release-order", "tms-create");
        for (String svc : List.of("milestone-service", "billing-trigger-service", "service-view-service")) {
            assertThat(kinds(inTrace, svc)).as("%s consumed the shipment's events in its trace", svc).contains("CONSUMER");
        }
        for (String svc : List.of("order-sync-service", "milestone-service", "billing-trigger-service")) {
            assertThat(kinds(inTrace, svc)).as("%s published in the shipment's trace", svc).contains("PRODUCER");
        }

        // Only one shipment ran: every Kafka span belongs to its trace, or to the trace of one of
        // ERP's master-data requests (the customer and contract sent before the order).
        Set<String> masterDataTraces = spans.stream()
                .filter(s -> s.path("kind").asText().equals("SERVER") && s.path("name").asText().startsWith("PUT /api/v1/"))
                .map(s -> s.path("traceId").asText()).collect(Collectors.toSet());
        assertThat(masterDataTraces).isNotEmpty().doesNotContain(trace);
        List<JsonNode> kafkaSpans = spans.stream()
                .filter(s -> Set.of("PRODUCER", "CONSUMER").contains(s.path("kind").asText())).toList();
        assertThat(kafkaSpans).isNotEmpty().allSatisfy(s -> assertThat(s.path("traceId").asText())
                .as("%s %s in %s", s.path("kind").asText(), s.path("name").asText(), s.path("service").asText())
                .isIn(Set.copyOf(union(masterDataTraces, trace))));
        assertThat(kafkaSpans).filteredOn(s -> trace.equals(s.path("traceId").asText())).hasSizeGreaterThanOrEqualTo(10);
        // The delivery report was resolved at once: the recording step joins the shipment's trace and
        // links the carrier's own request trace.
        assertThat(journey.deliveryOutcome()).isEqualTo("RECORDED");
        assertThat(journey.arrivalOutcome()).isIn("RECORDED", "PARKED");
        List<JsonNode> recordSteps = inTrace.stream().filter(s -> s.path("name").asText().equals("record-milestone"))
                .toList();
        assertThat(recordSteps).isNotEmpty().allSatisfy(step -> assertThat(step.path("attributes")
                .path("logisync.shipment_id").asText()).isEqualTo(journey.shipmentId()));
        Set<String> carrierTraces = spans.stream().filter(s -> s.path("name").asText().equals("POST /api/v1/milestones"))
                .map(s -> s.path("traceId").asText()).collect(Collectors.toSet());
        assertThat(carrierTraces).isNotEmpty().doesNotContain(trace);
        assertThat(recordSteps).anySatisfy(step -> assertThat(carrierTraces)
                .contains(step.path("linkedTraceIds").get(0).asText()));
        // Background polling (outbox relay, dispatch retry) leaves no traces of its own.
        assertThat(spans).noneMatch(s -> s.path("attributes").path("db.statement").asText().contains("pg_try_advisory_xact_lock"));
    }

    @Test
    @Order(3)
    void everyServiceServesHealthOpenApiSwaggerAndMetrics() throws Exception {
        for (String svc : suite.settings().servicePorts().keySet()) {
            String base = suite.settings().url(svc);
            // The three probe paths the Helm chart configures, and the rest of the /q surface.
            for (String path : List.of("/q/health/started", "/q/health/ready", "/q/health/live", "/q/openapi",
                    "/q/swagger-ui/", "/q/metrics")) {
                assertThat(get(base + path).statusCode()).as("%s%s", svc, path).isEqualTo(200);
            }
            assertThat(get(base + "/q/openapi").body()).contains("/api/v1/");
            if (!svc.equals(SuiteSettings.MILESTONE)) {
                // Each read service is ready only after its warm-up read (milestone-service's API writes).
                assertThat(get(base + "/q/health/ready").body()).as(svc).contains("\"Warm-up\"");
            }
            assertThat(get(base + "/q/metrics").body()).contains("jvm_memory_used_bytes");
        }
    }

    /**
     * Issue 20: every metric and label the chart's dashboards and alert rules name is one the packaged
     * services really expose after a journey (plus the labels Prometheus adds to a target: service, pod, ...).
     */
    @Test
    @Order(3)
    void everyDashboardAndAlertNamesOnlyMetricsAndLabelsTheServicesExpose() throws Exception {
        // The reader finds a name that is not there (so the check below can fail).
        MonitoringQueries.Query probe = MonitoringQueries.parse("probe",
                "sum by (stage) (rate(logisync_no_such_total{foo=\"1\", bar=~\"a|b\"}[5m])) / on (stage) max(up)");
        assertThat(probe.metrics()).containsExactly("logisync_no_such_total", "up");
        assertThat(probe.matcherLabels().get("logisync_no_such_total")).containsExactly("foo", "bar");
        assertThat(probe.groupingLabels()).containsExactly("stage");

        // The Kafka clients' metrics are bound to Micrometer by a poll every 60 s (KafkaClientMetrics): a
        // consumer's per-partition lag shows up within a minute of its first fetch.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (String svc : suite.settings().servicePorts().keySet()) {
                assertThat(get(suite.settings().url(svc) + "/q/metrics").body()).as(svc)
                        .contains("kafka_consumer_fetch_manager_records_lag{");
            }
        });
        Map<String, java.util.Set<String>> exposed = new java.util.HashMap<>();
        java.util.regex.Pattern labelName = java.util.regex.Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
        for (String svc : suite.settings().servicePorts().keySet()) {
            for (String line : get(suite.settings().url(svc) + "/q/metrics").body().split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int brace = line.indexOf('{');
                int space = line.indexOf(' ');
                String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
                java.util.Set<String> labels = exposed.computeIfAbsent(name, k -> new java.util.HashSet<>());
                if (brace >= 0 && brace < space) {
                    java.util.regex.Matcher m = labelName.matcher(line.substring(brace, line.indexOf('}', brace)));
                    while (m.find()) {
                        labels.add(m.group(1));
                    }
                }
            }
        }
        java.util.Set<String> targetLabels = java.util.Set.of("service", "pod", "namespace", "job", "instance",
                "container", "endpoint");
        List<MonitoringQueries.Query> queries = MonitoringQueries.all(Path.of(System.getProperty("logisync.repo")));
        assertThat(queries).hasSizeGreaterThan(60);
        List<String> problems = new java.util.ArrayList<>();
        for (MonitoringQueries.Query q : queries) {
            java.util.Set<String> labelsOfQuery = new java.util.HashSet<>(targetLabels);
            for (String metric : q.metrics()) {
                java.util.Set<String> labels = exposed.get(metric);
                if (labels == null) {
                    problems.add(q.where() + ": " + metric + " is not exposed by any service");
                    continue;
                }
                labelsOfQuery.addAll(labels);
                for (String label : q.matcherLabels().get(metric)) {
                    if (!labels.contains(label) && !targetLabels.contains(label)) {
                        problems.add(q.where() + ": " + metric + " has no label " + label);
                    }
                }
            }
            for (String label : q.groupingLabels()) {
                if (!labelsOfQuery.contains(label)) {
                    problems.add(q.where() + ": groups by " + label + ", which none of " + q.metrics() + " has");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    @Order(4)
    void ordersReleasedDuringATmsOutageSurviveARestartAndEachGetsExactlyOneLoad() throws Exception {
        String orderSync = suite.settings().url(SuiteSettings.ORDER_SYNC);
        String simulator = suite.settings().url(SuiteSettings.SIMULATOR);
        assertThat(post(simulator + "/sim/faults", "{\"target\": \"tms\", \"status\": 503, \"count\": 1000000}")
                .statusCode()).isEqualTo(204);
        Map<String, String> shipments = new LinkedHashMap<>();
        for (int i = 1; i <= 4; i++) {
            String orderId = "ORD-OUTAGE-" + i;
            HttpResponse<String> released = post(orderSync + "/api/v1/orders", SampleJourney.order(orderId));
            assertThat(released.statusCode()).as(released.body()).isEqualTo(201);
            JsonNode order = JSON.readTree(released.body());
            assertThat(order.path("status").asText()).isEqualTo("DISPATCH_PENDING");
            shipments.put(orderId, order.path("shipmentId").asText());
        }

        // The service goes down and comes back while the TMS is still out: the orders wait in its database.
        assertThat(suite.stop(SuiteSettings.ORDER_SYNC)).isTrue();
        suite.up();
        assertWarmedUp(orderSync, "order view", "ORD-");
        for (String orderId : shipments.keySet()) {
            JsonNode order = JSON.readTree(firstRead(orderSync + "/api/v1/orders/" + orderId));
            assertThat(order.path("status").asText()).as(orderId).isEqualTo("DISPATCH_PENDING");
            // The TMS's 503, or the open circuit breaker that spares it our calls.
            assertThat(order.path("dispatch").path("lastError").asText()).as(orderId)
                    .containsAnyOf("TMS answered 503", "circuit breaker is open");
        }

        assertThat(post(simulator + "/sim/faults", "{\"target\": \"tms\", \"status\": 503, \"count\": 0}")
                .statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String orderId : shipments.keySet()) {
                JsonNode order = JSON.readTree(get(orderSync + "/api/v1/orders/" + orderId).body());
                assertThat(order.path("status").asText()).as(orderId).isEqualTo("DISPATCHED");
            }
        });

        JsonNode loads = JSON.readTree(get(simulator + "/tms/api/v1/loads").body());
        for (Map.Entry<String, String> e : shipments.entrySet()) {
            List<String> loadIds = new ArrayList<>();
            loads.forEach(l -> {
                if (e.getValue().equals(l.path("shipmentReference").asText())) {
                    loadIds.add(l.path("loadId").asText());
                }
            });
            JsonNode order = JSON.readTree(get(orderSync + "/api/v1/orders/" + e.getKey()).body());
            assertThat(loadIds).as("loads at the TMS for " + e.getKey()).containsExactly(
                    order.path("dispatch").path("loadId").asText());
            assertThat(order.path("dispatch").path("attempts").asInt()).as(e.getKey()).isGreaterThan(1);
        }
    }

    @Test
    @Order(5)
    void aShipmentWhoseCarrierReportsOnlyByX12IsInvoicedEndToEnd() throws Exception {
        String orderSync = suite.settings().url(SuiteSettings.ORDER_SYNC);
        String orderId = "ORD-EDI-ONLY-1";
        HttpResponse<String> released = post(orderSync + "/api/v1/orders", SampleJourney.order(orderId));
        assertThat(released.statusCode()).as(released.body()).isEqualTo(201);
        String shipmentId = JSON.readTree(released.body()).path("shipmentId").asText();
        String loadId = await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(
                get(orderSync + "/api/v1/orders/" + orderId).body()).path("dispatch").path("loadId").asText(""),
                id -> !id.isEmpty());

        // The carrier's 214: arrival and delivery at Houston in local time, the signer in a K1 remark (its profile).
        java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneId.of("America/Chicago"));
        String date = now.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        String arrived = now.minusMinutes(40).format(java.time.format.DateTimeFormatter.ofPattern("HHmm"));
        String delivered = now.minusMinutes(5).format(java.time.format.DateTimeFormatter.ofPattern("HHmm"));
        List<String> body = List.of("ST*214*0001", "B10*PRO-EDI-1*BOL-" + orderId + "*SWFT", "L11*" + loadId + "*LO",
                "LX*1", "AT7*X1*NS***" + date + "*" + arrived + "*LT", "AT7*D1*NS***" + date + "*" + delivered + "*LT",
                "MS1*HOUSTON*TX", "K1*SIGNED BY J DOE");
        String isa13 = String.format("%09d", System.currentTimeMillis() % 1_000_000_000L);
        StringBuilder x12 = new StringBuilder("ISA*00*          *00*          *ZZ*SWFT           *ZZ*LOGISYNC       *"
                + date.substring(2) + "*" + delivered + "*U*00401*" + isa13 + "*0*P*>~GS*QM*SWFT*LOGISYNC*" + date + "*"
                + delivered + "*77*X*004010~");
        body.forEach(seg -> x12.append(seg).append('~'));
        x12.append("SE*").append(body.size() + 1).append("*0001~GE*1*77~IEA*1*").append(isa13).append('~');
        HttpResponse<String> ack = send(suite.settings().url(SuiteSettings.MILESTONE) + "/api/v1/edi/x12", x12.toString(),
                "application/edi-x12", "application/edi-x12", new DevTokens(suite.settings()).carrierToken());
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        assertThat(ack.body()).contains("ST*997*0001~", "AK1*QM*77~", "AK2*214*0001~", "AK5*A~", "AK9*A*1*1*1~");

        JsonNode invoiced = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
                () -> JSON.readTree(get(suite.settings().url(SuiteSettings.BILLING) + "/api/v1/billing-cases/"
                        + shipmentId).body()), c -> "INVOICED".equals(c.path("status").asText()));
        assertThat(invoiced.path("invoice").path("total").decimalValue()).isPositive();
        JsonNode view = await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(get(
                suite.settings().url(SuiteSettings.SERVICE_VIEW) + "/api/v1/shipments/" + shipmentId).body()),
                v -> "INVOICED".equals(v.path("billing").path("state").asText()));
        assertThat(view.path("pod").path("signedBy").asText()).isEqualTo("J DOE");
        assertThat(view.path("status").asText()).isEqualTo("DELIVERED");
        assertThat(view.path("milestones").findValuesAsText("source")).contains("X12_214");
    }

    @Test
    @Order(6)
    void invoicesAskedDuringAnErpOutageSurviveABillingRestartAndEachShipmentIsInvoicedExactlyOnce() throws Exception {
        String orderSync = suite.settings().url(SuiteSettings.ORDER_SYNC);
        String billing = suite.settings().url(SuiteSettings.BILLING);
        String simulator = suite.settings().url(SuiteSettings.SIMULATOR);
        assertThat(post(simulator + "/sim/faults", "{\"target\": \"erp\", \"status\": 503, \"count\": 1000000}")
                .statusCode()).isEqualTo(204);
        List<String> shipments = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> released = post(orderSync + "/api/v1/orders", SampleJourney.order("ORD-ERP-OUTAGE-" + i));
            assertThat(released.statusCode()).as(released.body()).isEqualTo(201);
            shipments.add(JSON.readTree(released.body()).path("shipmentId").asText());
        }
        for (int i = 1; i <= 2; i++) {
            String orderId = "ORD-ERP-OUTAGE-" + i;
            String loadId = await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(
                    get(orderSync + "/api/v1/orders/" + orderId).body()).path("dispatch").path("loadId").asText(""),
                    id -> !id.isEmpty());
            assertThat(send(suite.settings().url(SuiteSettings.MILESTONE) + "/api/v1/milestones",
                    SampleJourney.delivered(loadId), "application/json", "application/json",
                    new DevTokens(suite.settings()).carrierToken()).statusCode()).isEqualTo(202);
        }
        // Rated, frozen and asked for: ERP answers 503 (or the circuit breaker spares it our calls).
        for (String shipmentId : shipments) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode c = JSON.readTree(get(billing + "/api/v1/billing-cases/" + shipmentId).body());
                assertThat(c.path("status").asText()).as(shipmentId).isEqualTo("INVOICE_REQUESTED");
                assertThat(c.path("invoice").path("lastError").asText()).as(shipmentId)
                        .containsAnyOf("ERP answered 503", "circuit breaker is open");
            });
        }

        // billing goes down and comes back while ERP is still out: the requests wait in its database.
        assertThat(suite.stop(SuiteSettings.BILLING)).isTrue();
        suite.up();
        // Ready only once it has read a billing case as the API does (WarmUpReadiness).
        assertWarmedUp(billing, "billing case view", "SHP-");
        for (String shipmentId : shipments) {
            JsonNode c = JSON.readTree(firstRead(billing + "/api/v1/billing-cases/" + shipmentId));
            assertThat(c.path("status").asText()).as(shipmentId).isEqualTo("INVOICE_REQUESTED");
        }

        assertThat(post(simulator + "/sim/faults", "{\"target\": \"erp\", \"status\": 503, \"count\": 0}")
                .statusCode()).isEqualTo(204);
        for (String shipmentId : shipments) {
            JsonNode invoiced = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
                    () -> JSON.readTree(get(billing + "/api/v1/billing-cases/" + shipmentId).body()),
                    c -> "INVOICED".equals(c.path("status").asText()));
            String invoiceId = invoiced.path("invoice").path("invoiceId").asText();
            // What ERP received: every request under the one key, one invoice issued, the one billing recorded.
            JsonNode requests = JSON.readTree(get(simulator + "/erp/api/v1/invoices/requests?shipmentId=" + shipmentId)
                    .body());
            Set<String> keys = new java.util.HashSet<>();
            Set<String> issued = new java.util.HashSet<>();
            requests.forEach(r -> {
                keys.add(r.path("idempotencyKey").asText());
                if (r.hasNonNull("invoiceId")) {
                    issued.add(r.path("invoiceId").asText());
                }
            });
            assertThat(requests.size()).as("requests ERP received for " + shipmentId).isGreaterThan(1);
            assertThat(keys).containsExactly(shipmentId + ":rating-1");
            assertThat(issued).containsExactly(invoiceId);
            JsonNode invoices = JSON.readTree(get(simulator + "/erp/api/v1/invoices").body());
            List<String> forShipment = new ArrayList<>();
            invoices.forEach(i -> {
                if (shipmentId.equals(i.path("shipmentId").asText())) {
                    forShipment.add(i.path("invoiceId").asText());
                }
            });
            assertThat(forShipment).as("invoices ERP issued for " + shipmentId).containsExactly(invoiceId);
        }
    }

    @Test
    @Order(7)
    void detentionReportedAfterTheInvoiceIsBilledOnASupplementaryInvoiceExactlyOnce() throws Exception {
        String orderSync = suite.settings().url(SuiteSettings.ORDER_SYNC);
        String billing = suite.settings().url(SuiteSettings.BILLING);
        String simulator = suite.settings().url(SuiteSettings.SIMULATOR);
        String carrier = new DevTokens(suite.settings()).carrierToken();
        // The delivery appointment was five hours ago (its window still open): the truck is on the clock from
        // its arrival four hours ago until it left half an hour ago, 210 minutes, 90 beyond the 120 free.
        java.time.ZoneId chicago = java.time.ZoneId.of("America/Chicago");
        Instant now = Instant.now();
        java.time.ZonedDateTime pickup = now.minus(Duration.ofHours(7)).atZone(chicago);
        java.time.ZonedDateTime delivery = now.minus(Duration.ofHours(5)).atZone(chicago);
        assertThat(put(billing + "/api/v1/fuel-index/" + SampleJourney.isoWeek(
                pickup.toLocalDate().atTime(12, 0).toInstant(java.time.ZoneOffset.UTC)),
                "{\"pricePerGallon\": 3.612, \"source\": \"journey\"}").statusCode()).isEqualTo(200);
        String orderId = "ORD-LATE-DET-1";
        String order = SampleJourney.order(orderId).replaceAll("\"window\": \\{[^}]*}", "WINDOW")
                .replaceFirst("WINDOW", "\"window\": {\"start\": \"" + pickup.toOffsetDateTime() + "\", \"end\": \""
                        + pickup.plusHours(8).toOffsetDateTime() + "\"}")
                .replaceFirst("WINDOW", "\"window\": {\"start\": \"" + delivery.toOffsetDateTime() + "\", \"end\": \""
                        + delivery.plusHours(10).toOffsetDateTime() + "\"}");
        HttpResponse<String> released = post(orderSync + "/api/v1/orders", order);
        assertThat(released.statusCode()).as(released.body()).isEqualTo(201);
        String shipmentId = JSON.readTree(released.body()).path("shipmentId").asText();
        String loadId = await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(
                get(orderSync + "/api/v1/orders/" + orderId).body()).path("dispatch").path("loadId").asText(""),
                id -> !id.isEmpty());
        assertThat(send(suite.settings().url(SuiteSettings.MILESTONE) + "/api/v1/milestones",
                SampleJourney.delivered(loadId), "application/json", "application/json", carrier).statusCode())
                .isEqualTo(202);
        JsonNode invoiced = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
                () -> JSON.readTree(get(billing + "/api/v1/billing-cases/" + shipmentId).body()),
                c -> "INVOICED".equals(c.path("status").asText()));
        String invoiceId = invoiced.path("invoice").path("invoiceId").asText();
        assertThat(invoiced.path("invoice").path("total").decimalValue()).isEqualByComparingTo("1718.25");

        // Then the carrier reports the stop's arrival and departure, the departure twice.
        for (String[] stay : List.of(new String[] {"arr", "ARRIVED_DELIVERY", now.minus(Duration.ofHours(4)).toString()},
                new String[] {"dep", "DEPARTED_DELIVERY", now.minus(Duration.ofMinutes(30)).toString()},
                new String[] {"dep", "DEPARTED_DELIVERY", now.minus(Duration.ofMinutes(30)).toString()})) {
            String report = ("{\"sourceEventId\": \"%s-%s\", \"partnerId\": \"SWIFT\", \"milestone\": \"%s\","
                    + " \"eventTime\": \"%s\", \"references\": {\"loadId\": \"%s\"}}").formatted(stay[0], loadId,
                    stay[1], stay[2], loadId);
            assertThat(send(suite.settings().url(SuiteSettings.MILESTONE) + "/api/v1/milestones", report,
                    "application/json", "application/json", carrier).statusCode()).isEqualTo(202);
        }

        JsonNode supplemented = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
                () -> JSON.readTree(get(billing + "/api/v1/billing-cases/" + shipmentId).body()),
                c -> c.path("documents").size() == 2 && "ISSUED".equals(c.path("documents").get(1).path("state").asText()));
        JsonNode supplement = supplemented.path("documents").get(1);
        assertThat(supplement.path("kind").asText()).isEqualTo("SUPPLEMENTARY_INVOICE");
        assertThat(supplement.path("idempotencyKey").asText()).isEqualTo(shipmentId + ":supplement-2");
        // 90 billable minutes: 2 started hours at 85.00.
        assertThat(supplement.path("total").decimalValue()).isEqualByComparingTo("170.00");
        assertThat(supplement.path("lines").get(0).path("code").asText()).isEqualTo("DTU");

        // The simulated ERP issued exactly two documents, the supplement referring to the invoice.
        JsonNode invoices = JSON.readTree(get(simulator + "/erp/api/v1/invoices").body());
        List<JsonNode> forShipment = new ArrayList<>();
        invoices.forEach(i -> {
            if (shipmentId.equals(i.path("shipmentId").asText())) {
                forShipment.add(i);
            }
        });
        assertThat(forShipment).extracting(i -> i.path("documentType").asText())
                .containsExactly("INVOICE", "SUPPLEMENTARY_INVOICE");
        assertThat(forShipment.get(1).path("originalInvoiceId").asText()).isEqualTo(invoiceId);
        assertThat(forShipment.get(1).path("total").decimalValue()).isEqualByComparingTo("170.00");
        // The agent sees both documents on the case view.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(JSON.readTree(get(
                suite.settings().url(SuiteSettings.SERVICE_VIEW) + "/api/v1/shipments/" + shipmentId).body())
                .path("billing").path("documents").findValuesAsText("kind"))
                .containsExactly("INVOICE", "SUPPLEMENTARY_INVOICE"));
    }

    @Test
    @Order(8)
    void readinessGoesDownWhenKafkaAndThenTheDatabaseGoAwayWhileLivenessStaysUp() throws Exception {
        suite.stop(LocalSuite.KAFKA);
        for (String svc : suite.settings().servicePorts().keySet()) {
            String base = suite.settings().url(svc);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<String> ready = get(base + "/q/health/ready");
                assertThat(ready.statusCode()).as(svc + " ready without Kafka").isEqualTo(503);
                assertThat(ready.body()).contains("\"status\": \"DOWN\"");
            });
            assertThat(get(base + "/q/health/live").statusCode()).as(svc + " live").isEqualTo(200);
        }
        suite.stop(LocalSuite.POSTGRES);
        for (String svc : suite.settings().servicePorts().keySet()) {
            String base = suite.settings().url(svc);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(base + "/q/health/ready").body())
                    .as(svc + " database check").containsPattern("(?s)PostgreSQL.*?\"status\": \"DOWN\""));
        }
    }

    private List<JsonNode> allSpans() throws IOException, InterruptedException {
        JsonNode all = JSON.readTree(get(suite.settings().traceSinkUrl() + "/spans").body());
        List<JsonNode> out = new ArrayList<>();
        all.forEach(out::add);
        return out;
    }

    private static Set<String> union(Set<String> set, String one) {
        Set<String> all = new java.util.HashSet<>(set);
        all.add(one);
        return all;
    }

    private static Set<String> names(List<JsonNode> spans, String service) {
        return spans.stream().filter(s -> service.equals(s.path("service").asText()))
                .map(s -> s.path("name").asText()).collect(Collectors.toSet());
    }

    private static Set<String> kinds(List<JsonNode> spans, String service) {
        return spans.stream().filter(s -> service.equals(s.path("service").asText()))
                .map(s -> s.path("kind").asText()).collect(Collectors.toSet());
    }

    /**
     * Issue 20: the ops console in Debian's Chromium. A shipment the TMS refuses (stuck: DISPATCH_FAILED)
     * and whose POD came from a partner the load is not dispatched to (an open UNVERIFIED_POD task):
     * an unauthenticated visit and a forged token are refused; signed in, the overview counts it, the
     * stuck list names it with its reason, its BOL finds it, and resolving its task on its page resolves
     * the task. At a laptop's width, then the same shipment page at a tablet's. Screenshots of each step
     * in journey-tests/target/screenshots/.
     */
    @Test
    @Order(3)
    void theOpsConsoleShowsAStuckShipmentFindsItByBolAndResolvesItsTaskInARealBrowser() throws Exception {
        String orderSync = suite.settings().url(SuiteSettings.ORDER_SYNC);
        String view = suite.settings().url(SuiteSettings.SERVICE_VIEW);
        String simulator = suite.settings().url(SuiteSettings.SIMULATOR);
        String orderId = "ORD-CONSOLE-1";
        // The TMS refuses the load three times: the order is DISPATCH_FAILED.
        assertThat(post(simulator + "/sim/faults", "{\"target\": \"tms\", \"status\": 422, \"count\": 3}")
                .statusCode()).isEqualTo(204);
        HttpResponse<String> released = post(orderSync + "/api/v1/orders", SampleJourney.order(orderId));
        assertThat(released.statusCode()).as(released.body()).isEqualTo(201);
        String shipmentId = JSON.readTree(released.body()).path("shipmentId").asText();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
                get(view + "/api/v1/transactions/stuck?limit=500").body()).contains(shipmentId).contains("DISPATCH_FAILED"));
        // A POD from a partner whose carriers the load is not dispatched to: an UNVERIFIED_POD task opens.
        String rogue = new DevTokens(suite.settings()).token("rogue-tms", Map.of("partner", "ROGUE"), "carrier");
        String pod = ("{\"sourceEventId\": \"console-pod-1\", \"partnerId\": \"ROGUE\", \"milestone\": \"DELIVERED\","
                + " \"eventTime\": \"%s\", \"references\": {\"bol\": \"BOL-%s\"}, \"pod\": {\"signedBy\": \"R. Ogue\","
                + " \"signedAt\": \"%s\"}}").formatted(Instant.now().minusSeconds(600), orderId,
                Instant.now().minusSeconds(600));
        assertThat(send(suite.settings().url(SuiteSettings.MILESTONE) + "/api/v1/milestones", pod, "application/json",
                "application/json", rogue).statusCode()).isEqualTo(202);
        String taskId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (JsonNode t : JSON.readTree(get(view + "/api/v1/shipments/" + shipmentId).body()).path("serviceTasks")) {
                if ("OPEN".equals(t.path("status").asText())) {
                    return t.path("taskId").asText();
                }
            }
            return null;
        }, java.util.Objects::nonNull);
        // What the console will be given: a console user's token (ops and service-agent), not the suite's.
        String consoleToken = new DevTokens(suite.settings()).token("ops-7", Map.of(), "ops", "service-agent");

        org.openqa.selenium.chrome.ChromeDriver browser = Browser.start(1366, 900);
        try {
            // A page re-renders its section: an element found a moment ago may be replaced (stale) by then.
            org.openqa.selenium.support.ui.FluentWait<org.openqa.selenium.WebDriver> wait =
                    new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(20))
                            .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            // Unauthenticated: the sign-in form, nothing else; a forged token is refused by the API.
            browser.get(view + "/console/#/stuck");
            wait.until(d -> d.findElement(org.openqa.selenium.By.id("sign-in")).isDisplayed());
            assertThat(browser.findElement(org.openqa.selenium.By.id("nav")).isDisplayed()).isFalse();
            assertThat(browser.findElement(org.openqa.selenium.By.id("view")).isDisplayed()).isFalse();
            assertThat(browser.findElement(org.openqa.selenium.By.id("status")).getText())
                    .isEqualTo("Sign in to see this page.");
            browser.findElement(org.openqa.selenium.By.id("token")).sendKeys(consoleToken.substring(0,
                    consoleToken.lastIndexOf('.') + 1) + "forged");
            browser.findElement(org.openqa.selenium.By.cssSelector("#sign-in-form button")).click();
            wait.until(d -> d.findElement(org.openqa.selenium.By.id("status")).getText().contains("refused (401)"));
            assertThat(browser.findElement(org.openqa.selenium.By.id("view")).isDisplayed()).isFalse();
            Browser.screenshot(browser, "1-unauthenticated-refused");

            // Signed in: the overview counts the stuck shipment.
            browser.findElement(org.openqa.selenium.By.id("token")).sendKeys(consoleToken);
            browser.findElement(org.openqa.selenium.By.cssSelector("#sign-in-form button")).click();
            wait.until(d -> d.findElement(org.openqa.selenium.By.id("view-title")).getText().equals("Stuck shipments"));
            browser.get(view + "/console/#/overview");
            wait.until(d -> d.findElements(org.openqa.selenium.By.cssSelector("#stuck-counts [data-reason=DISPATCH_FAILED] .n"))
                    .size() == 1);
            assertThat(Integer.parseInt(browser.findElement(org.openqa.selenium.By.cssSelector(
                    "#stuck-counts [data-reason=DISPATCH_FAILED] .n")).getText())).isGreaterThanOrEqualTo(1);
            assertThat(Integer.parseInt(browser.findElement(org.openqa.selenium.By.cssSelector(
                    "#stage-counts [data-stage=ORDER_RELEASED] .n")).getText())).isGreaterThanOrEqualTo(2);
            assertThat(browser.findElements(org.openqa.selenium.By.cssSelector("svg.spark"))).hasSize(11);
            // The dead-letter topics service-view reads, with the records each holds (none here).
            assertThat(browser.findElement(org.openqa.selenium.By.cssSelector(
                    "#dlq-depths [data-dlq='logisync.milestones.v1.dlq'] .n")).getText()).isEqualTo("0");
            Browser.screenshot(browser, "2-overview");

            // The stuck list names it with its reason, by keyboard: the nav link is focused and followed.
            org.openqa.selenium.WebElement stuckLink = browser.findElement(
                    org.openqa.selenium.By.cssSelector("nav a[data-section=stuck]"));
            stuckLink.sendKeys(org.openqa.selenium.Keys.ENTER);
            wait.until(d -> d.findElement(org.openqa.selenium.By.id("view-title")).getText().equals("Stuck shipments"));
            assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("view-title");
            org.openqa.selenium.WebElement row = wait.until(d -> d.findElements(org.openqa.selenium.By.xpath(
                    "//tr[td/a[text()='" + shipmentId + "']]")).stream().findFirst().orElse(null));
            assertThat(row.getText()).contains("DISPATCH_FAILED").contains("the TMS refused the dispatch");
            Browser.screenshot(browser, "3-stuck");

            // Its BOL finds it and opens its page: stages, trace id, the unverified POD's task.
            browser.findElement(org.openqa.selenium.By.cssSelector("nav a[data-section=search]")).click();
            org.openqa.selenium.WebElement key = wait.until(d -> d.findElement(org.openqa.selenium.By.id("key")));
            assertThat(browser.findElement(org.openqa.selenium.By.cssSelector("label[for=key]")).getText())
                    .isEqualTo("Business key");
            key.sendKeys("BOL-" + orderId, org.openqa.selenium.Keys.ENTER);
            wait.until(d -> d.findElement(org.openqa.selenium.By.id("view-title")).getText()
                    .equals("Shipment " + shipmentId));
            assertThat(browser.getCurrentUrl()).endsWith("#/shipment/" + shipmentId);
            assertThat(browser.findElement(org.openqa.selenium.By.id("trace-id")).getText()).matches("[0-9a-f]{32}");
            assertThat(browser.findElement(org.openqa.selenium.By.tagName("main")).getText())
                    .contains("DISPATCH_FAILED").contains("DELIVERED").contains("R. Ogue");
            org.openqa.selenium.WebElement task = browser.findElement(org.openqa.selenium.By.cssSelector(
                    ".task[data-task='" + taskId + "']"));
            assertThat(task.findElement(org.openqa.selenium.By.className("task-status")).getText()).isEqualTo("OPEN");
            Browser.screenshot(browser, "4-shipment");

            // Resolving the task on the page resolves it, by the token's user.
            task.findElement(org.openqa.selenium.By.cssSelector("input[name=resolution]"))
                    .sendKeys("Called Swift: their own POD follows");
            task.findElement(org.openqa.selenium.By.cssSelector("button[type=submit]")).click();
            wait.until(d -> d.findElement(org.openqa.selenium.By.cssSelector(".task[data-task='" + taskId + "'] .task-status"))
                    .getText().equals("RESOLVED"));
            assertThat(browser.findElement(org.openqa.selenium.By.cssSelector(".task[data-task='" + taskId + "']")).getText())
                    .contains("Resolved by ops-7: Called Swift: their own POD follows");
            JsonNode resolved = null;
            for (JsonNode t : JSON.readTree(get(view + "/api/v1/shipments/" + shipmentId).body()).path("serviceTasks")) {
                if (taskId.equals(t.path("taskId").asText())) {
                    resolved = t;
                }
            }
            assertThat(resolved).isNotNull();
            assertThat(resolved.path("status").asText()).isEqualTo("RESOLVED");
            assertThat(resolved.path("resolvedBy").asText()).isEqualTo("ops-7");
            Browser.screenshot(browser, "5-task-resolved");

            // A tablet's width: the same page, nothing wider than the window.
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(820, 1180));
            browser.navigate().refresh();
            wait.until(d -> d.findElement(org.openqa.selenium.By.id("view-title")).getText()
                    .equals("Shipment " + shipmentId));
            Object overflow = browser.executeScript(
                    "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
            assertThat(overflow).isEqualTo(false);
            Browser.screenshot(browser, "6-shipment-tablet");
        } finally {
            browser.quit();
        }
    }

    private static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + new DevTokens(suite.settings()).suiteToken())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String url, String body, String contentType, String accept, String token)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType).header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(String url, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + new DevTokens(suite.settings()).suiteToken())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The readiness check says the service read one {@code what} ({@code id}…) before it became ready. */
    private static void assertWarmedUp(String base, String what, String idPrefix) throws Exception {
        HttpResponse<String> ready = get(base + "/q/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode check = null;
        for (JsonNode c : JSON.readTree(ready.body()).path("checks")) {
            if (c.path("name").asText().equals("Warm-up")) {
                check = c;
            }
        }
        assertThat(check).as(ready.body()).isNotNull();
        assertThat(check.path("status").asText()).isEqualTo("UP");
        assertThat(check.path("data").path(what).asText()).as(ready.body())
                .matches("\\d+ ms, " + java.util.regex.Pattern.quote(idPrefix) + "\\S+, \\d+ bytes");
    }

    /**
     * The body of a service's first answer after its restart. Its JVM was cold: before the warm-up
     * (WarmUpReadiness) its first request (the token's check, the database's first connection, the view's
     * serializers) took 2 s here and more than the 10 s {@link #get} allows on a slower CI machine. The
     * warm-up reads one record before the service is ready, but the token's first check is still
     * ahead; so it is asked again after a timeout, for up to a minute; any answer but 200 fails.
     */
    private static String firstRead(String url) {
        HttpResponse<String> answer = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptionsInstanceOf(HttpTimeoutException.class).until(() -> get(url), r -> true);
        assertThat(answer.statusCode()).as(url + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + new DevTokens(suite.settings()).suiteToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
