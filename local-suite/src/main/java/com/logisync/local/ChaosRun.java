package com.logisync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.logisync.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The chaos suite: N shipments through every milestone channel (REST, batch, signed webhooks, X12 214,
 * the telematics topic), every report sent one to three times in shuffled order, across two replicas of
 * milestone-service and of billing-trigger-service, while every service is killed with SIGKILL once, the
 * broker restarts, PostgreSQL is stopped while webhooks and telematics keep arriving, and the TMS and ERP
 * fail and then answer late (applying the calls their callers gave up on). Then every case view, billing
 * case and ERP invoice is compared with the ground truth generated here.
 *
 * <p>Reporters behave like real partners: a call that fails for a reason of the server (refused connection,
 * 5xx, 429) is sent again, to either replica, until it is accepted; a 4xx is counted as a rejection.
 */
public final class ChaosRun {

    /** {@code scale} stretches every fault's duration: 1.0 is the published run (PostgreSQL down 60 s). */
    public record Options(int shipments, double scale, long seed, Duration settleTimeout) {

        public static Options full(int shipments) {
            return new Options(shipments, 1.0, 20261130L, Duration.ofMinutes(10));
        }
    }

    /** A fault as it was injected: what, when (seconds after the reports began), for how long. */
    public record Fault(String what, double atSeconds, double seconds) {
    }

    /** What the run found. Clean when nothing was lost, doubled, missing or wrong and the DLQs are empty. */
    public record Report(int shipments, int reportsSent, int callsMade, int callsRetried, int webhookCopiesReplayed,
            List<Fault> faults,
            int milestonesLost, int duplicatesPublished, int republished, int invoicesDoubled, int invoicesMissing,
            int billingWrong, int viewsWrong, int rejected, Map<String, Integer> deadLetters, List<String> findings,
            Duration timeToSettle, Duration elapsed, boolean settled, List<String> shipmentIds) {

        public boolean clean() {
            return settled && milestonesLost == 0 && duplicatesPublished == 0 && invoicesDoubled == 0
                    && invoicesMissing == 0 && billingWrong == 0 && viewsWrong == 0 && rejected == 0
                    && deadLetters.values().stream().allMatch(n -> n == 0);
        }

        public String describe() {
            StringBuilder sb = new StringBuilder("\nChaos run: ").append(shipments).append(" shipments, ")
                    .append(reportsSent).append(" reports sent (").append(callsMade).append(" calls, ")
                    .append(callsRetried).append(" retried by the reporters)\n");
            sb.append("  faults injected (s after the run began):\n");
            for (Fault f : faults) {
                sb.append(String.format("    %6.1f  %-58s %s%n", f.atSeconds(), f.what(),
                        f.seconds() > 0 ? String.format("%.0f s", f.seconds()) : ""));
            }
            sb.append(String.format("  %-34s %d%n", "milestones lost", milestonesLost));
            sb.append(String.format("  %-34s %d%n", "duplicates published", duplicatesPublished));
            sb.append(String.format("  %-34s %d%n", "records republished (same event id)", republished));
            sb.append(String.format("  %-34s %d%n", "invoices doubled", invoicesDoubled));
            sb.append(String.format("  %-34s %d%n", "invoices missing", invoicesMissing));
            sb.append(String.format("  %-34s %d%n", "billing cases wrong", billingWrong));
            sb.append(String.format("  %-34s %d%n", "case views wrong", viewsWrong));
            sb.append(String.format("  %-34s %d%n", "reports rejected (4xx)", rejected));
            sb.append(String.format("  %-34s %d%n", "identical webhook copies refused", webhookCopiesReplayed));
            sb.append(String.format("  %-34s %s%n", "dead-letter topics", deadLetters));
            sb.append(String.format("  %-34s %s%n", "time to settle after the faults",
                    settled ? timeToSettle.toMillis() / 1000.0 + " s" : "NOT SETTLED"));
            sb.append(String.format("  %-34s %d s%n", "whole run", elapsed.toSeconds()));
            findings.stream().limit(40).forEach(f -> sb.append("  ! ").append(f).append('\n'));
            sb.append(clean() ? "  RESULT: every shipment invoiced exactly once, correctly; nothing lost\n"
                    : "  RESULT: NOT CLEAN\n");
            return sb.toString();
        }
    }

    static final BigDecimal EXPECTED_TOTAL = new BigDecimal("1718.25");
    private static final List<String> MILESTONES = List.of("ARRIVED_PICKUP", "DEPARTED_PICKUP", "ARRIVED_DELIVERY",
            "DELIVERED");
    private static final List<String> CHANNELS = List.of("REST", "BATCH", "WEBHOOK", "X12", "TELEMATICS");
    private static final String WEBHOOK_PARTNER = "TRUCKSTREAM";
    private static final String WEBHOOK_SECRET = "local-truckstream-secret";
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One shipment of the ground truth. */
    private record Shipment(int index, String orderId, String channel, String signer) {
    }

    /** Learned once the order is dispatched. */
    private record Dispatched(String shipmentId, String loadId, String vehicle) {
    }

    /** One send of one report (a copy of it), or a batch of several. */
    private record Send(String channel, List<ObjectNode> items, String body, String key) {
    }

    private final LocalSuite suite;
    private final SuiteSettings settings;
    private final Options options;
    private final String run;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String token;
    private final String carrierToken;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<String> findings = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger replayedCopies = new AtomicInteger();
    private final AtomicInteger isa = new AtomicInteger();
    private volatile long reportsStartedNanos;
    /** The clock every fault's time is read on: the start of the run. */
    private final long t0 = System.nanoTime();
    /** ISA13s of this run: unique per sender across runs a day apart, and the same for every copy of a report. */
    private final long isaBase = System.currentTimeMillis() / 1000 % 90_000L * 10_000;

    public ChaosRun(LocalSuite suite, Options options) {
        this.suite = suite;
        this.settings = suite.settings();
        this.options = options;
        this.run = "CH" + Long.toString(System.currentTimeMillis() / 1000 % 10_000_000L, 36).toUpperCase();
        this.random = new Random(options.seed());
        DevTokens tokens = new DevTokens(settings);
        this.token = tokens.suiteToken();
        this.carrierToken = tokens.carrierToken();
    }

    public Report run() throws Exception {
        Instant started = Instant.now();
        say("chaos run " + run + ": " + options.shipments() + " shipments, faults at scale " + options.scale());
        for (String service : settings.replicaPorts().keySet()) {
            if (!suite.isRunning(SuiteSettings.replica(service))) {
                say("starting a second replica of " + service);
                suite.startReplica(service);
            }
        }
        new SampleJourney(settings).masterData();

        List<Shipment> truth = new ArrayList<>();
        for (int i = 0; i < options.shipments(); i++) {
            truth.add(new Shipment(i, "ORD-" + run + "-" + i, CHANNELS.get(i % CHANNELS.size()), "R GOMEZ " + i));
        }
        Map<Shipment, Dispatched> dispatched = releaseDuringTmsFaults(truth);

        List<Send> sends = reports(dispatched);
        say(sends.size() + " sends of " + truth.size() * MILESTONES.size() + " reports, shuffled");
        reportsStartedNanos = System.nanoTime();
        Instant faultsOver;
        try (KafkaProducer<String, String> telematics = telematicsProducer()) {
            ExecutorService reporters = Executors.newFixedThreadPool(4);
            ConcurrentLinkedQueue<Send> queue = new ConcurrentLinkedQueue<>(sends);
            // Paced so that the reports keep arriving through every fault below.
            long spreadNanos = (long) (faultScheduleSeconds() * 0.85 * 1e9);
            long perSendNanos = spreadNanos / Math.max(1, sends.size());
            AtomicInteger taken = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                running.add(reporters.submit(() -> {
                    Send s;
                    while ((s = queue.poll()) != null) {
                        long due = reportsStartedNanos + taken.getAndIncrement() * perSendNanos;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        deliver(s, telematics);
                    }
                    return null;
                }));
            }
            try {
                injectFaults();
                faultsOver = Instant.now();
                for (Future<?> f : running) {
                    f.get(15, TimeUnit.MINUTES);
                }
            } finally {
                reporters.shutdownNow();
            }
            telematics.flush();
        }
        say("faults over, every report accepted; waiting for the suite to settle");
        Verdict verdict = settle(truth, dispatched);
        // From the end of the last fault until every shipment, case view and invoice was right.
        Duration toSettle = Duration.between(faultsOver, Instant.now());
        Map<String, Integer> dlq = deadLetters(started);
        TopicCount published = milestonesPublished(dispatched, started);
        return new Report(truth.size(), truth.size() * MILESTONES.size(), calls.get(), retried.get(),
                replayedCopies.get(), List.copyOf(faults),
                published.lost(), published.duplicates(), published.republished(), verdict.doubled(), verdict.missing(),
                verdict.billingWrong(), verdict.viewsWrong(), rejected.get(), dlq, List.copyOf(findings),
                toSettle, Duration.between(started, Instant.now()), verdict.settled(),
                dispatched.values().stream().map(Dispatched::shipmentId).toList());
    }

    // ---------------------------------------------------------------- orders, while the TMS misbehaves

    private Map<Shipment, Dispatched> releaseDuringTmsFaults(List<Shipment> truth) throws Exception {
        long phase = System.nanoTime();
        int outage = seconds(60);
        fault("tms", "{\"target\": \"tms\", \"status\": 503, \"seconds\": " + outage + "}",
                "TMS answers 503", t0, outage);
        int half = truth.size() / 2;
        for (Shipment s : truth.subList(0, half)) {
            release(s);
        }
        kill(SuiteSettings.ORDER_SYNC, t0);
        for (Shipment s : truth.subList(half, truth.size())) {
            release(s);
        }
        sleepUntil(phase, outage);
        int slow = seconds(20);
        fault("tms", "{\"target\": \"tms\", \"delayMs\": 7000, \"seconds\": " + slow + "}",
                "TMS answers after 7 s (callers time out at 5 s), applies the call late", t0, slow);
        sleepUntil(phase, outage + slow);
        Map<Shipment, Dispatched> out = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (Shipment s : truth) {
            while (true) {
                JsonNode o = json(get(settings.url(SuiteSettings.ORDER_SYNC) + "/api/v1/orders/" + s.orderId()));
                if (o != null && "DISPATCHED".equals(o.path("status").asText())) {
                    out.put(s, new Dispatched(o.path("shipmentId").asText(), o.path("dispatch").path("loadId").asText(),
                            o.path("dispatch").path("vehicle").asText()));
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("order " + s.orderId() + " not dispatched after 5 min: " + o);
                }
                Thread.sleep(500);
            }
        }
        long loads = tmsLoadsOf(out.values().stream().map(Dispatched::shipmentId).toList());
        if (loads != out.size()) {
            findings.add("the TMS holds " + loads + " loads for " + out.size() + " orders");
        }
        say("all " + out.size() + " orders dispatched, one load each at the TMS: " + (loads == out.size()));
        return out;
    }

    private void release(Shipment s) throws Exception {
        String body = SampleJourney.order(s.orderId()).replace("PO-7781", "PO-" + s.orderId());
        call("release " + s.orderId(), List.of(settings.url(SuiteSettings.ORDER_SYNC)), "/api/v1/orders",
                "application/json", body, token, r -> r.statusCode() == 201 || r.statusCode() == 200);
    }

    private long tmsLoadsOf(List<String> shipmentIds) throws IOException, InterruptedException {
        JsonNode loads = json(get(settings.url(SuiteSettings.SIMULATOR) + "/tms/api/v1/loads"));
        Set<String> ids = Set.copyOf(shipmentIds);
        long n = 0;
        for (JsonNode l : loads) {
            if (ids.contains(l.path("shipmentReference").asText())) {
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- the reports

    private List<Send> reports(Map<Shipment, Dispatched> dispatched) {
        Instant now = Instant.now();
        List<Send> singles = new ArrayList<>();
        List<ObjectNode> batchItems = new ArrayList<>();
        for (Map.Entry<Shipment, Dispatched> e : dispatched.entrySet()) {
            Shipment s = e.getKey();
            Dispatched d = e.getValue();
            for (int m = 0; m < MILESTONES.size(); m++) {
                Instant at = now.minus(switch (m) {
                    case 0 -> Duration.ofMinutes(300);
                    case 1 -> Duration.ofMinutes(270);
                    case 2 -> Duration.ofMinutes(50);
                    default -> Duration.ofMinutes(20);
                });
                int copies = 1 + random.nextInt(3);
                for (int c = 0; c < copies; c++) {
                    switch (s.channel()) {
                        case "REST" -> singles.add(new Send("REST", null, rest(s, d, m, at).toString(), null));
                        case "BATCH" -> batchItems.add(rest(s, d, m, at));
                        case "WEBHOOK" -> singles.add(new Send("WEBHOOK", null, webhook(s, d, m, at), null));
                        case "X12" -> singles.add(new Send("X12", null, x12(s, d, m, at), null));
                        default -> singles.add(new Send("TELEMATICS", null, telematics(s, d, m, at), d.vehicle()));
                    }
                }
            }
        }
        Collections.shuffle(batchItems, random);
        for (int i = 0; i < batchItems.size(); i += 6) {
            singles.add(new Send("BATCH", batchItems.subList(i, Math.min(batchItems.size(), i + 6)), null, null));
        }
        Collections.shuffle(singles, random);
        return singles;
    }

    private ObjectNode rest(Shipment s, Dispatched d, int m, Instant at) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sourceEventId", "ch-" + s.orderId() + "-" + m);
        n.put("partnerId", LocalSuite.SAMPLE_CARRIER);
        n.put("milestone", MILESTONES.get(m));
        n.put("eventTime", at.toString());
        ObjectNode refs = n.putObject("references");
        if (s.index() % 2 == 0) {
            refs.put("loadId", d.loadId());
        } else {
            refs.put("po", "PO-" + s.orderId());
        }
        ObjectNode loc = n.putObject("location");
        loc.put("locationCode", m < 2 ? "USDAL" : "USHOU");
        loc.put("stopSequence", m < 2 ? 1 : 2);
        if (m == 3) {
            ObjectNode pod = n.putObject("pod");
            pod.put("signedBy", s.signer());
            pod.put("signedAt", at.toString());
            pod.put("documentRef", "POD-" + s.orderId());
        }
        return n;
    }

    private String webhook(Shipment s, Dispatched d, int m, Instant at) {
        String type = switch (m) {
            case 0, 2 -> "ARRIVAL";
            case 1 -> "DEPARTURE";
            default -> "DELIVERED";
        };
        ObjectNode body = JSON.createObjectNode();
        ObjectNode e = body.putObject("event");
        e.put("id", "ts-" + s.orderId() + "-" + m);
        e.put("type", type);
        e.put("occurredAt", at.atZone(CHICAGO).toOffsetDateTime().toString());
        ObjectNode stop = e.putObject("stop");
        stop.put("type", m < 2 ? "PICKUP" : "DELIVERY");
        stop.put("sequence", m < 2 ? 1 : 2);
        e.putObject("shipment").put("bol", "BOL-" + s.orderId());
        if (m == 3) {
            ObjectNode pod = e.putObject("pod");
            pod.put("signer", s.signer());
            pod.put("signedAt", at.toString());
        }
        return body.toString();
    }

    private String x12(Shipment s, Dispatched d, int m, Instant at) {
        LocalDateTime local = LocalDateTime.ofInstant(at, CHICAGO);
        String date = local.format(DateTimeFormatter.BASIC_ISO_DATE);
        String time = local.format(DateTimeFormatter.ofPattern("HHmm"));
        String code = switch (m) {
            case 0 -> "X3";
            case 1 -> "AF";
            case 2 -> "X1";
            default -> "D1";
        };
        List<String> body = new ArrayList<>(List.of("ST*214*0001", "B10*PRO-" + s.orderId() + "*BOL-" + s.orderId()
                + "*SWFT", "L11*" + d.loadId() + "*LO", "LX*1", "AT7*" + code + "*NS***" + date + "*" + time + "*LT",
                m < 2 ? "MS1*DALLAS*TX" : "MS1*HOUSTON*TX"));
        if (m == 3) {
            body.add("K1*SIGNED BY " + s.signer());
        }
        // A control number of its own per report (its copies repeat it, as a partner's resend does).
        String isa13 = String.format("%09d", isaBase + isaFor(s, m));
        String now = LocalDateTime.now(CHICAGO).format(DateTimeFormatter.ofPattern("yyMMdd*HHmm"));
        StringBuilder x = new StringBuilder("ISA*00*          *00*          *ZZ*SWFT           *ZZ*LOGISYNC       *")
                .append(now).append("*U*00401*").append(isa13).append("*0*P*>~GS*QM*SWFT*LOGISYNC*20")
                .append(now).append("*").append(isa13.substring(5)).append("*X*004010~");
        body.forEach(seg -> x.append(seg).append('~'));
        x.append("SE*").append(body.size() + 1).append("*0001~GE*1*").append(isa13.substring(5)).append("~IEA*1*")
                .append(isa13).append('~');
        return x.toString();
    }

    private final Map<String, Integer> isaNumbers = new ConcurrentHashMap<>();

    private int isaFor(Shipment s, int m) {
        return isaNumbers.computeIfAbsent(s.orderId() + "#" + m, k -> isa.incrementAndGet());
    }

    private String telematics(Shipment s, Dispatched d, int m, Instant at) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", m == 3 ? "POD" : "GEOFENCE");
        n.put("eventId", "tm-" + s.orderId() + "-" + m);
        n.put("vehicleId", d.vehicle());
        n.put("loadId", d.loadId());
        n.put("at", at.toString());
        if (m == 3) {
            n.put("signedBy", s.signer());
            n.put("documentRef", "POD-" + s.orderId());
        } else {
            ObjectNode fence = n.putObject("fence");
            fence.put("stopType", m < 2 ? "PICKUP" : "DELIVERY");
            fence.put("stopSequence", m < 2 ? 1 : 2);
            fence.put("transition", m == 1 ? "EXIT" : "ENTER");
        }
        return n.toString();
    }

    private void deliver(Send s, KafkaProducer<String, String> telematics) throws Exception {
        List<String> milestone = List.of(settings.url(SuiteSettings.MILESTONE),
                settings.url(SuiteSettings.replica(SuiteSettings.MILESTONE)));
        switch (s.channel()) {
            case "REST" -> call("report", milestone, "/api/v1/milestones", "application/json", s.body(), carrierToken,
                    r -> r.statusCode() == 202);
            case "BATCH" -> {
                ArrayNode items = JSON.createArrayNode();
                s.items().forEach(items::add);
                call("batch", milestone, "/api/v1/milestones/batch", "application/json", items.toString(), carrierToken,
                        r -> {
                            if (r.statusCode() != 200) {
                                return false;
                            }
                            if (r.body().contains("\"REJECTED\"")) {
                                rejected.incrementAndGet();
                                findings.add("batch item rejected: " + r.body());
                            }
                            return true;
                        });
            }
            case "WEBHOOK" -> call("webhook", milestone, "/api/v1/webhooks/" + WEBHOOK_PARTNER, "application/json",
                    s.body(), null, r -> {
                        if (r.statusCode() == 401 && r.body().contains("problem:replayed")) {
                            // Two copies sent in the same second are byte for byte the same signed call: the
                            // second is refused as a replay, as it should be. Whether the report got in is
                            // checked on the milestones topic.
                            replayedCopies.incrementAndGet();
                            return true;
                        }
                        return r.statusCode() / 100 == 2;
                    });
            case "X12" -> call("x12", milestone, "/api/v1/edi/x12", "application/edi-x12", s.body(), carrierToken, r -> {
                if (r.statusCode() != 200) {
                    return false;
                }
                if (!r.body().contains("AK5*A")) {
                    rejected.incrementAndGet();
                    findings.add("X12 not accepted: " + r.body());
                }
                return true;
            });
            default -> {
                calls.incrementAndGet();
                telematics.send(new ProducerRecord<>(Topics.TELEMATICS, s.key(), s.body())).get(10, TimeUnit.MINUTES);
            }
        }
    }

    /**
     * Sends until accepted, like a partner: refused connections, timeouts, 5xx and 429 are tried again (on
     * the next endpoint, after a backoff up to 2 s); any other answer is final, and not {@code ok} a rejection.
     */
    private void call(String what, List<String> endpoints, String path, String contentType, String body,
            String bearer, Function<HttpResponse<String>, Boolean> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long backoff = 200;
        for (int attempt = 0; ; attempt++) {
            calls.incrementAndGet();
            if (attempt > 0) {
                retried.incrementAndGet();
            }
            String base = endpoints.get(Math.floorMod(attempt + random.nextInt(2), endpoints.size()));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", contentType).header("Accept", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            } else {
                // A webhook: signed anew for every attempt, as the partner's redelivery does.
                String ts = Long.toString(Instant.now().getEpochSecond());
                b.header("X-LogiSync-Timestamp", ts).header("X-LogiSync-Signature", "sha256=" + hmac(ts + "." + body));
            }
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                int status = r.statusCode();
                if (status < 500 && status != 429) {
                    if (!ok.apply(r)) {
                        rejected.incrementAndGet();
                        findings.add(what + " answered " + status + ": " + abbreviate(r.body()));
                    }
                    return;
                }
            } catch (IOException e) {
                // the endpoint is down or restarting: try again
            }
            if (System.nanoTime() > deadline) {
                rejected.incrementAndGet();
                findings.add(what + " not accepted within 10 min");
                return;
            }
            Thread.sleep(backoff);
            backoff = Math.min(2000, backoff * 2);
        }
    }

    private static String hmac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private KafkaProducer<String, String> telematicsProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // The vehicle's gateway buffers while the broker restarts.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    // ---------------------------------------------------------------- the faults

    private double faultScheduleSeconds() {
        return 5 + 60 + seconds(60) + seconds(60) + seconds(30) + 60;
    }

    private void injectFaults() throws Exception {
        Thread.sleep(5_000);
        // A node lost: one replica of each scaled service at once; the other replica carries on.
        kill(SuiteSettings.MILESTONE, t0, SuiteSettings.BILLING);
        long brokerAt = System.nanoTime();
        suite.stop(LocalSuite.KAFKA);
        faults.add(new Fault("Kafka broker stopped and restarted", offset(brokerAt, t0), 0));
        suite.start(LocalSuite.KAFKA);
        awaitServicesReady();
        kill(SuiteSettings.replica(SuiteSettings.MILESTONE), t0);

        int dbDown = seconds(60);
        long dbAt = System.nanoTime();
        suite.stop(LocalSuite.POSTGRES);
        faults.add(new Fault("PostgreSQL stopped (webhooks and telematics keep arriving)", offset(dbAt, t0), dbDown));
        sleepUntil(dbAt, dbDown);
        suite.start(LocalSuite.POSTGRES);
        awaitServicesReady();

        long erpAt = System.nanoTime();
        int erpDown = seconds(60);
        fault("erp", "{\"target\": \"erp\", \"status\": 503, \"seconds\": " + erpDown + "}", "ERP answers 503", t0,
                erpDown);
        kill(SuiteSettings.replica(SuiteSettings.BILLING), t0, SuiteSettings.SERVICE_VIEW);
        sleepUntil(erpAt, erpDown);
        int slow = seconds(30);
        fault("erp", "{\"target\": \"erp\", \"delayMs\": 10000, \"seconds\": " + slow + "}",
                "ERP answers after 10 s (billing times out at 8 s), issues late", t0, slow);
        sleepUntil(erpAt, erpDown + slow);
    }

    /** SIGKILLs the components at once and restarts them (as Kubernetes would), waiting until they are ready. */
    private void kill(String component, long t0, String... more) throws Exception {
        List<String> all = new ArrayList<>(List.of(component));
        all.addAll(List.of(more));
        for (String c : all) {
            if (suite.kill(c)) {
                faults.add(new Fault("SIGKILL " + c, offset(System.nanoTime(), t0), 0));
            }
        }
        for (String c : all) {
            suite.launch(c);
        }
        for (String c : all) {
            suite.awaitReady(c);
        }
    }

    private void awaitServicesReady() throws InterruptedException {
        for (String c : suite.components()) {
            if (!List.of(LocalSuite.POSTGRES, LocalSuite.KAFKA).contains(c) && suite.isRunning(c)) {
                suite.awaitReady(c);
            }
        }
    }

    private void fault(String target, String json, String what, long t0, int seconds) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(settings.url(SuiteSettings.SIMULATOR)
                        + "/sim/faults")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 204) {
            throw new IllegalStateException("fault injection refused: " + r.body());
        }
        faults.add(new Fault(what, offset(System.nanoTime(), t0), seconds));
    }

    private int seconds(int full) {
        return (int) Math.max(5, Math.round(full * options.scale()));
    }

    private static double offset(long at, long t0) {
        return Math.max(0, (at - t0) / 1e9);
    }

    private static void sleepUntil(long t0, int seconds) throws InterruptedException {
        long wait = t0 + Duration.ofSeconds(seconds).toNanos() - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    // ---------------------------------------------------------------- the verdict

    private record Verdict(boolean settled, int doubled, int missing, int billingWrong, int viewsWrong) {
    }

    private Verdict settle(List<Shipment> truth, Map<Shipment, Dispatched> dispatched) throws Exception {
        long deadline = System.nanoTime() + options.settleTimeout().toNanos();
        Map<String, String> wrong = new TreeMap<>();
        while (true) {
            wrong.clear();
            Map<String, List<JsonNode>> invoices = erpInvoices();
            int doubled = 0;
            int missing = 0;
            int billingWrong = 0;
            int viewsWrong = 0;
            for (Shipment s : truth) {
                Dispatched d = dispatched.get(s);
                List<JsonNode> issued = invoices.getOrDefault(d.shipmentId(), List.of());
                if (issued.size() > 1) {
                    doubled++;
                    wrong.put(d.shipmentId() + " erp", issued.size() + " invoices at ERP");
                } else if (issued.isEmpty()) {
                    missing++;
                    wrong.put(d.shipmentId() + " erp", "no invoice at ERP");
                } else if (new BigDecimal(issued.get(0).path("total").asText("0")).compareTo(EXPECTED_TOTAL) != 0) {
                    wrong.put(d.shipmentId() + " erp", "invoice total " + issued.get(0).path("total").asText());
                    billingWrong++;
                }
                String billing = billingProblem(d);
                if (billing != null) {
                    billingWrong++;
                    wrong.put(d.shipmentId() + " billing", billing);
                }
                String view = viewProblem(s, d);
                if (view != null) {
                    viewsWrong++;
                    wrong.put(d.shipmentId() + " view", view);
                }
            }
            if (wrong.isEmpty() || System.nanoTime() > deadline) {
                wrong.forEach((k, v) -> findings.add(k + ": " + v));
                return new Verdict(wrong.isEmpty(), doubled, missing, billingWrong, viewsWrong);
            }
            Thread.sleep(2000);
        }
    }

    private Map<String, List<JsonNode>> erpInvoices() throws IOException, InterruptedException {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (JsonNode i : json(get(settings.url(SuiteSettings.SIMULATOR) + "/erp/api/v1/invoices"))) {
            if ("INVOICE".equals(i.path("documentType").asText("INVOICE"))) {
                out.computeIfAbsent(i.path("shipmentId").asText(), k -> new ArrayList<>()).add(i);
            }
        }
        return out;
    }

    private String billingProblem(Dispatched d) throws IOException, InterruptedException {
        JsonNode c = json(get(settings.url(SuiteSettings.BILLING) + "/api/v1/billing-cases/" + d.shipmentId()));
        if (c == null) {
            return "no billing case";
        }
        if (!"INVOICED".equals(c.path("status").asText())) {
            return "status " + c.path("status").asText();
        }
        BigDecimal total = new BigDecimal(c.path("invoice").path("total").asText("0"));
        return total.compareTo(EXPECTED_TOTAL) == 0 ? null : "invoice total " + total;
    }

    private String viewProblem(Shipment s, Dispatched d) throws IOException, InterruptedException {
        JsonNode v = json(get(settings.url(SuiteSettings.SERVICE_VIEW) + "/api/v1/shipments/" + d.shipmentId()));
        if (v == null) {
            return "no case view";
        }
        List<String> problems = new ArrayList<>();
        if (!"DELIVERED".equals(v.path("status").asText())) {
            problems.add("status " + v.path("status").asText());
        }
        if (!s.signer().equals(v.path("pod").path("signedBy").asText())) {
            problems.add("POD signer '" + v.path("pod").path("signedBy").asText() + "'");
        }
        if (!"INVOICED".equals(v.path("billing").path("state").asText())) {
            problems.add("billing " + v.path("billing").path("state").asText());
        } else if (new BigDecimal(v.path("billing").path("total").asText("0")).compareTo(EXPECTED_TOTAL) != 0) {
            problems.add("billing total " + v.path("billing").path("total").asText());
        }
        Map<String, Integer> seen = new TreeMap<>();
        for (JsonNode m : v.path("milestones")) {
            if (MILESTONES.contains(m.path("milestone").asText()) && !m.path("voided").asBoolean(false)) {
                seen.merge(m.path("milestone").asText(), 1, Integer::sum);
            }
        }
        for (String m : MILESTONES) {
            if (seen.getOrDefault(m, 0) != 1) {
                problems.add(m + " shown " + seen.getOrDefault(m, 0) + " times");
            }
        }
        return problems.isEmpty() ? null : String.join(", ", problems);
    }

    private record TopicCount(int lost, int duplicates, int republished) {
    }

    /**
     * Every MilestoneRecorded of the run's shipments on the milestones topic: a report missing is lost; a
     * second event id for one report is a duplicate the dedupe let through; the same event id twice is a
     * republication (the outbox relay's at-least-once), which the idempotent consumers absorb.
     */
    private TopicCount milestonesPublished(Map<Shipment, Dispatched> dispatched, Instant since) {
        Map<String, Shipment> byShipment = new LinkedHashMap<>();
        dispatched.forEach((s, d) -> byShipment.put(d.shipmentId(), s));
        Map<String, Set<String>> eventIdsByReport = new LinkedHashMap<>();
        Set<String> ceIds = new java.util.HashSet<>();
        int republished = 0;
        for (ConsumerRecord<String, String> r : readSince(Topics.MILESTONES, since)) {
            if (!byShipment.containsKey(r.key()) || !"com.logisync.milestone.recorded.v1".equals(header(r, "ce_type"))) {
                continue;
            }
            if (!ceIds.add(header(r, "ce_id"))) {
                republished++;
                continue;
            }
            try {
                JsonNode data = JSON.readTree(r.value());
                if (data.path("revision").asInt(1) > 1 && !data.path("eventId").asText().isEmpty()) {
                    continue; // a correction of an event already counted
                }
                eventIdsByReport.computeIfAbsent(r.key() + "/" + data.path("milestone").asText(),
                        k -> new java.util.HashSet<>()).add(data.path("eventId").asText());
            } catch (IOException e) {
                findings.add("unreadable MilestoneRecorded " + r.key());
            }
        }
        int lost = 0;
        int duplicates = 0;
        for (String shipmentId : byShipment.keySet()) {
            for (String m : MILESTONES) {
                Set<String> ids = eventIdsByReport.getOrDefault(shipmentId + "/" + m, Set.of());
                if (ids.isEmpty()) {
                    lost++;
                    findings.add(shipmentId + " " + m + " never published");
                } else if (ids.size() > 1) {
                    duplicates += ids.size() - 1;
                    findings.add(shipmentId + " " + m + " published as " + ids);
                }
            }
        }
        return new TopicCount(lost, duplicates, republished);
    }

    /** Records on every dead-letter topic since the run started, by topic; each one a finding with its reason. */
    private Map<String, Integer> deadLetters(Instant since) {
        Map<String, Integer> out = new TreeMap<>();
        for (String topic : Topics.ALL) {
            String dlq = Topics.deadLetter(topic);
            int n = 0;
            for (ConsumerRecord<String, String> r : readSince(dlq, since)) {
                if (r.timestamp() >= since.toEpochMilli()) {
                    n++;
                    findings.add(dlq + ": " + r.key() + " " + header(r, "dead-letter-reason") + " ("
                            + header(r, "logisync-dlq-service") + ")");
                }
            }
            out.put(dlq, n);
        }
        return out;
    }

    /**
     * Every record of the topic written since the run started (found by timestamp, so a topic that holds a
     * benchmark's millions of records is not read whole into memory), up to the end offsets taken now. Fails
     * rather than answer part of it: a partial read would report milestones as lost.
     */
    private List<ConsumerRecord<String, String>> readSince(String topic, Instant since) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            // A minute's margin for the broker's and this machine's clocks; the callers filter by content anyway.
            long from = since.minusSeconds(60).toEpochMilli();
            Map<TopicPartition, Long> at = new java.util.HashMap<>();
            parts.forEach(tp -> at.put(tp, from));
            c.offsetsForTimes(at, Duration.ofSeconds(30)).forEach((tp, found) -> c.seek(tp, found == null ? end.get(tp)
                    : found.offset()));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within 5 minutes");
                }
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- plumbing

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                        .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt >= 20) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static void say(String s) {
        System.out.println("[chaos] " + s);
    }
}
