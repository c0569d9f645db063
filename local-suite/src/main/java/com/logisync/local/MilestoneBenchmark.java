package com.logisync.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Path;

/**
 * The milestone hot path under load, against the running local suite (JVM mode, broker and
 * database on the same machine): batch REST, single-event REST (closed loop, as fast as it goes),
 * accept latency at half that rate (open loop, latency measured from the intended send time, so a
 * stall is not hidden), and Kafka's own ProducerPerformance for the same record size, in the same
 * run. "Published" counts records that reached {@code logisync.milestones.v1}, read from the
 * topic's end offsets. Run: {@code ./logisync bench [seconds]}.
 */
public final class MilestoneBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "logisync.milestones.v1";
    /** How many shipments the milestones belong to, unless the command names another count. */
    static final int SHIPMENTS = 100;
    private final int shipments;
    /** The partner the benchmark reports as (its token's {@code partner} claim); the suite raises its rate limit. */
    static final String PARTNER = "BENCH";

    private final SuiteSettings settings;
    private final int seconds;
    private final String run = Long.toString(System.currentTimeMillis() % 10_000_000, 36);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
    private final List<String> loads = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Instant started = Instant.now();

    /**
     * Which reports the benchmark sends. {@code IN_TRANSIT} (the default, as every run before 2026-12-03): the
     * consumers' cheapest report, inert for billing. {@code LIFECYCLE}: each load's reports in the turns of
     * {@link #LIFE}, so the consumers are measured on the reports that make them work (stop arrivals and
     * departures, delays).
     */
    public enum Mix {
        IN_TRANSIT, LIFECYCLE;

        /** {@code in-transit} or {@code lifecycle}, as the command line names them. */
        public static Mix named(String name) {
            for (Mix m : values()) {
                if (m.name().replace('_', '-').equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mix must be in-transit or lifecycle: " + name);
        }
    }

    private final Mix mix;
    /** Each load's next turn of {@link #LIFE}. */
    private java.util.concurrent.atomic.AtomicIntegerArray turns = new java.util.concurrent.atomic.AtomicIntegerArray(0);

    private final LocalSuite suite;

    /** Every request carries a development token with all roles, as partner {@link #PARTNER}. */
    private static volatile String token;

    public MilestoneBenchmark(LocalSuite suite, int seconds) {
        this(suite, seconds, SHIPMENTS, Mix.IN_TRANSIT);
    }

    /**
     * {@code shipments}: how many shipments the milestones belong to (a multiple of 4, the clients of the
     * disjoint phase). 100 flatters a consumer that keeps one row per shipment (a batch of 500 events updates
     * about 33 cases); thousands are what a carrier network has in flight.
     */
    public MilestoneBenchmark(LocalSuite suite, int seconds, int shipments, Mix mix) {
        if (shipments < 4 || shipments % 4 != 0) {
            throw new IllegalArgumentException("shipments must be a positive multiple of 4: " + shipments);
        }
        this.shipments = shipments;
        this.mix = mix;
        this.suite = suite;
        this.settings = suite.settings();
        token = new DevTokens(settings).token("bench-tms", Map.of("partner", PARTNER), "erp", "carrier", "ops");
        this.seconds = seconds;
    }

    public String run() throws Exception {
        seed();
        // The kubelet's probes and Prometheus' scrapes at the chart's cadences, from the warm-up to the last phase:
        // every pod serves them, so the services' JIT profiles include them (PlatformProbes).
        List<PlatformProbes.Probe> probes = new ArrayList<>();
        for (String service : List.of(SuiteSettings.MILESTONE, SuiteSettings.ORDER_SYNC, SuiteSettings.BILLING,
                SuiteSettings.SERVICE_VIEW)) {
            probes.addAll(PlatformProbes.ofService(settings.url(service)));
        }
        try (PlatformProbes platform = new PlatformProbes(probes)) {
            String report = measure();
            String line = String.format("  the platform's probes and scrapes: %,d answered, %,d not (services stopped"
                    + " while others were measured)%n", platform.answered(), platform.failed());
            System.out.print(line);
            return report + line;
        }
    }

    private String measure() throws Exception {
        // The hot path is measured on its own: the services downstream of it would otherwise take the
        // same two cores to consume what it publishes. They are started again at the end.
        // (Tried, 2026-12-02: keeping the consumers running through the warm-up, so that they warm up too,
        // then pausing them with SIGSTOP until each is measured alone. PostgreSQL's work on what they had
        // written fell into the ingestion phases, the shared one's PostgreSQL CPU per milestone went from
        // 71.5 to 219.1 µs, and service-view alone did not gain: docs/benchmarks.md.)
        for (String other : List.of(SuiteSettings.SERVICE_VIEW, SuiteSettings.BILLING, SuiteSettings.ORDER_SYNC,
                SuiteSettings.SIMULATOR)) {
            suite.stop(other);
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format("Milestone benchmark %s, %d s per phase, %d shipments, %d cores; milestone-service"
                        + " (JVM), PostgreSQL, Kafka and the trace sink running, the other services stopped;"
                        + " each running service probed for readiness every 5 s and liveness every 10 s and its metrics"
                        + " scraped every 30 s, as in the chart;"
                        + " new traces sampled at %s (QUARKUS_OTEL_TRACES_SAMPLER_ARG); reports: %s%n",
                Instant.now(), seconds, shipments, Runtime.getRuntime().availableProcessors(),
                java.util.Optional.ofNullable(System.getenv("QUARKUS_OTEL_TRACES_SAMPLER_ARG")).orElse("1.0"),
                mix == Mix.IN_TRANSIT ? "in transit only (mix in-transit)" : "each load's life in turns of " + LIFE.length
                        + ", 6 not in transit: " + String.join(", ", new java.util.TreeSet<>(List.of(LIFE))) + " (mix lifecycle)"));
        try {
            warmUp();
            // Each phase's line is printed as it ends too, so a failing phase does not lose the others.
            Map<String, java.util.concurrent.Callable<String>> phases = new java.util.LinkedHashMap<>();
            phases.put("batch", () -> batchPhase(true));
            phases.put("shared", () -> batchPhase(false));
            phases.put("single", this::singlePhase);
            phases.put("latency", () -> latencyPhase(lastSingleRate / 2));
            phases.put("kafka", this::producerPerformance);
            phases.put("postgres", this::databaseCeiling);
            phases.put("alone", this::soloConsumersPhase);
            phases.put("together", this::consumersPhase);
            String pairedRate = System.getenv("LOGISYNC_BENCH_PAIRED_RATE");
            phases.put(PAIRED, () -> pairedPhase(pairedRate != null ? Double.parseDouble(pairedRate) : lastSingleRate / 2));
            java.util.Set<String> chosen = chosenPhases(System.getenv("LOGISYNC_BENCH_PHASES"), phases.keySet());
            if (!chosen.equals(chosenPhases(null, phases.keySet()))) {
                String line = "  only the phases " + String.join(", ", chosen) + " (LOGISYNC_BENCH_PHASES): not a run"
                        + " against issue 19's targets, which are ratios between all of them\n";
                System.out.print(line);
                report.append(line);
            }
            for (String name : chosen) {
                String line = phases.get(name).call();
                System.out.print(line);
                report.append(line);
            }
        } finally {
            say("starting the other services again");
            suite.up();
        }
        return report.toString();
    }

    /**
     * The phases to run: all of them but {@code paired} (a developer's comparison, not one of issue 19's targets),
     * or those {@code LOGISYNC_BENCH_PHASES} names (comma-separated, in the benchmark's order whatever the order
     * given), for a developer trying one change on one phase. The latency and paired phases run at half the single
     * phase's rate, so they bring the single phase with them.
     */
    static java.util.Set<String> chosenPhases(String setting, java.util.Set<String> all) {
        if (setting == null || setting.isBlank()) {
            java.util.Set<String> standard = new java.util.LinkedHashSet<>(all);
            standard.remove(PAIRED);
            return standard;
        }
        java.util.Set<String> named = new java.util.HashSet<>();
        for (String part : setting.split(",")) {
            String name = part.trim().toLowerCase(java.util.Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!all.contains(name)) {
                throw new IllegalArgumentException("LOGISYNC_BENCH_PHASES: no phase '" + name + "'; the phases are "
                        + String.join(", ", all));
            }
            named.add(name);
        }
        if (named.contains("latency") || named.contains(PAIRED)) {
            named.add("single");
        }
        java.util.Set<String> chosen = new java.util.LinkedHashSet<>();
        for (String name : all) {
            if (named.contains(name)) {
                chosen.add(name);
            }
        }
        return chosen;
    }

    // ---------------------------------------------------------------- seeding

    private void seed() throws Exception {
        String orderSync = settings.url(SuiteSettings.ORDER_SYNC);
        send("PUT", orderSync + "/api/v1/customers/CUST-ACME", SampleJourney.CUSTOMER);
        send("PUT", orderSync + "/api/v1/contracts/CTR-ACME-2026", SampleJourney.CONTRACT);
        say("releasing " + shipments + " orders to ingest milestones for");
        for (int i = 0; i < shipments; i++) {
            HttpResponse<String> r = send("POST", orderSync + "/api/v1/orders", SampleJourney.order("ORD-BENCH-" + run + "-" + i));
            String loadId = JSON.readTree(r.body()).path("dispatch").path("loadId").asText(null);
            if (loadId == null) {
                throw new IllegalStateException("Order not dispatched: " + r.body());
            }
            loads.add(loadId);
        }
        turns = new java.util.concurrent.atomic.AtomicIntegerArray(loads.size());
        // Wait until milestone-service has learned the last load from the orders topic.
        String milestones = settings.url(SuiteSettings.MILESTONE) + "/api/v1/milestones";
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            String probe = milestone("probe-" + sequence.incrementAndGet(), loads.get(loads.size() - 1));
            String outcome = JSON.readTree(send("POST", milestones, probe).body()).path("outcome").asText();
            if ("RECORDED".equals(outcome)) {
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("milestone-service did not learn the seeded loads");
            }
            Thread.sleep(500);
        }
    }

    private String milestone(String id, String loadId) {
        return inTransit(id, loadId);
    }

    private String inTransit(String id, String loadId) {
        return "{\"sourceEventId\":\"bench-" + run + "-" + id + "\",\"partnerId\":\"BENCH\",\"milestone\":\"IN_TRANSIT\","
                + "\"eventTime\":\"" + Instant.now() + "\",\"references\":{\"loadId\":\"" + loadId + "\"},"
                + "\"location\":{\"name\":\"I-45 near Huntsville\",\"latitude\":30.7235,\"longitude\":-95.5508}}";
    }

    /** The report of turn {@code turn} of a load's life ({@link Mix#LIFECYCLE}). */
    private String lifecycle(String id, String loadId, int turn) {
        String type = LIFE[turn % LIFE.length];
        if ("IN_TRANSIT".equals(type)) {
            return inTransit(id, loadId);
        }
        boolean pickup = type.endsWith("_PICKUP");
        // The stop's stay: the arrival four hours before the run began, the departure one hour before (three hours
        // on site, an hour past the contract's free time), the same at every turn: a later turn revises nothing.
        Instant at = type.startsWith("ARRIVED") ? started.minusSeconds(4 * 3600)
                : type.startsWith("DEPARTED") ? started.minusSeconds(3600) : Instant.now();
        StringBuilder b = new StringBuilder("{\"sourceEventId\":\"bench-").append(run).append('-').append(id)
                .append("\",\"partnerId\":\"BENCH\",\"milestone\":\"").append(type).append("\",\"eventTime\":\"")
                .append(at).append("\",\"references\":{\"loadId\":\"").append(loadId).append("\"}");
        if ("DELAYED".equals(type)) {
            b.append(",\"reason\":{\"code\":\"WEATHER\",\"sourceCode\":\"AO\",\"sourceCodeList\":\"X12-1651\","
                    + "\"description\":\"ice on I-45\"}");
        } else if (!"OUT_FOR_DELIVERY".equals(type)) {
            b.append(pickup ? ",\"location\":{\"name\":\"Acme DC Dallas\",\"locationCode\":\"USDAL\",\"stopSequence\":1}"
                    : ",\"location\":{\"name\":\"Globex Store 17\",\"locationCode\":\"USHOU\",\"stopSequence\":2}");
        }
        return b.append('}').toString();
    }

    /**
     * A load's reports in {@link Mix#LIFECYCLE}, in turns: both stops' arrival and departure (the reports billing
     * rates detention from), a delay with its reason (service-view's delay task), out for delivery, and in-transit
     * reports between them: 6 of 16 not in transit, 4 of them stop reports.
     */
    private static final String[] LIFE = {"ARRIVED_PICKUP", "DEPARTED_PICKUP", "IN_TRANSIT", "IN_TRANSIT", "IN_TRANSIT",
            "IN_TRANSIT", "IN_TRANSIT", "DELAYED", "IN_TRANSIT", "IN_TRANSIT", "OUT_FOR_DELIVERY", "IN_TRANSIT",
            "ARRIVED_DELIVERY", "DEPARTED_DELIVERY", "IN_TRANSIT", "IN_TRANSIT"};

    /** The report for the load at {@code index}: in transit, or the load's next turn of {@link #LIFE}. */
    private String report(String id, int index) {
        String loadId = loads.get(index);
        return mix == Mix.IN_TRANSIT ? inTransit(id, loadId) : lifecycle(id, loadId, turns.getAndIncrement(index));
    }

    private String nextMilestone() {
        long n = sequence.incrementAndGet();
        return report(Long.toString(n), (int) (n % loads.size()));
    }

    /** The next milestone of client {@code client} of {@code clients}, each reporting its own share of the loads. */
    private String nextMilestone(int client, int clients) {
        long n = sequence.incrementAndGet();
        int own = loads.size() / clients;
        return report(Long.toString(n), (int) (n % own) * clients + client);
    }

    // ---------------------------------------------------------------- phases

    /** A consumer alone is judged warm once its JIT takes at most this share of its CPU over 10 s. */
    static final double WARM_JIT_SHARE = 0.10;
    /**
     * The warm-up's rounds go on while the JIT takes more than this share of milestone-service's CPU. At 10 % (until
     * 2026-12-06) the phases that followed still spent 9-14 % of the service's CPU in the compiler: the JIT's share
     * in a phase is about what it was in the warm-up's last round, and a pod that has served for a while spends
     * next to none.
     */
    static final double HOT_PATH_JIT_SHARE = 0.05;
    /** The longest warm-up, whatever the JIT still does. */
    static final int WARM_MAX_SECONDS = 240;

    /**
     * Batches and single reports in the phases' shapes, not measured, for as long as a phase (10 to 60 s) and then in rounds
     * of 10 s for as long as milestone-service's JIT compiler threads take more than a twentieth of its CPU
     * (at most 240 s in all). On two cores the JIT compiles the hot path for minutes after a start: a
     * profile of the disjoint phase after a fixed 30-s warm-up at 2,000 shipments put 46 % of the
     * service's CPU in the compiler (2026-12-02), and measured it halved the first phase's figure. The
     * phases then measure the service as a pod that has been up for a while runs; what it costs until
     * then is printed (the warm-up's length, the JIT's share of each phase).
     */
    private void warmUp() throws Exception {
        int minimum = Math.min(60, Math.max(10, seconds));
        say("warming up for at least " + minimum + " s, then while the JIT takes more than "
                + Math.round(HOT_PATH_JIT_SHARE * 100) + " % of milestone-service's CPU, at most " + WARM_MAX_SECONDS
                + " s (not measured)");
        long started = System.nanoTime();
        warmUpFor(minimum);
        int total = minimum;
        double share = jitShare(() -> warmUpFor(10));
        total += 10;
        while (share > HOT_PATH_JIT_SHARE && total + 10 <= WARM_MAX_SECONDS) {
            share = jitShare(() -> warmUpFor(10));
            total += 10;
        }
        say(String.format("warmed up for %.0f s; in its last 10 s the JIT took %.0f %% of milestone-service's CPU",
                (System.nanoTime() - started) / 1e9, 100 * share));
    }

    private interface Work {
        void run() throws Exception;
    }

    /** The share of milestone-service's CPU its JIT compiler threads took while {@code work} ran. */
    private double jitShare(Work work) throws Exception {
        java.util.Optional<ProcessHandle> jvm = suite.process(SuiteSettings.MILESTONE);
        double cpuBefore = ProcessCpu.seconds(Map.of(SuiteSettings.MILESTONE, jvm)).getOrDefault(SuiteSettings.MILESTONE, 0.0);
        double jitBefore = ProcessCpu.compilerSeconds(jvm);
        work.run();
        double cpu = ProcessCpu.seconds(Map.of(SuiteSettings.MILESTONE, jvm)).getOrDefault(SuiteSettings.MILESTONE, 0.0)
                - cpuBefore;
        return cpu <= 0 ? 0 : (ProcessCpu.compilerSeconds(jvm) - jitBefore) / cpu;
    }

    private void warmUpFor(int warmSeconds) throws Exception {
        String batchUrl = settings.url(SuiteSettings.MILESTONE) + "/api/v1/milestones/batch";
        String singleUrl = settings.url(SuiteSettings.MILESTONE) + "/api/v1/milestones";
        long end = System.nanoTime() + warmSeconds * 1_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        // The phases' own shapes: batches of 1,000, two clients each on its own quarter of the shipments and
        // two on all of them, and four clients of single reports. With two batch clients of 200 reports the
        // JIT still took 11-14 % of the disjoint phase after the warm-up had ended at 8-9 % (2026-12-02).
        for (int c = 0; c < 8; c++) {
            int client = c;
            boolean batch = c < 4;
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (batch) {
                        StringBuilder body = new StringBuilder("[");
                        for (int i = 0; i < 1000; i++) {
                            body.append(i == 0 ? "" : ",").append(client < 2 ? nextMilestone(client, 4) : nextMilestone());
                        }
                        post(batchUrl, body.append(']').toString());
                    } else {
                        post(singleUrl, nextMilestone());
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join();
        }
    }

    /**
     * Batch REST, four clients with one request in flight each. {@code ownShipments}: each client
     * reports its own quarter of the shipments, as carriers report their own loads; otherwise every
     * request carries milestones of all the shipments, so concurrent requests queue for the same
     * shipment locks (the worst case).
     */
    private String batchPhase(boolean ownShipments) throws Exception {
        say("batch REST: 1,000 milestones per request, 4 concurrent requests, "
                + (ownShipments ? "each client its own " + shipments / 4 + " shipments, "
                        : "all clients on the same " + shipments + " shipments, ")
                + seconds + " s");
        String url = settings.url(SuiteSettings.MILESTONE) + "/api/v1/milestones/batch";
        long before = endOffsets();
        AtomicLong recorded = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        resetStatementStatistics();
        Map<String, Double> cpuBefore = cpu();
        double jitBefore = ProcessCpu.compilerSeconds(suite.process(SuiteSettings.MILESTONE));
        double gcBefore = gcSeconds(SuiteSettings.MILESTONE);
        double[] admissionBefore = admission();
        AtomicLong requests = new AtomicLong();
        Instant start = Instant.now();
        Instant end = start.plusSeconds(seconds);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                while (Instant.now().isBefore(end)) {
                    StringBuilder body = new StringBuilder("[");
                    for (int i = 0; i < 1000; i++) {
                        body.append(i == 0 ? "" : ",").append(ownShipments ? nextMilestone(client, 4) : nextMilestone());
                    }
                    body.append(']');
                    long t0 = System.nanoTime();
                    requests.incrementAndGet();
                    try {
                        long[] counts = batchCounts(postForBody(url, body.toString()));
                        latencies.add(System.nanoTime() - t0);
                        recorded.addAndGet(counts[1]);
                        rejected.addAndGet(counts[0] - counts[1]);
                    } catch (Exception e) {
                        rejected.addAndGet(1000);
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join();
        }
        double elapsed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        Instant drained = awaitPublished(before + recorded.get());
        Map<String, Double> cpuAfter = cpu();
        double jitAfter = ProcessCpu.compilerSeconds(suite.process(SuiteSettings.MILESTONE));
        double gcAfter = gcSeconds(SuiteSettings.MILESTONE);
        double publishSeconds = Duration.between(start, drained).toMillis() / 1000.0;
        double drainSeconds = Duration.between(start.plus(Duration.ofMillis((long) (elapsed * 1000))), drained).toMillis()
                / 1000.0;
        String admitted = admissionLine(admissionBefore, admission(), requests.get());
        if (ownShipments) {
            disjointPublishedRate = recorded.get() / publishSeconds;
        }
        return String.format((ownShipments ? "  batch REST     " : "  batch, shared ") + "%,9.0f milestones/s accepted; all %,d published %.1f s after the"
                        + " start: %,9.0f milestones/s published (%.2f of accepted); request p50 %s ms, p99 %s ms;"
                        + " not recorded: %d%n                 backlog drained %.1f s after the last request; %s%n"
                        + "                 CPU per published milestone: %s%n                 %s"
                        + " (" + LocalSuite.heapFlags(SuiteSettings.MILESTONE) + "); %s%n%s",
                recorded.get() / elapsed, recorded.get(), publishSeconds, recorded.get() / publishSeconds,
                (recorded.get() / publishSeconds) / (recorded.get() / elapsed),
                percentile(latencies, 50), percentile(latencies, 99), rejected.get(), Math.max(0, drainSeconds),
                admitted,
                ProcessCpu.perItem(cpuBefore, cpuAfter, recorded.get()),
                gcShare(SuiteSettings.MILESTONE, gcBefore, gcAfter, publishSeconds),
                jitLine(cpuBefore, cpuAfter, jitBefore, jitAfter),
                heaviestStatements(SuiteSettings.databaseOf(SuiteSettings.MILESTONE), recorded.get()));
    }

    /** The share of milestone-service's CPU in a phase that its JIT compiler threads took. */
    private static String jitLine(Map<String, Double> cpuBefore, Map<String, Double> cpuAfter, double jitBefore,
            double jitAfter) {
        double cpu = cpuAfter.getOrDefault(SuiteSettings.MILESTONE, 0.0) - cpuBefore.getOrDefault(SuiteSettings.MILESTONE, 0.0);
        return cpu <= 0 ? "JIT share unknown"
                : String.format("JIT compilation %.0f %% of its CPU in the phase", 100 * (jitAfter - jitBefore) / cpu);
    }

    private double lastSingleRate;
    private double disjointPublishedRate;

    /** Seconds a service's JVM spent in GC pauses so far ({@code jvm_gc_pause_seconds_sum}), or -1 if unreadable. */
    private double gcSeconds(String service) {
        return metricSum(service, "jvm_gc_pause_seconds_sum");
    }

    /** The sum of a service's Prometheus samples whose name starts with {@code name}, or -1 if unreadable. */
    private double metricSum(String service, String name) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create(settings.url(service) + "/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith(name))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Requests admission control held back (and refused after the longest wait) so far. */
    private double[] admission() {
        return new double[] {metricSum(SuiteSettings.MILESTONE, "logisync_ingestion_held_total"),
                metricSum(SuiteSettings.MILESTONE, "logisync_ingestion_refused_total")};
    }

    private static String admissionLine(double[] before, double[] after, long requests) {
        if (before[0] < 0 || after[0] < 0) {
            return "admission control unknown";
        }
        return String.format("admission control held %,.0f of %,d requests until publication caught up, refused %,.0f",
                after[0] - before[0], requests, after[1] - before[1]);
    }

    private static String gcShare(String service, double before, double after, double wallSeconds) {
        if (before < 0 || after < 0) {
            return service + " GC unknown";
        }
        if (wallSeconds < 1) {
            // Nothing was left to consume: its JVM's start-up pauses are no share of a phase.
            return String.format("%s %.2f s of GC pauses, no phase to measure them against", service, after - before);
        }
        return String.format("%s %.2f s of GC pauses in %.0f s (%.1f %%)", service, after - before, wallSeconds,
                100 * (after - before) / wallSeconds);
    }

    /** CPU seconds so far of the consuming services and the infrastructure they share. */
    private Map<String, Double> consumerCpu() {
        Map<String, java.util.Optional<ProcessHandle>> processes = new java.util.LinkedHashMap<>();
        for (String svc : List.of(SuiteSettings.ORDER_SYNC, SuiteSettings.BILLING, SuiteSettings.SERVICE_VIEW,
                LocalSuite.POSTGRES, LocalSuite.KAFKA, LocalSuite.TRACE_SINK)) {
            processes.put(svc, suite.process(svc));
        }
        return ProcessCpu.seconds(processes);
    }

    /** CPU seconds so far of the processes on the hot path, and of this load generator. */
    private Map<String, Double> cpu() {
        Map<String, java.util.Optional<ProcessHandle>> processes = new java.util.LinkedHashMap<>();
        processes.put(SuiteSettings.MILESTONE, suite.process(SuiteSettings.MILESTONE));
        processes.put(LocalSuite.POSTGRES, suite.process(LocalSuite.POSTGRES));
        processes.put(LocalSuite.KAFKA, suite.process(LocalSuite.KAFKA));
        processes.put(LocalSuite.TRACE_SINK, suite.process(LocalSuite.TRACE_SINK));
        Map<String, Double> cpu = ProcessCpu.seconds(processes);
        cpu.put(ProcessCpu.LOAD_GENERATOR, ProcessCpu.ticks(ProcessHandle.current().pid(), false) / 100.0);
        return cpu;
    }

    // ---------------------------------------------------------------- end to end

    /** The committed position of every consumer group that reads the milestones topic, summed over partitions. */
    private Map<String, Long> committed(Admin admin) throws Exception {
        Map<String, Long> positions = new java.util.TreeMap<>();
        for (var listing : admin.listConsumerGroups().all().get()) {
            var offsets = admin.listConsumerGroupOffsets(listing.groupId()).partitionsToOffsetAndMetadata().get();
            long sum = 0;
            boolean reads = false;
            for (var e : offsets.entrySet()) {
                if (e.getKey().topic().equals(TOPIC) && e.getValue() != null) {
                    sum += e.getValue().offset();
                    reads = true;
                }
            }
            if (reads) {
                positions.put(listing.groupId(), sum);
            }
        }
        return positions;
    }

    /** The longest a consumer alone is followed while its JIT compiler still takes more than {@link #WARM_JIT_SHARE}. */
    static final int SOLO_MAX_SECONDS = 240;
    /** The longest warm window of a consumer alone: its end, once a long phase has let the JIT settle. */
    static final long SOLO_WARM_MILLIS = 60_000;
    /** A consumer's JIT is judged settled no sooner than this after its first progress (the start's first compilations). */
    static final long SOLO_SETTLE_AFTER_MILLIS = 30_000;
    /** How long a consumer alone is followed once its JIT has settled: its warm window. */
    static final long SOLO_SETTLED_MILLIS = 45_000;

    /**
     * The first sample from which {@code service} counts as warm, by the test milestone-service's warm-up ends on:
     * at least {@link #SOLO_SETTLE_AFTER_MILLIS} after its first progress, its JIT compiler threads took at most
     * {@link #WARM_JIT_SHARE} of its CPU over the 10 s before; -1 while there is none.
     */
    static int settledSample(List<Sample> samples, String service) {
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).millis() >= SOLO_SETTLE_AFTER_MILLIS
                    && recentJitShare(samples.subList(0, i + 1), service) <= WARM_JIT_SHARE) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first sample of a consumer's warm window: from the sample its JIT settled at ({@link #settledSample}),
     * or, when it did not settle in time or the window after it is under 30 s (the committed offsets are too
     * coarse below that), from a third of the way in; at most the last {@link #SOLO_WARM_MILLIS} either way.
     * -1 when there is no window of at least 30 s.
     */
    static int warmFrom(List<Sample> samples, String service) {
        if (samples.isEmpty()) {
            return -1;
        }
        long end = samples.get(samples.size() - 1).millis();
        int settled = settledSample(samples, service);
        long from = settled >= 0 && end - samples.get(settled).millis() >= 30_000 ? samples.get(settled).millis() : end / 3;
        from = Math.max(from, end - SOLO_WARM_MILLIS);
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).millis() >= from) {
                return end >= 30_000 && end > samples.get(i).millis() ? i : -1;
            }
        }
        return -1;
    }

    /**
     * The share of {@code service}'s CPU its JIT compiler threads took over the last 10 s of {@code samples} (0
     * before there are 10 s of them): a consumer alone is followed past its window while this is above
     * {@link #WARM_JIT_SHARE}, as milestone-service is warmed up before its phases.
     */
    static double recentJitShare(List<Sample> samples, String service) {
        if (samples.isEmpty()) {
            return 0;
        }
        Sample last = samples.get(samples.size() - 1);
        Sample from = null;
        for (int i = samples.size() - 1; i >= 0; i--) {
            if (last.millis() - samples.get(i).millis() >= 10_000) {
                from = samples.get(i);
                break;
            }
        }
        if (from == null) {
            return 0;
        }
        double cpu = last.cpu().getOrDefault(service, 0.0) - from.cpu().getOrDefault(service, 0.0);
        return cpu <= 0 ? 0 : (last.jit() - from.jit()) / cpu;
    }

    /**
     * Each consumer on its own, as the hot path was measured: the service started alone on the backlog the
     * phases left (the other consumers stopped), with PostgreSQL, Kafka and the trace sink, followed for
     * {@code max(90, 3 x seconds)} s, and beyond until {@link #SOLO_SETTLED_MILLIS} after its JIT settled (its
     * compiler threads took at most {@link #WARM_JIT_SHARE} of its CPU over 10 s, {@link #settledSample}), at most
     * {@link #SOLO_MAX_SECONDS} s in all, or until its lag is zero; then stopped again. Printed: its events/s over
     * the whole window (JVM start and JIT compilation included) and over its warm window (from the moment its JIT
     * settled, at most its last 60 s: the rate it sustains; the last two thirds when it did not settle in time), the
     * CPU per event of each process, and the share of the service's CPU its JIT compiler threads took. A fresh JVM
     * spends up to half its CPU in the first minute compiling (async-profiler, 2026-12-01), which the all-at-once
     * phase below counts in. Until 2026-12-05 the warm window was the last two thirds of the window whatever the JIT
     * did: service-view's JIT took 23-34 % of its CPU in it on a slow machine (twenty-seventh and thirty-second
     * sessions), while milestone-service, measured against it, was warmed up until its JIT took 10 % or less. A
     * consumer's warm window starts on that test ({@link #WARM_JIT_SHARE}); milestone-service's warm-up goes on to
     * {@link #HOT_PATH_JIT_SHARE} since 2026-12-06.
     */
    private String soloConsumersPhase() throws Exception {
        int window = Math.max(90, 3 * seconds);
        StringBuilder sb = new StringBuilder();
        try (Admin admin = admin()) {
            for (String service : List.of(SuiteSettings.ORDER_SYNC, SuiteSettings.BILLING, SuiteSettings.SERVICE_VIEW)) {
                String group = service + ".milestones";
                long end = endOffsets();
                long from = committed(admin).getOrDefault(group, 0L);
                say(String.format("each consumer alone: %s on the %,d milestones left for it, %d s at least and %d s"
                        + " after its JIT settles (%.0f %% of its CPU or less over 10 s), at most %d s", service,
                        end - from, window, SOLO_SETTLED_MILLIS / 1000, WARM_JIT_SHARE * 100, SOLO_MAX_SECONDS));
                resetStatementStatistics();
                Map<String, java.util.Optional<ProcessHandle>> processes = new java.util.LinkedHashMap<>();
                suite.launch(service);
                Instant started = Instant.now();
                processes.put(service, suite.process(service));
                processes.put(LocalSuite.POSTGRES, suite.process(LocalSuite.POSTGRES));
                processes.put(LocalSuite.KAFKA, suite.process(LocalSuite.KAFKA));
                processes.put(LocalSuite.TRACE_SINK, suite.process(LocalSuite.TRACE_SINK));
                Map<String, Double> cpuBefore = ProcessCpu.seconds(processes);
                double jitBefore = ProcessCpu.compilerSeconds(processes.get(service));
                Instant deadline = started.plusSeconds(window);
                Instant firstProgress = null;
                long last = from;
                List<Sample> samples = new ArrayList<>();
                Instant longest = started.plusSeconds(SOLO_MAX_SECONDS);
                while (last < end && Instant.now().isBefore(longest)
                        && (Instant.now().isBefore(deadline) || !settledLongEnough(samples, service))) {
                    Thread.sleep(1000);
                    long now = committed(admin).getOrDefault(group, last);
                    Instant t = Instant.now();
                    if (now > last) {
                        if (firstProgress == null) {
                            firstProgress = t;
                        }
                        samples.add(new Sample(Duration.between(firstProgress, t).toMillis(), now,
                                ProcessCpu.seconds(processes), ProcessCpu.compilerSeconds(processes.get(service))));
                    }
                    last = now;
                }
                // Its GC pauses over its whole life (JVM start included), read before it stops.
                String gc = gcShare(service, 0, gcSeconds(service), Duration.between(started, Instant.now()).toMillis() / 1000.0)
                        + " (" + LocalSuite.heapFlags(service) + ")";
                suite.stop(service);
                long consumed = last - from;
                Sample lastSample = samples.isEmpty() ? null : samples.get(samples.size() - 1);
                double whole = lastSample == null || lastSample.millis() == 0 ? 0 : consumed * 1000.0 / lastSample.millis();
                // The warm window: from the sample its JIT settled at (else a third of the way in), at most the last 60 s.
                int warmIndex = warmFrom(samples, service);
                int settled = settledSample(samples, service);
                Sample warmFrom = warmIndex < 0 ? null : samples.get(warmIndex);
                boolean hasWarm = warmFrom != null;
                String whence = settled < 0 ? "its JIT not settled: from a third of the way in"
                        : warmFrom != null && warmFrom.millis() >= samples.get(settled).millis() ? "after its JIT settled"
                        : "its JIT settled too late for a window of its own: from a third of the way in";
                long warmEvents = hasWarm ? lastSample.position() - warmFrom.position() : 0;
                double warm = hasWarm ? warmEvents * 1000.0 / (lastSample.millis() - warmFrom.millis()) : 0;
                double serviceCpu = hasWarm ? lastSample.cpu().get(service) - warmFrom.cpu().get(service) : 0;
                double jit = hasWarm ? lastSample.jit() - warmFrom.jit() : 0;
                double allCpu = lastSample == null ? 0 : lastSample.cpu().get(service) - cpuBefore.getOrDefault(service, 0.0);
                double allJit = lastSample == null ? 0 : lastSample.jit() - jitBefore;
                if (hasWarm) {
                    sb.append(String.format("  %-26s alone: %,7.0f events/s warm (%.2f x the disjoint batch phase's published"
                            + " rate; the last %d of %d s, %s), %,.0f/s from its first progress, JVM start not counted;"
                            + " %,d consumed, %s%n", service, warm,
                            disjointPublishedRate == 0 ? 0 : warm / disjointPublishedRate,
                            Math.round((lastSample.millis() - warmFrom.millis()) / 1000.0), lastSample.millis() / 1000,
                            whence, whole,
                            consumed, last >= end ? "lag zero" : String.format("%,d left", end - last)));
                } else {
                    sb.append(String.format("  %-26s alone: %,7.0f events/s from its first progress (%.2f x the disjoint batch"
                            + " phase's published rate), JVM start not counted; %,d consumed in %d s, %s: too short for a"
                            + " warm window of its own%n", service, whole,
                            disjointPublishedRate == 0 ? 0 : whole / disjointPublishedRate, consumed,
                            lastSample == null ? 0 : lastSample.millis() / 1000,
                            last >= end ? "lag zero" : String.format("%,d left", end - last)));
                }
                sb.append(String.format("                             CPU per event, warm: %s; JIT compilation %.0f %% of"
                        + " the service's CPU while warm, %.0f %% over the whole window%n",
                        hasWarm ? ProcessCpu.perItem(warmFrom.cpu(), lastSample.cpu(), warmEvents) : "-",
                        serviceCpu <= 0 ? 0 : 100 * jit / serviceCpu, allCpu <= 0 ? 0 : 100 * allJit / allCpu));
                sb.append(String.format("                             %s%n", gc));
                sb.append(heaviestStatements(SuiteSettings.databaseOf(service), consumed));
            }
        }
        return sb.toString();
    }

    /** Whether {@code service}'s JIT has settled ({@link #settledSample}) and it has been followed warm long enough since. */
    static boolean settledLongEnough(List<Sample> samples, String service) {
        int settled = settledSample(samples, service);
        return settled >= 0 && samples.get(samples.size() - 1).millis() - samples.get(settled).millis() >= SOLO_SETTLED_MILLIS;
    }

    /** Clears PostgreSQL's statement statistics (pg_stat_statements, loaded by the local suite), if it has them. */
    private void resetStatementStatistics() {
        try (java.sql.Connection c = superuser(); java.sql.Statement st = c.createStatement()) {
            st.execute("select pg_stat_statements_reset()");
        } catch (java.sql.SQLException e) {
            say("no statement statistics: " + e.getMessage());
        }
    }

    /**
     * The statements that took most of the database's time in {@code database} since the last reset, with
     * their execution time per consumed event: where a consumer's share of PostgreSQL goes.
     */
    private String heaviestStatements(String database, long events) {
        StringBuilder sb = new StringBuilder();
        try (java.sql.Connection c = superuser(); java.sql.PreparedStatement ps = c.prepareStatement(
                "select regexp_replace(query, '\\s+', ' ', 'g'), calls, total_exec_time, rows, shared_blks_read,"
                        + " temp_blks_written"
                        + " from pg_stat_statements"
                        + " where dbid = (select oid from pg_database where datname = ?) order by total_exec_time desc limit 6")) {
            ps.setString(1, database);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String q = rs.getString(1);
                    // Blocks read from outside PostgreSQL's buffer cache, per event: an index that no longer fits shows here.
                    // Temporary blocks written: a sort or a materialized function beyond work_mem (service-view's feed
                    // insert wrote 5.6 MB a batch until 2026-12-05).
                    sb.append(String.format("                             %6.1f µs/event %,8d calls %,10d rows %5.2f reads/event"
                            + " %5.2f temp/event  %s%n",
                            events == 0 ? 0 : rs.getDouble(3) * 1000 / events, rs.getLong(2), rs.getLong(4),
                            events == 0 ? 0 : rs.getLong(5) / (double) events,
                            events == 0 ? 0 : rs.getLong(6) / (double) events,
                            q.length() > 100 ? q.substring(0, 100) + "…" : q));
                }
            }
        } catch (java.sql.SQLException e) {
            return "";
        }
        return sb.length() == 0 ? "" : "                             PostgreSQL's heaviest statements (execution time):\n" + sb;
    }

    private java.sql.Connection superuser() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + settings.postgresPort() + "/postgres",
                "postgres", "postgres");
    }

    /** A consumer group's committed position, and the CPU seconds of the processes, some milliseconds after its first progress. */
    record Sample(long millis, long position, Map<String, Double> cpu, double jit) {
    }

    /**
     * End to end: the phases left a backlog on the milestones topic for every service that consumes it
     * (stopped while the hot path was measured). They are started again, and every consumer group of
     * the topic is followed (committed offsets, once a second) until its lag is zero: its events/s from
     * its first committed progress to its last, against the published rate of the disjoint batch phase.
     * The groups run at the same time, on the same two cores, as they do in the suite. A group still
     * behind after {@code limit} is reported with what is left; the backlog is then skipped (below).
     */
    private String consumersPhase() throws Exception {
        long end = endOffsets();
        // 360 s: the warm-up until the JIT takes 5 % (up to 240 s) leaves more on the topic than the one until 10 % did
        // (2,872,661 milestones after the consumers alone, 2026-12-06, against 2,072,832 at most before), and the
        // three share two cores.
        Duration limit = Duration.ofSeconds(Math.max(360, seconds * 12L));
        try (Admin admin = admin()) {
            Map<String, Long> initial = committed(admin);
            long backlog = initial.values().stream().mapToLong(c -> end - c).max().orElse(0);
            say(String.format("end to end: %,d milestones waiting for the consumers; starting them, following every"
                    + " consumer group of %s until its lag is zero (at most %d s)", backlog, TOPIC, limit.toSeconds()));
            Instant started = Instant.now();
            suite.up();
            Map<String, Double> cpuBefore = consumerCpu();
            List<String> consumers = List.of(SuiteSettings.ORDER_SYNC, SuiteSettings.BILLING, SuiteSettings.SERVICE_VIEW);
            Map<String, Double> gcBefore = new java.util.HashMap<>();
            consumers.forEach(c -> gcBefore.put(c, gcSeconds(c)));
            Instant measuredFrom = Instant.now();
            Map<String, Instant> firstProgress = new java.util.HashMap<>();
            Map<String, Instant> lastProgress = new java.util.HashMap<>();
            Map<String, Long> last = new java.util.HashMap<>(initial);
            Instant deadline = Instant.now().plus(limit);
            while (Instant.now().isBefore(deadline)) {
                Map<String, Long> now = committed(admin);
                Instant t = Instant.now();
                boolean allDone = true;
                for (Map.Entry<String, Long> g : now.entrySet()) {
                    long before = last.getOrDefault(g.getKey(), g.getValue());
                    if (g.getValue() > before) {
                        firstProgress.putIfAbsent(g.getKey(), t);
                        lastProgress.put(g.getKey(), t);
                    }
                    last.put(g.getKey(), g.getValue());
                    allDone &= g.getValue() >= end;
                }
                if (allDone) {
                    break;
                }
                Thread.sleep(1000);
            }
            Map<String, Double> cpuAfter = consumerCpu();
            double wall = Duration.between(measuredFrom, Instant.now()).toMillis() / 1000.0;
            List<String> gc = new ArrayList<>();
            consumers.forEach(c -> gc.add(gcShare(c, gcBefore.get(c), gcSeconds(c), wall)));
            long consumedAll = 0;
            for (Map.Entry<String, Long> g : last.entrySet()) {
                consumedAll += g.getValue() - initial.getOrDefault(g.getKey(), g.getValue());
            }
            StringBuilder sb = new StringBuilder(String.format("  end to end     %,d milestones of backlog; the consumers"
                    + " started %s%n", backlog, "with their services (JVM start included in the time to zero lag)"));
            sb.append(String.format("                 CPU per consumed event (%,d consumed by all groups): %s%n",
                    consumedAll, ProcessCpu.perItem(cpuBefore, cpuAfter, consumedAll)));
            sb.append(String.format("                 %s (%s)%n", String.join("; ", gc), String.join(", ",
                    consumers.stream().map(c -> c + " " + LocalSuite.heapFlags(c)).toList())));
            Instant allZero = null;
            for (Map.Entry<String, Long> g : last.entrySet()) {
                long consumed = g.getValue() - initial.getOrDefault(g.getKey(), g.getValue());
                long lag = end - g.getValue();
                if (consumed == 0 && lag <= 0) {
                    sb.append(String.format("                 %-36s nothing left (it consumed the whole backlog alone)%n",
                            g.getKey()));
                    continue;
                }
                Instant from = firstProgress.get(g.getKey());
                Instant to = lastProgress.get(g.getKey());
                double rate = from == null || !to.isAfter(from) ? 0
                        : consumed / (Duration.between(from, to).toMillis() / 1000.0);
                if (lag <= 0 && to != null) {
                    allZero = allZero == null || to.isAfter(allZero) ? to : allZero;
                }
                sb.append(String.format("                 %-36s %,9.0f events/s (%.2f x the disjoint batch phase's"
                        + " published rate), %,d consumed, lag %s%n", g.getKey(), rate,
                        disjointPublishedRate == 0 ? 0 : rate / disjointPublishedRate, consumed,
                        lag <= 0 ? "zero " + (to == null ? "at once" : String.format("%.0f s after the start",
                                Duration.between(started, to).toMillis() / 1000.0))
                                : String.format("%,d left after %d s", lag, limit.toSeconds())));
            }
            boolean behind = last.values().stream().anyMatch(c -> c < end);
            sb.append(behind ? String.format("                 not every group reached zero lag in time%n")
                    : String.format("                 every group's lag zero %.0f s after the start%n",
                            Duration.between(started, allZero == null ? started : allZero).toMillis() / 1000.0));
            if (behind) {
                sb.append(skipBacklog(admin));
            }
            return sb.toString();
        }
    }

    /**
     * A benchmark must not leave the suite hours behind: {@code ./logisync up} after it would wait for
     * its sample shipment behind the benchmark's own milestones. What the consumers could not catch up
     * with is skipped: their services are stopped, their groups moved to the end of the topic, and they
     * are started again. Only benchmark milestones are skipped (nothing else reported while it ran).
     */
    private String skipBacklog(Admin admin) throws Exception {
        List<String> consumers = List.of(SuiteSettings.SERVICE_VIEW, SuiteSettings.BILLING, SuiteSettings.ORDER_SYNC);
        consumers.forEach(suite::stop);
        long skipped = 0;
        int partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().size();
        Map<TopicPartition, OffsetSpec> spec = new java.util.HashMap<>();
        for (int i = 0; i < partitions; i++) {
            spec.put(new TopicPartition(TOPIC, i), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(spec).all().get();
        for (String group : committed(admin).keySet()) {
            var current = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> moved = new java.util.HashMap<>();
            for (var e : ends.entrySet()) {
                var at = current.get(e.getKey());
                skipped += Math.max(0, e.getValue().offset() - (at == null ? 0 : at.offset()));
                moved.put(e.getKey(), new org.apache.kafka.clients.consumer.OffsetAndMetadata(e.getValue().offset()));
            }
            admin.alterConsumerGroupOffsets(group, moved).all().get();
        }
        suite.up();
        return String.format("                 skipped the %,d benchmark milestones the groups had not reached, so the"
                + " suite is not left behind%n", skipped);
    }

    /**
     * Single-event REST, closed loop: each of the client threads posts its next report as soon as
     * the previous one is answered. Clients are plain threads with keep-alive connections
     * ({@link LoadClient}): the JDK's asynchronous client took a large share of the two cores itself, and
     * {@code HttpURLConnection} after it 127-148 µs per report.
     */
    private String singlePhase() throws Exception {
        int inFlight = 64;
        say("single-event REST: " + inFlight + " requests in flight, " + seconds + " s");
        String url = settings.url(SuiteSettings.MILESTONE) + "/api/v1/milestones";
        long before = endOffsets();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        resetStatementStatistics();
        Map<String, Double> cpuBefore = cpu();
        Instant start = Instant.now();
        long endNanos = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < inFlight; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < endNanos) {
                    long t0 = System.nanoTime();
                    int status = post(url, nextMilestone());
                    latencies.add(System.nanoTime() - t0);
                    (status == 202 ? ok : failed).incrementAndGet();
                }
            });
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join();
        }
        double elapsed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        Instant drained = awaitPublished(before + ok.get());
        Map<String, Double> cpuAfter = cpu();
        lastSingleRate = ok.get() / elapsed;
        return String.format("  single REST    %,9.0f requests/s accepted (202); all published %.1f s after the start;"
                        + " latency p50 %s ms, p99 %s ms (closed loop, %d in flight); failed: %d%n"
                        + "                 CPU per request: %s%n                 %s%n%s",
                lastSingleRate, Duration.between(start, drained).toMillis() / 1000.0, percentile(latencies, 50),
                percentile(latencies, 99), inFlight, failed.get(), ProcessCpu.perItem(cpuBefore, cpuAfter, ok.get()),
                ProcessCpu.busy(cpuBefore, cpuAfter, Duration.between(start, drained).toMillis() / 1000.0),
                heaviestStatements(SuiteSettings.databaseOf(SuiteSettings.MILESTONE), ok.get()));
    }

    /** Seconds of the latency phase's open loop run before the measured ones, not counted. */
    static final long LATENCY_WARM_UP_SECONDS = 5;

    /**
     * Open loop: requests are sent at their intended times whatever the answers do; latency counts from then. An
     * uncounted pass of {@link #LATENCY_WARM_UP_SECONDS} at the same rate comes first.
     */
    private String latencyPhase(double rate) throws Exception {
        say(String.format("accept latency at %.0f requests/s (half the single-event maximum), open loop, %d s", rate,
                seconds));
        String url = settings.url(SuiteSettings.MILESTONE) + "/api/v1/milestones";
        // A pass that is not counted first: the single phase's closed loop does not run the open loop's code, and
        // the generator compiling it took 170 ms of its CPU in the first 100 ms and sent 570 requests up to 110 ms
        // late in the first half second (2026-12-05). The measured loop's senders take over this pass's connections.
        openLoop(List.of(url), rate, LATENCY_WARM_UP_SECONDS, null, null);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        long total = (long) (rate * seconds);
        double gcBefore = gcSeconds(SuiteSettings.MILESTONE);
        double pausesBefore = metricSum(SuiteSettings.MILESTONE, "jvm_gc_pause_seconds_count");
        resetStatementStatistics();
        long intervalNanos = (long) (1_000_000_000L / Math.max(rate, 1));
        long[] byIndex = new long[(int) total];
        java.util.Arrays.fill(byIndex, LatencyTail.NONE);
        long[] generatorGcBefore = generatorGc();
        Map<String, Double> cpuBefore = cpu();
        long cpuStart = System.nanoTime();
        String timelineFile = System.getenv("LOGISYNC_BENCH_TIMELINE");
        Timeline timeline = timelineFile == null || timelineFile.isBlank() ? null : new Timeline();
        long[] lateByIndex = new long[(int) total];
        openLoop(List.of(url), rate, seconds, List.of(latencies), new AtomicLong[] {failed}, byIndex, lateByIndex,
                timeline == null ? null : timeline::begin);
        if (timeline != null) {
            timeline.stop();
            timeline.write(java.nio.file.Path.of(timelineFile), byIndex, lateByIndex, intervalNanos);
            say("the latency phase's timeline, by 100 ms: " + timelineFile);
        }
        Map<String, Double> cpuAfter = cpu();
        double cpuSeconds = (System.nanoTime() - cpuStart) / 1e9;
        long[] generatorGcAfter = generatorGc();
        double pauses = metricSum(SuiteSettings.MILESTONE, "jvm_gc_pause_seconds_count") - pausesBefore;
        double paused = gcSeconds(SuiteSettings.MILESTONE) - gcBefore;
        return String.format("  latency        at %,.0f requests/s: p50 %s ms, p95 %s ms, p99 %s ms, max %s ms"
                        + " (from the intended send time); failed: %d%n"
                        + "                 %s; %s%n"
                        + "                 milestone-service GC: %.0f pauses, %.1f ms on average, %.2f s in all;"
                        + " the load generator's own: %d collections, %d ms in all%n"
                        + "                 CPU per request: %s%n                 %s%n%s", rate,
                percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99), percentile(latencies, 100),
                failed.get(), LatencyTail.describe(byIndex, intervalNanos, LatencyTail.SLOW_NANOS, 5),
                LatencyTail.lateSends(byIndex, lateByIndex, 5_000_000L),
                pauses, pauses <= 0 ? 0 : paused * 1000 / pauses, paused,
                generatorGcAfter[0] - generatorGcBefore[0], generatorGcAfter[1] - generatorGcBefore[1],
                ProcessCpu.perItem(cpuBefore, cpuAfter, total), ProcessCpu.busy(cpuBefore, cpuAfter, cpuSeconds),
                heaviestStatements(SuiteSettings.databaseOf(SuiteSettings.MILESTONE), total));
    }

    static final String PAIRED = "paired";

    /**
     * Two replicas of milestone-service side by side under the same open loop, every other request to each: a
     * setting compared within one run, on one machine in one state. This machine's speed moves by a fifth between
     * runs of a few minutes (the load generator's own CPU per request: 53-115 µs), which hides any change smaller
     * than that when two runs are compared. The second replica runs with {@code LOGISYNC_JAVA_OPTS_MILESTONE_SERVICE_2}
     * (the first with {@code LOGISYNC_JAVA_OPTS_MILESTONE_SERVICE}); both are started afresh here, warmed up
     * together by two passes of the loop that are not counted, and the second is stopped at the end. The rate is half
     * the single phase's maximum unless {@code LOGISYNC_BENCH_PAIRED_RATE} sets it: two replicas on two cores reach
     * their maximum sooner than one (each commits smaller groups), and a comparison of two overloaded replicas
     * measures their queues. Each replica's PostgreSQL backends are told apart by their {@code application_name}
     * (the suite sets it to the component's name), so PostgreSQL's CPU is split too.
     */
    private String pairedPhase(double rate) throws Exception {
        String replica = SuiteSettings.replica(SuiteSettings.MILESTONE);
        List<String> names = List.of(SuiteSettings.MILESTONE, replica);
        say(String.format("paired: %s and %s started afresh, %.0f requests/s in all, every other to each, %d s warm-up"
                + " and %d s measured", names.get(0), names.get(1), rate, 2 * seconds, seconds));
        // Both started afresh and warmed up together: with the first replica warm from the phases before and the
        // second one new, two replicas of the same settings differed by 48 % in their JVMs' CPU per request and 28 %
        // in their backends' (2026-12-05).
        suite.stop(SuiteSettings.MILESTONE);
        closeOpenLoopConnections();
        suite.launch(SuiteSettings.MILESTONE);
        suite.launch(replica);
        suite.awaitReady(SuiteSettings.MILESTONE);
        suite.awaitReady(replica);
        try {
            List<String> urls = List.of(settings.url(SuiteSettings.MILESTONE) + "/api/v1/milestones",
                    settings.url(replica) + "/api/v1/milestones");
            openLoop(urls, rate, seconds, null, null);
            openLoop(urls, rate, seconds, null, null);
            List<ConcurrentLinkedQueue<Long>> latencies = List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
            AtomicLong[] failed = {new AtomicLong(), new AtomicLong()};
            Map<String, Double> before = pairedCpu(names);
            openLoop(urls, rate, seconds, latencies, failed);
            Map<String, Double> after = pairedCpu(names);
            long each = (long) (rate * seconds) / 2;
            StringBuilder out = new StringBuilder(String.format("  paired         at %,.0f requests/s in all, %,d to each"
                    + " replica (open loop, latency from the intended send time)%n", rate, each));
            for (int r = 0; r < 2; r++) {
                String name = names.get(r);
                String options = System.getenv(LocalSuite.componentJvmOptionsVariable(name));
                double jvm = (after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0)) * 1e6 / each;
                double pg = (after.getOrDefault("pg:" + name, 0.0) - before.getOrDefault("pg:" + name, 0.0)) * 1e6 / each;
                out.append(String.format("    %-20s p50 %s ms, p95 %s ms, p99 %s ms; CPU per request: its JVM %.1f µs,"
                                + " its PostgreSQL backends %.1f µs; failed: %d; options: %s%n", name,
                        percentile(latencies.get(r), 50), percentile(latencies.get(r), 95), percentile(latencies.get(r), 99),
                        jvm, pg, failed[r].get(), options == null || options.isBlank() ? "(none)" : options.trim()));
            }
            return out.toString();
        } finally {
            suite.stop(replica);
        }
    }

    /**
     * An open loop of {@code durationSeconds} at {@code rate} requests/s, request {@code i} to {@code urls[i % n]}, its latency
     * from its intended send time and its failure (not 202) counted per URL when {@code latencies} is given. 64
     * senders take the requests in turn, each the next one not taken, and send it at its intended time (or at once if
     * that has passed: every sender was busy). The same as a pool of 64 fed by a dispatching thread, without that
     * thread's wake-up and hand-over per request (about 80 µs of the generator's CPU per request here, twenty-seventh
     * session).
     */
    private void openLoop(List<String> urls, double rate, long durationSeconds,
            List<ConcurrentLinkedQueue<Long>> latencies, AtomicLong[] failed) throws InterruptedException {
        openLoop(urls, rate, durationSeconds, latencies, failed, null, null, null);
    }

    /**
     * The same, each request's latency also kept by its index in {@code byIndex} when given ({@link LatencyTail}), and
     * in {@code lateByIndex} how long after its intended time the generator sent it (its own delay, in the latency).
     */
    private void openLoop(List<String> urls, double rate, long durationSeconds,
            List<ConcurrentLinkedQueue<Long>> latencies, AtomicLong[] failed, long[] byIndex, long[] lateByIndex,
            java.util.function.LongConsumer started) throws InterruptedException {
        long intervalNanos = (long) (1_000_000_000L / Math.max(rate, 1));
        long total = (long) (rate * durationSeconds);
        AtomicLong next = new AtomicLong();
        List<Thread> senders = new ArrayList<>();
        // The clock starts once every sender runs and holds its connections: a thread started and a connection
        // opened while requests are due made the first half second's requests 35-127 ms late (2026-12-05).
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(64);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        AtomicLong clock = new AtomicLong();
        for (int t = 0; t < 64; t++) {
            Thread sender = new Thread(() -> {
                for (String url : urls) {
                    // The connection an earlier loop's sender left, if any: the measured loop after a warm-up pass
                    // then sends on the connections the service has already served, not on 64 new ones.
                    LoadClient kept = OPEN_LOOP_CONNECTIONS.computeIfAbsent(url,
                            u -> new java.util.concurrent.ConcurrentLinkedQueue<>()).poll();
                    if (kept != null) {
                        CLIENTS.get().put(url, kept);
                    }
                    try {
                        client(url).connect();
                    } catch (IOException e) {
                        // Counted as its requests' failures, as before: post opens the connection again.
                    }
                }
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long start = clock.get();
                for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long intended = start + i * intervalNanos;
                    for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    int r = (int) (i % urls.size());
                    String body = nextMilestone();
                    long sent = System.nanoTime();
                    int status = post(urls.get(r), body);
                    if (latencies != null) {
                        long latency = System.nanoTime() - intended;
                        latencies.get(r).add(latency);
                        if (byIndex != null && i < byIndex.length) {
                            byIndex[(int) i] = latency;
                            lateByIndex[(int) i] = sent - intended;
                        }
                        if (status != 202) {
                            failed[r].incrementAndGet();
                        }
                    }
                }
                for (String url : urls) {
                    OPEN_LOOP_CONNECTIONS.get(url).add(CLIENTS.get().remove(url));
                }
            });
            sender.start();
            senders.add(sender);
        }
        ready.await();
        clock.set(System.nanoTime());
        if (started != null) {
            started.accept(clock.get());
        }
        go.countDown();
        for (Thread sender : senders) {
            sender.join();
        }
    }

    /**
     * CPU seconds of each replica's JVM, and of its PostgreSQL backends ({@code pg:<name>}): the backends of the
     * milestone database whose {@code application_name} is the replica's name, read from {@code /proc}.
     */
    private Map<String, Double> pairedCpu(List<String> names) throws java.sql.SQLException {
        Map<String, java.util.Optional<ProcessHandle>> jvms = new java.util.LinkedHashMap<>();
        names.forEach(n -> jvms.put(n, suite.process(n)));
        Map<String, Double> cpu = new java.util.HashMap<>(ProcessCpu.seconds(jvms));
        try (java.sql.Connection c = superuser(); java.sql.PreparedStatement st = c.prepareStatement(
                "select pid, application_name from pg_stat_activity where datname = ?")) {
            st.setString(1, SuiteSettings.databaseOf(SuiteSettings.MILESTONE));
            try (java.sql.ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String app = rs.getString(2);
                    if (names.contains(app)) {
                        cpu.merge("pg:" + app, ProcessCpu.ticks(rs.getLong(1), false) / 100.0, Double::sum);
                    }
                }
            }
        }
        return cpu;
    }

    /**
     * What the machine did in each 100 ms of the latency phase, for finding what gathers its tail
     * ({@code LOGISYNC_BENCH_TIMELINE=<file>}, a diagnosis, not part of a run's figures): each process's CPU and what
     * the milestone database's backends not idle waited on (by state), sampled by a thread of its own, written beside each
     * window's requests, those over 25 ms and its slowest, as CSV.
     */
    private final class Timeline {
        private long start;
        private long startEpochMillis;
        private final List<String> rows = java.util.Collections.synchronizedList(new ArrayList<>());
        private Thread sampler;
        private volatile boolean running = true;

        /** Starts sampling from {@code start} ({@link System#nanoTime()}), the open loop's time zero. */
        void begin(long start) {
            this.start = start;
            this.startEpochMillis = System.currentTimeMillis();
            sampler = new Thread(this::sample, "latency-timeline");
            sampler.setDaemon(true);
            sampler.start();
        }

        private void sample() {
            Map<String, Double> last = cpu();
            try (java.sql.Connection c = superuser(); java.sql.PreparedStatement ps = c.prepareStatement(
                    "select replace(state, ' ', '_') || '/' || coalesce(wait_event_type, 'CPU') || ':'"
                            + " || coalesce(wait_event, '-'), count(*) from pg_stat_activity where datname = ?"
                            + " and state <> 'idle' and pid <> pg_backend_pid() group by 1 order by 2 desc")) {
                ps.setString(1, SuiteSettings.databaseOf(SuiteSettings.MILESTONE));
                for (long k = 1; running; k++) {
                    long due = start + k * LatencyTail.WINDOW_NANOS;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    Map<String, Double> now = cpu();
                    StringBuilder row = new StringBuilder().append(k - 1);
                    for (String name : List.of(SuiteSettings.MILESTONE, LocalSuite.POSTGRES, LocalSuite.KAFKA,
                            LocalSuite.TRACE_SINK, ProcessCpu.LOAD_GENERATOR)) {
                        row.append(',').append(Math.round((now.getOrDefault(name, 0.0) - last.getOrDefault(name, 0.0)) * 1000));
                    }
                    StringBuilder waits = new StringBuilder();
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            waits.append(waits.length() == 0 ? "" : " ").append(rs.getString(1)).append('=').append(rs.getInt(2));
                        }
                    }
                    rows.add(row.append(',').append(waits).toString());
                    last = now;
                }
            } catch (java.sql.SQLException e) {
                rows.add("sampling stopped: " + e.getMessage().replace(',', ';'));
            }
        }

        void stop() throws InterruptedException {
            running = false;
            if (sampler != null) {
                sampler.join(5_000);
            }
        }

        void write(java.nio.file.Path file, long[] byIndex, long[] lateByIndex, long intervalNanos) throws IOException {
            int windows = LatencyTail.windows(byIndex.length, intervalNanos);
            int[] requests = new int[windows];
            int[] over = new int[windows];
            long[] worst = new long[windows];
            long[] latest = new long[windows];
            for (int i = 0; i < byIndex.length; i++) {
                int w = LatencyTail.windowOf(i, intervalNanos, windows);
                latest[w] = Math.max(latest[w], lateByIndex[i]);
                requests[w]++;
                if (byIndex[i] > LatencyTail.SLOW_NANOS) {
                    over[w]++;
                }
                worst[w] = Math.max(worst[w], byIndex[i]);
            }
            List<String> out = new ArrayList<>();
            out.add("window,requests,over_25ms,slowest_ms,latest_send_ms,sampled_window,milestone_service_ms,postgres_ms,kafka_ms,"
                    + "trace_sink_ms,load_generator_ms,milestone_db_backends_not_idle (window 0 began at "
                    + Instant.ofEpochMilli(startEpochMillis) + ")");
            List<String> sampled = new ArrayList<>(rows);
            for (int w = 0; w < windows; w++) {
                out.add(w + "," + requests[w] + "," + over[w] + "," + String.format("%.1f", worst[w] / 1e6) + ","
                        + String.format("%.1f", latest[w] / 1e6) + ","
                        + (w < sampled.size() ? sampled.get(w) : ""));
            }
            java.nio.file.Files.write(file, out);
        }
    }

    /** The load generator's (this JVM's) collections and their milliseconds so far: its pauses delay its sends. */
    private static long[] generatorGc() {
        long count = 0;
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().contains("Concurrent")) {
                continue; // G1's concurrent cycles run beside the senders, they do not stop them
            }
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** The open loops' connections by URL, handed from one loop's senders to the next loop's. */
    private static final Map<String, java.util.concurrent.ConcurrentLinkedQueue<LoadClient>> OPEN_LOOP_CONNECTIONS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Closes the connections the open loops kept (their service was stopped). */
    private static void closeOpenLoopConnections() {
        OPEN_LOOP_CONNECTIONS.values().forEach(q -> {
            for (LoadClient c = q.poll(); c != null; c = q.poll()) {
                c.close();
            }
        });
    }

    /** Each client thread's connections, one per URL ({@link LoadClient}: the generator's CPU is the services' loss). */
    private static final ThreadLocal<Map<String, LoadClient>> CLIENTS = ThreadLocal.withInitial(java.util.HashMap::new);

    private static LoadClient client(String url) {
        return CLIENTS.get().computeIfAbsent(url, u -> new LoadClient(u, "Bearer " + token));
    }

    /**
     * A batch's answer counted without building its tree: its first members are {@code received} and
     * {@code recorded} ({@code BatchResult#toJson}), read by a streaming parser that stops once it has both.
     */
    static long[] batchCounts(byte[] answer) throws IOException {
        long received = -1;
        long recorded = -1;
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(answer)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new IOException("a batch's answer is not an object");
            }
            while ((received < 0 || recorded < 0) && p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("received".equals(name)) {
                    received = p.getLongValue();
                } else if ("recorded".equals(name)) {
                    recorded = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
        }
        if (received < 0 || recorded < 0) {
            throw new IOException("a batch's answer without its counts");
        }
        return new long[] {received, recorded};
    }

    /** POSTs a JSON body and answers the response body (2xx only). */
    private static byte[] postForBody(String url, String body) throws IOException {
        LoadClient.Answer a = client(url).post(body.getBytes(StandardCharsets.UTF_8), true);
        if (a.status() >= 300) {
            throw new IOException("POST " + url + " answered " + a.status() + ": " + a.text());
        }
        return a.body();
    }

    /** POSTs a JSON body; the status, or -1 when the call failed. */
    private static int post(String url, String body) {
        try {
            return client(url).post(body.getBytes(StandardCharsets.UTF_8), false).status();
        } catch (IOException e) {
            return -1;
        }
    }

    private String producerPerformance() throws Exception {
        int size = recordSize();
        say("Kafka ProducerPerformance, " + size + "-byte records (the average MilestoneRecorded just published)");
        String topic = "logisync.bench.producer-perf";
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
            }
        }
        long records = Math.max(200_000L, 150_000L * Math.min(seconds, 20));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", Long.toString(records), "--record-size", Integer.toString(size),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + settings.kafkaBootstrap(), "acks=all",
                "linger.ms=5", "batch.size=65536"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = "";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.contains("records sent")) {
                    last = line;
                }
            }
        }
        p.waitFor(5, TimeUnit.MINUTES);
        return String.format("  Kafka itself   ProducerPerformance, %d-byte records, acks=all, linger 5 ms, 64 KiB"
                + " batches, 6 partitions: %s%n", size, last.trim());
    }

    /**
     * What PostgreSQL alone can write of what every accepted milestone costs it at least: its
     * {@code milestone} row and its {@code outbox_event} row, with their indexes and the real
     * payload, 1,000 of each per transaction, rows made by the server itself (no client encoding),
     * from two sessions so it may take both cores. Scratch copies of the two tables, dropped after.
     * It is issue 19's yardstick and stays the same: since V13 the service writes the milestone row alone (it
     * is its own publication log entry), so this is no longer a ceiling for it, but the ratios of every run
     * remain comparable.
     */
    private String databaseCeiling() throws Exception {
        say("PostgreSQL alone: a milestone row and an outbox row per milestone, 1,000 per transaction, 2 sessions, "
                + seconds + " s");
        String url = "jdbc:postgresql://localhost:" + settings.postgresPort() + "/milestone";
        String payload;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "logisync", "logisync");
             java.sql.Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_milestone, bench_outbox");
            s.execute("create table bench_milestone (like milestone including all)");
            // The yardstick stays what issue 19 set it to, a milestone row and an outbox row: without the columns
            // (and their index and check) that make the milestone row its own log entry since V13.
            s.execute("alter table bench_milestone drop column if exists txid, drop column if exists seq,"
                    + " drop column if exists part, drop column if exists ce_id, drop column if exists traceparent");
            s.execute("create table bench_outbox (like outbox_event including defaults including indexes)");
            // Its own sequence, not the real outbox's.
            s.execute("alter table bench_outbox alter column seq drop default,"
                    + " alter column seq add generated always as identity");
            try (java.sql.ResultSet rs = s.executeQuery("select payload from milestone order by received_at desc limit 1")) {
                payload = rs.next() ? rs.getString(1) : "{}";
            }
        }
        String insert = "with g as (select ? || '-' || i as id, 'SHP-' || (i % " + shipments + ") as shipment"
                + " from generate_series(1, 1000) i),"
                + " m as (insert into bench_milestone (event_id, shipment_id, milestone, classifier, event_time,"
                + " received_at, delay_minutes, late, out_of_order, payload) select id, shipment, 'IN_TRANSIT', 'ACTUAL',"
                + " now(), now(), 0, false, false, ? from g)"
                + " insert into bench_outbox (event_id, topic, partition_key, ce_type, payload, traceparent)"
                + " select gen_random_uuid()::text, 'logisync.milestones.v1', shipment, 'com.logisync.milestone.recorded.v1',"
                + " ?, '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01' from g";
        AtomicLong written = new AtomicLong();
        long endNanos = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> sessions = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        long startNanos = System.nanoTime();
        for (int t = 0; t < 2; t++) {
            String prefix = run + "-" + t;
            Thread session = new Thread(() -> {
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "logisync", "logisync");
                     java.sql.PreparedStatement ps = c.prepareStatement(insert)) {
                    c.setAutoCommit(false);
                    for (long round = 0; System.nanoTime() < endNanos; round++) {
                        ps.setString(1, prefix + "-" + round);
                        ps.setString(2, payload);
                        ps.setString(3, payload);
                        ps.executeUpdate();
                        c.commit();
                        written.addAndGet(1000);
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            session.start();
            sessions.add(session);
        }
        for (Thread session : sessions) {
            session.join();
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "logisync", "logisync");
             java.sql.Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_milestone, bench_outbox");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return String.format("  PostgreSQL     %,9.0f milestones/s: alone, both cores, only the milestone and outbox rows"
                + " (%d-byte payload), 1,000 per transaction%n", written.get() / elapsed, payload.length());
    }

    // ---------------------------------------------------------------- helpers

    private int recordSize() throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(i -> new TopicPartition(TOPIC, i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            ends.forEach((tp, end) -> consumer.seek(tp, Math.max(0, end - 50)));
            long bytes = 0;
            int n = 0;
            Instant deadline = Instant.now().plusSeconds(10);
            while (n < 100 && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    bytes += r.serializedValueSize();
                    n++;
                }
            }
            return n == 0 ? 800 : (int) (bytes / n);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap()));
    }

    private long endOffsets() throws Exception {
        try (Admin admin = admin()) {
            int partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().size();
            Map<TopicPartition, OffsetSpec> spec = new java.util.HashMap<>();
            for (int i = 0; i < partitions; i++) {
                spec.put(new TopicPartition(TOPIC, i), OffsetSpec.latest());
            }
            return admin.listOffsets(spec).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    private Instant awaitPublished(long target) throws Exception {
        Instant deadline = Instant.now().plusSeconds(Math.max(120, seconds * 3L));
        while (endOffsets() < target) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Only " + endOffsets() + " of " + target + " records published in time");
            }
            Thread.sleep(100);
        }
        return Instant.now();
    }

    private static String percentile(ConcurrentLinkedQueue<Long> nanos, int p) {
        return Percentiles.of(nanos, p);
    }

    private HttpRequest request(String method, String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(String method, String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(method, url, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private static void say(String s) {
        System.out.println("[bench] " + s);
    }
}
