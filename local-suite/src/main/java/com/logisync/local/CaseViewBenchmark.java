package com.logisync.local;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The case-view read path: seeds 10,000 shipments into service-view-service through the orders
 * topic (as order-sync would publish them), then asks for random case views at a fixed rate and
 * reports the latency percentiles from the intended send time (so a stall is not hidden by the
 * client waiting), with the cache's hit ratio.
 */
public final class CaseViewBenchmark {

    static final int SHIPMENTS = 10_000;
    /**
     * The seeded pickups' first day: tomorrow. Days fixed in the code (they were 2026-12-01 on) fall behind the clock,
     * and service-view's task sweep would then open missed-pickup tasks for them during the measurement.
     */
    private static final Instant FIRST_DAY = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS)
            .plus(Duration.ofDays(1));
    private final SuiteSettings settings;
    /** The suite's development token (all roles), as an Authorization header value. */
    private String bearer;
    private final int seconds;
    private final int rate;
    private final String run = Long.toString(System.currentTimeMillis() % 10_000_000, 36).toUpperCase();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public CaseViewBenchmark(LocalSuite suite, int seconds, int rate) {
        this.settings = suite.settings();
        this.bearer = "Bearer " + new DevTokens(settings).suiteToken();
        this.seconds = seconds;
        this.rate = rate;
    }

    private String shipmentId(int i) {
        return "SHP-VB" + run + "-" + i;
    }

    public String run() throws Exception {
        Instant seedStart = Instant.now();
        seed();
        Duration seeded = Duration.between(seedStart, Instant.now());
        say("warming the cache: every shipment read once, 8 at a time (cold loads from PostgreSQL)");
        String warm = warmUp();
        say("warming the client for 10 s at " + rate + " requests/s");
        phase(10);
        double hitsBefore = metric("cache_gets_total", "result=\"hit\"");
        double missesBefore = metric("cache_gets_total", "result=\"miss\"");
        say("measuring for " + seconds + " s at " + rate + " requests/s over " + SHIPMENTS + " shipments");
        String measured = phase(seconds);
        double hits = metric("cache_gets_total", "result=\"hit\"") - hitsBefore;
        double misses = metric("cache_gets_total", "result=\"miss\"") - missesBefore;
        int high = Math.max(rate, 2000);
        say("measuring for " + seconds + " s at " + high + " requests/s (reported, not a target)");
        String measuredHigh = phase(seconds, high);
        say("replaying the read model (POST /api/v1/ops/view/replay) while the live consumers run");
        String replayed = replay();
        say("Kafka ConsumerPerformance over the same records, for the yardstick");
        String kafka = consumerPerformance();
        return String.format("Case-view benchmark %s, %d cores; service-view-service (JVM) with the whole suite running%n"
                        + "  seeded        %,d shipments through the orders topic; projected, and every consumer group of"
                        + " the suite at the end of its topics (billing's snapshot of each new case projected too), in"
                        + " %d s (%,.0f shipments/s, 5 s of quiet included)%n"
                        + "%s"
                        + "  cold loads    %s"
                        + "  case view     %s"
                        + "  cache         %.1f %% hits during the measurement (%,.0f hits, %,.0f misses)%n"
                        + "  case view     %s"
                        + "  replay        %s"
                        + "  Kafka itself  %s",
                Instant.now(), Runtime.getRuntime().availableProcessors(), SHIPMENTS, seeded.toSeconds(),
                SHIPMENTS / Math.max(0.001, seeded.toMillis() / 1000.0), seedingByGroup(), warm, measured,
                hits + misses == 0 ? 0 : 100 * hits / (hits + misses), hits, misses, measuredHigh,
                replayed + String.format("%n"), kafka + (replayRate > 0 && kafkaRate > 0 ? String.format(
                        "; replay at %.3f x Kafka's consumer%n", replayRate / kafkaRate) : String.format("%n")));
    }

    private double replayRate;
    private double kafkaRate;
    private long replayedRecords;

    /** Starts a replay of the read model and follows it until it is done: records per second. */
    private String replay() throws Exception {
        String url = settings.url(SuiteSettings.SERVICE_VIEW) + "/api/v1/ops/view/replay";
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            return "not started: " + started.statusCode() + " " + started.body();
        }
        long t0 = System.nanoTime();
        Instant deadline = Instant.now().plusSeconds(1800);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            com.fasterxml.jackson.databind.JsonNode status = json.readTree(http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", bearer).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            String state = status.path("state").asText();
            if ("DONE".equals(state) || "FAILED".equals(state)) {
                double secs = (System.nanoTime() - t0) / 1e9;
                replayedRecords = status.path("records").asLong();
                replayRate = replayedRecords / secs;
                return String.format("%s: %,d records in %.1f s, %,.0f records/s (from %s)", state, replayedRecords,
                        secs, replayRate, status.path("snapshotTakenAt").isMissingNode()
                                || status.path("snapshotTakenAt").isNull() ? "the topics' beginning"
                                : "the snapshot of " + status.path("snapshotTakenAt").asText());
            }
        }
        return "did not finish in 30 min";
    }

    /** Kafka's own ConsumerPerformance over the orders topic the benchmark seeded: what reading alone costs. */
    private String consumerPerformance() throws Exception {
        long records;
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap()))) {
            int partitions = admin.describeTopics(java.util.List.of(Topics.ORDERS)).allTopicNames().get()
                    .get(Topics.ORDERS).partitions().size();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> spec = new java.util.HashMap<>();
            for (int i = 0; i < partitions; i++) {
                spec.put(new org.apache.kafka.common.TopicPartition(Topics.ORDERS, i),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            records = admin.listOffsets(spec).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
        java.util.List<String> command = java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), "org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server", settings.kafkaBootstrap(), "--topic", Topics.ORDERS,
                "--messages", Long.toString(records), "--group", "bench-view-consumer-perf-" + run, "--timeout", "60000");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = "";
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (!line.isBlank() && Character.isDigit(line.charAt(0))) {
                    last = line;
                }
            }
        }
        p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES);
        // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
        String[] f = last.split(",\\s*");
        if (f.length < 6) {
            return "ConsumerPerformance gave no figures: " + last;
        }
        kafkaRate = Double.parseDouble(f[5]);
        return String.format("ConsumerPerformance, %s records of %s: %,.0f records/s (%s MB/s)", f[4], Topics.ORDERS,
                kafkaRate, f[3]);
    }

    private void seed() throws Exception {
        seedStartNanos = System.nanoTime();
        say("publishing " + SHIPMENTS + " OrderReleased events to " + Topics.ORDERS);
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < SHIPMENTS; i++) {
                String id = shipmentId(i);
                ProducerRecord<String, String> r = new ProducerRecord<>(Topics.ORDERS, id, orderReleased(id, i));
                r.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(UUID.randomUUID().toString()))
                        .add("ce_type", bytes(EventType.ORDER_RELEASED.ceType()))
                        .add("ce_source", bytes("/logisync/case-view-benchmark"))
                        .add("ce_time", bytes(Instant.now().toString()))
                        .add("content-type", bytes("application/json"));
                producer.send(r);
            }
            producer.flush();
        }
        say("waiting for service-view-service to project them");
        String last = settings.url(SuiteSettings.SERVICE_VIEW) + "/api/v1/shipments/" + shipmentId(SHIPMENTS - 1);
        Instant deadline = Instant.now().plusSeconds(900);
        while (true) {
            int status = http.send(HttpRequest.newBuilder(URI.create(last)).header("Authorization", bearer).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            // Every group's lag every second, projected or not: seedingByGroup tells which one held the seeding back.
            boolean quiet = quiet();
            if (status == 200 && countProjected() >= SHIPMENTS && quiet) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("service-view-service did not project the seeded shipments in time");
            }
            Thread.sleep(1000);
        }
    }

    /**
     * How far service-view's orders consumer is behind the topic's end (committed offsets): the seeding
     * is projected only when it is zero, or the cache would be warmed with views that change afterwards.
     */
    private long groupLag(org.apache.kafka.clients.admin.Admin admin, String group) throws Exception {
        var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> spec = new java.util.HashMap<>();
        committed.keySet().forEach(tp -> spec.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
        long lag = 0;
        for (var e : admin.listOffsets(spec).all().get().entrySet()) {
            var at = committed.get(e.getKey());
            lag += e.getValue().offset() - (at == null ? 0 : at.offset());
        }
        return committed.isEmpty() ? Long.MAX_VALUE : lag;
    }

    private long quietSince;
    private long seedStartNanos;
    /** Per consumer group: the seconds after the seeding's start when its lag was last seen going to zero. */
    private final Map<String, Double> caughtUp = new java.util.TreeMap<>();
    /** Per consumer group: the most records it was seen behind. */
    private final Map<String, Long> mostBehind = new java.util.TreeMap<>();

    /**
     * Whether the whole suite is done with the seeding: every consumer group of every service at the end
     * of its topics for 5 s in a row. Billing answers each new order with its case's snapshot, which
     * service-view then projects; warming the cache before that would warm views the snapshots replace.
     * Notes, per group, when it caught up and how far behind it was: which consumer holds the seeding back.
     */
    private boolean quiet() throws Exception {
        long lag = 0;
        double now = (System.nanoTime() - seedStartNanos) / 1e9;
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap()))) {
            for (var listing : admin.listConsumerGroups().all().get()) {
                if (listing.groupId().startsWith("bench-")) {
                    continue;
                }
                long l = groupLag(admin, listing.groupId());
                lag += l == Long.MAX_VALUE ? 0 : l;
                if (l != Long.MAX_VALUE) {
                    mostBehind.merge(listing.groupId(), l, Math::max);
                    if (l > 0) {
                        caughtUp.remove(listing.groupId());
                    } else {
                        caughtUp.putIfAbsent(listing.groupId(), now);
                    }
                }
            }
        }
        if (lag > 0) {
            quietSince = 0;
            return false;
        }
        if (quietSince == 0) {
            quietSince = System.nanoTime();
        }
        return System.nanoTime() - quietSince >= 5_000_000_000L;
    }

    /** Each consumer group's part in the seeding: how far behind it fell, and when it caught up for the last time. */
    private String seedingByGroup() {
        StringBuilder sb = new StringBuilder();
        caughtUp.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e -> {
            long behind = mostBehind.getOrDefault(e.getKey(), 0L);
            if (behind > 0) {
                sb.append(String.format("                %-40s at most %,7d records behind; caught up %5.0f s after the"
                        + " seeding started%n", e.getKey(), behind, e.getValue()));
            }
        });
        return sb.toString();
    }

    private long countProjected() throws Exception {
        // The orders topic has several partitions: the last one published is not necessarily the last projected.
        long n = 0;
        for (int i = 0; i < SHIPMENTS; i += 997) {
            String url = settings.url(SuiteSettings.SERVICE_VIEW) + "/api/v1/shipments/" + shipmentId(i);
            if (http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200) {
                n += 997;
            } else {
                return n;
            }
        }
        return SHIPMENTS;
    }

    /** Reads every shipment once with 8 requests in flight: the cost of a cache miss, end to end. */
    private String warmUp() throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(8);
        String base = settings.url(SuiteSettings.SERVICE_VIEW) + "/api/v1/shipments/";
        long start = System.nanoTime();
        for (int i = 0; i < SHIPMENTS; i++) {
            inFlight.acquire();
            long sent = System.nanoTime();
            http.sendAsync(HttpRequest.newBuilder(URI.create(base + shipmentId(i))).timeout(Duration.ofSeconds(30)).header("Authorization", bearer).GET()
                    .build(), HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
                        latencies.add(System.nanoTime() - sent);
                        if (e != null || r.statusCode() != 200) {
                            failed.incrementAndGet();
                        }
                        inFlight.release();
                        return null;
                    });
        }
        inFlight.acquire(8);
        double secondsTaken = (System.nanoTime() - start) / 1e9;
        return String.format("%,d views loaded in %.1f s (%,.0f/s with 8 in flight): p50 %s ms, p99 %s ms; failed: %d%n",
                SHIPMENTS, secondsTaken, SHIPMENTS / secondsTaken, percentile(latencies, 50), percentile(latencies, 99),
                failed.get());
    }

    /**
     * Open loop at the fixed rate, measured from each request's intended send time. The client is 32
     * threads with keep-alive connections ({@code HttpURLConnection}): the JDK's asynchronous client
     * took more than a core of the two at this rate and its own queueing showed up as server latency.
     */
    private String phase(int durationSeconds) throws InterruptedException {
        return phase(durationSeconds, rate);
    }

    private String phase(int durationSeconds, int rate) throws InterruptedException {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(32);
        long total = (long) rate * durationSeconds;
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch((int) total);
        String base = settings.url(SuiteSettings.SERVICE_VIEW) + "/api/v1/shipments/";
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long intended = start + i * 1_000_000_000L / rate;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            String url = base + shipmentId(ThreadLocalRandom.current().nextInt(SHIPMENTS));
            pool.execute(() -> {
                try {
                    java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
                    c.setRequestProperty("Authorization", bearer);
                    c.setConnectTimeout(5000);
                    c.setReadTimeout(10000);
                    int status = c.getResponseCode();
                    try (java.io.InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                        if (in != null) {
                            in.readAllBytes();
                        }
                    }
                    if (status != 200) {
                        failed.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    failed.incrementAndGet();
                }
                latencies.add(System.nanoTime() - intended);
                done.countDown();
            });
        }
        done.await();
        pool.shutdown();
        return String.format("%,d requests at %d/s: p50 %s ms, p95 %s ms, p99 %s ms, max %s ms (from the intended send"
                        + " time); failed: %d%n", latencies.size(), rate, percentile(latencies, 50),
                percentile(latencies, 95), percentile(latencies, 99), percentile(latencies, 100), failed.get());
    }

    private double metric(String name, String label) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(settings.url(SuiteSettings.SERVICE_VIEW) + "/q/metrics"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(name) && l.contains("cache=\"case-views\"") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String orderReleased(String shipmentId, int i) {
        Instant day = FIRST_DAY.plus(Duration.ofHours(i % 240));
        return """
                {"correlation":{"shipmentId":"%s","orderId":"ORD-%s","customerId":"CUST-BENCH-%d",
                 "references":[{"type":"PO","value":"PO-%s"},{"type":"BOL","value":"BOL-%s"}]},
                 "serviceLevel":"LTL_STANDARD",
                 "lines":[{"pieces":6,"weightKg":2400,"hazmat":false,"description":"palletised auto parts"}],
                 "stops":[
                  {"sequence":1,"type":"PICKUP","name":"Acme DC Dallas","locationCode":"USDAL",
                   "address":{"line1":"100 Commerce St","city":"Dallas","region":"TX","postalCode":"75201","country":"US"},
                   "zoneId":"America/Chicago","window":{"start":"%s","end":"%s"}},
                  {"sequence":2,"type":"DELIVERY","name":"Globex Store %d","locationCode":"USHOU",
                   "address":{"line1":"9 Main St","city":"Houston","region":"TX","postalCode":"77002","country":"US"},
                   "zoneId":"America/Chicago","window":{"start":"%s","end":"%s"}}],
                 "releasedAt":"%s"}""".formatted(shipmentId, shipmentId, i % 50, shipmentId, shipmentId, day,
                day.plus(Duration.ofHours(4)), i % 500, day.plus(Duration.ofHours(24)), day.plus(Duration.ofHours(30)),
                Instant.now());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String percentile(ConcurrentLinkedQueue<Long> nanos, int p) {
        return Percentiles.of(nanos, p);
    }

    private static void say(String s) {
        System.out.println("[bench-view] " + s);
    }
}
