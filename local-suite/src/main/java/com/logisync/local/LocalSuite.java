package com.logisync.local;

import com.logisync.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The whole suite on one machine: PostgreSQL, a KRaft Kafka broker, a trace sink, the partner
 * simulator and the four services, each its own process. {@code up} starts what is not running
 * and waits until everything is ready; {@code down} stops everything it started, leftovers of a
 * crash included; {@code status} shows what runs where.
 */
public final class LocalSuite {

    public static final String POSTGRES = "postgres";
    public static final String KAFKA = "kafka";
    public static final String TRACE_SINK = "trace-sink";
    /**
     * The trace sink's JVM: 48 MB of kept export requests and a listing decoded beside them (TraceSinkMain), the
     * serial collector (the sink allocates little: a request's bytes, kept whole).
     */
    static final List<String> TRACE_SINK_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final SuiteSettings settings;
    private final ProcessSupervisor processes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String classpath = System.getProperty("java.class.path");

    public LocalSuite(SuiteSettings settings) {
        this.settings = settings;
        this.processes = new ProcessSupervisor(settings.home());
    }

    public SuiteSettings settings() {
        return settings;
    }

    public static void main(String[] args) {
        try {
            command(args);
        } catch (Throwable t) {
            // A failed command ends the launcher: a benchmark's or a supervisor's threads must not keep it alive
            // (a bench whose suite could not start stayed running, idle, until killed).
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void command(String[] args) throws Exception {
        // The benchmarks' clients are keep-alive HttpURLConnections, one per client thread (64 in the single-event
        // phases), as a TMS integration's connection pool is. The JDK keeps only 5 idle connections per host unless
        // told otherwise, so most of 64 threads' requests opened a new TCP connection: a handshake, a new server
        // connection and a socket in TIME_WAIT per request, measured as the service's latency. Set before the first
        // connection (the JDK reads it once).
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "256");
        }
        Path repo = Path.of(System.getProperty("logisync.repo", ".")).toAbsolutePath().normalize();
        LocalSuite suite = new LocalSuite(SuiteSettings.fromEnvironment(repo));
        String command = args.length == 0 ? "status" : args[0];
        switch (command) {
            case "up" -> {
                suite.up();
                SampleJourney.Journey journey = new SampleJourney(suite.settings()).run();
                System.out.println(journey.describe());
                suite.printUrls();
            }
            case "down" -> suite.down();
            case "status" -> suite.printStatus();
            case "journey" -> System.out.println(new SampleJourney(suite.settings()).run().describe());
            case "token" -> DevTokens.main(suite.settings(), args);
            case "bench" -> {
                suite.up();
                int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
                int shipments = args.length > 2 ? Integer.parseInt(args[2]) : MilestoneBenchmark.SHIPMENTS;
                MilestoneBenchmark.Mix mix = args.length > 3 ? MilestoneBenchmark.Mix.named(args[3])
                        : MilestoneBenchmark.Mix.IN_TRANSIT;
                System.out.println(new MilestoneBenchmark(suite, seconds, shipments, mix).run());
                System.exit(0); // the benchmark's HTTP client threads would keep the launcher alive
            }
            case "bench-view" -> {
                suite.up();
                int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
                int rate = args.length > 2 ? Integer.parseInt(args[2]) : 500;
                System.out.println(new CaseViewBenchmark(suite, seconds, rate).run());
                System.exit(0);
            }
            case "chaos" -> {
                suite.up();
                int shipments = args.length > 1 ? Integer.parseInt(args[1]) : 100;
                double scale = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
                ChaosRun.Options options = ChaosRun.Options.full(shipments);
                ChaosRun.Report report = new ChaosRun(suite, new ChaosRun.Options(options.shipments(), scale,
                        options.seed(), options.settleTimeout())).run();
                System.out.println(report.describe());
                System.exit(report.clean() ? 0 : 1);
            }
            default -> {
                System.err.println("usage: LocalSuite up|down|status|journey|bench [seconds [shipments [mix]]]|bench-view [seconds [rate]]"
                        + "|chaos [shipments [fault-scale]]");
                System.exit(2);
            }
        }
    }

    /** Components in start order; down stops them in reverse. */
    public List<String> components() {
        List<String> all = new ArrayList<>(List.of(POSTGRES, KAFKA, TRACE_SINK, SuiteSettings.SIMULATOR));
        all.addAll(settings.servicePorts().keySet());
        settings.replicaPorts().keySet().forEach(s -> all.add(SuiteSettings.replica(s)));
        return all;
    }

    /** Starts whatever is not running yet and waits until all of it is ready. Safe to call twice. */
    public void up() throws Exception {
        checkBuilt();
        Files.createDirectories(settings.home());
        startPostgres();
        startKafka();
        start(TRACE_SINK);
        startQuarkus(SuiteSettings.SIMULATOR, settings.simulatorPort(), List.of());
        for (Map.Entry<String, Integer> svc : settings.servicePorts().entrySet()) {
            startQuarkus(svc.getKey(), svc.getValue(), serviceConfig(svc.getKey()));
        }
        awaitHttp(SuiteSettings.SIMULATOR, settings.url(SuiteSettings.SIMULATOR) + "/q/health/ready");
        for (String svc : settings.servicePorts().keySet()) {
            awaitHttp(svc, settings.url(svc) + "/q/health/ready");
        }
        say("All components ready.");
    }

    /** Stops every component (services before the broker and the database) and any leftover of a crash. */
    public void down() {
        List<String> order = new ArrayList<>(components());
        java.util.Collections.reverse(order);
        for (String c : order) {
            if (processes.stop(c, Duration.ofSeconds(20))) {
                say("stopped " + c);
            }
        }
        for (ProcessHandle left : processes.leftovers()) {
            say("stopping leftover process " + left.pid() + " " + left.info().command().orElse(""));
            ProcessSupervisor.terminate(left, Duration.ofSeconds(10));
        }
        say("LogiSync is down.");
    }

    /**
     * The process doing a component's work, for measuring it: PostgreSQL's postmaster (its backends below
     * it), the JVM of any other component.
     */
    public Optional<ProcessHandle> process(String component) {
        if (POSTGRES.equals(component)) {
            Path pidFile = settings.home().resolve("pgdata").resolve("postmaster.pid");
            try {
                String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
                return first.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(first));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }
        return processes.running(component);
    }

    /** Stops one component (for tests that take the broker or the database away). */
    public boolean stop(String component) {
        return processes.stop(component, Duration.ofSeconds(20));
    }

    /** Kills one component with SIGKILL, as the kernel's OOM killer or a node failure would, and waits until it is gone. */
    public boolean kill(String component) throws InterruptedException {
        Optional<ProcessHandle> p = processes.running(component);
        if (p.isEmpty()) {
            return false;
        }
        p.get().destroyForcibly();
        try {
            p.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(component + " survived SIGKILL", e);
        }
        processes.stop(component, Duration.ofSeconds(1));
        return true;
    }

    /**
     * Starts a component that is not running (after {@link #stop} or {@link #kill}) and waits until it is
     * ready: a service or replica, the broker, the database, the simulator.
     */
    public void start(String component) throws Exception {
        launch(component);
        awaitReady(component);
    }

    /** Starts a component's process without waiting for it to be ready (the broker and database do wait). */
    public void launch(String component) throws Exception {
        switch (component) {
            case POSTGRES -> startPostgres();
            case KAFKA -> startKafka();
            case TRACE_SINK -> startJava(TRACE_SINK, TRACE_SINK_JVM, TraceSinkMain.class.getName(),
                    List.of(Integer.toString(settings.traceSinkPort())));
            case SuiteSettings.SIMULATOR -> startQuarkus(SuiteSettings.SIMULATOR, settings.simulatorPort(), List.of());
            default -> {
                String service = SuiteSettings.serviceOf(component);
                int port = component.equals(service) ? settings.servicePorts().get(service)
                        : settings.replicaPorts().get(service);
                startQuarkus(component, port, serviceConfig(service));
            }
        }
    }

    /** Waits until a service, replica or the simulator answers ready (the broker and database wait in start). */
    public void awaitReady(String component) throws InterruptedException {
        if (TRACE_SINK.equals(component)) {
            awaitHttp(component, settings.traceSinkUrl() + "/health");
        } else if (!List.of(POSTGRES, KAFKA).contains(component)) {
            awaitHttp(component, settings.url(component) + "/q/health/ready");
        }
    }

    /** Starts a second replica of a service beside the first, on its replica port, same database and consumer groups. */
    public void startReplica(String service) throws Exception {
        if (!settings.replicaPorts().containsKey(service)) {
            throw new IllegalArgumentException("no replica port configured for " + service);
        }
        start(SuiteSettings.replica(service));
    }

    /** Whether a component's process is alive. */
    public boolean isRunning(String component) {
        return processes.running(component).isPresent();
    }

    public void printStatus() {
        System.out.printf("%-26s %-9s %-8s %s%n", "COMPONENT", "STATE", "PID", "WHERE");
        for (String c : components()) {
            Optional<ProcessHandle> p = processes.running(c);
            System.out.printf("%-26s %-9s %-8s %s%n", c, p.isPresent() ? "running" : "stopped",
                    p.map(h -> Long.toString(h.pid())).orElse("-"), where(c));
        }
        System.out.println("logs: " + settings.home().resolve("logs"));
    }

    public void printUrls() {
        System.out.println();
        System.out.println("LogiSync is running. Swagger UI:");
        for (String svc : settings.servicePorts().keySet()) {
            System.out.printf("  %-24s %s/q/swagger-ui%n", svc, settings.url(svc));
        }
        System.out.printf("  %-24s %s/q/swagger-ui%n", SuiteSettings.SIMULATOR + " (stand-in)",
                settings.url(SuiteSettings.SIMULATOR));
        System.out.println("Ops console: " + settings.url(SuiteSettings.SERVICE_VIEW) + "/console/"
                + " (sign in with the token of: ./logisync token ops,service-agent)");
        System.out.println("Spans of a trace: " + settings.traceSinkUrl() + "/spans?traceId=<id>");
        System.out.println("Stop everything with: ./logisync down");
    }

    private String where(String c) {
        return switch (c) {
            case POSTGRES -> "postgresql://localhost:" + settings.postgresPort();
            case KAFKA -> settings.kafkaBootstrap();
            case TRACE_SINK -> settings.traceSinkUrl();
            default -> settings.url(c);
        };
    }

    private void checkBuilt() {
        List<String> missing = new ArrayList<>();
        for (String app : appsToRun()) {
            if (!Files.exists(quarkusJar(app))) {
                missing.add(quarkusJar(app).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Not built yet: " + missing + " (./logisync up builds them)");
        }
    }

    private List<String> appsToRun() {
        List<String> apps = new ArrayList<>(List.of(SuiteSettings.SIMULATOR));
        apps.addAll(settings.servicePorts().keySet());
        return apps;
    }

    private Path quarkusJar(String app) {
        return settings.repository().resolve(SuiteSettings.serviceOf(app)).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private void startPostgres() throws Exception {
        if (processes.running(POSTGRES).isPresent()) {
            say("postgres already running");
            return;
        }
        Path data = settings.home().resolve("pgdata").toAbsolutePath();
        killStalePostmaster(data);
        Path ready = settings.home().resolve("run/postgres.ready");
        Files.deleteIfExists(ready);
        requirePortFree(POSTGRES, settings.postgresPort());
        List<String> args = new ArrayList<>(List.of(Integer.toString(settings.postgresPort()), data.toString(),
                settings.home().resolve("pg-binaries").toAbsolutePath().toString(), ready.toAbsolutePath().toString()));
        for (String svc : settings.servicePorts().keySet()) {
            args.add(SuiteSettings.databaseOf(svc));
        }
        startJava(POSTGRES, List.of("-Xmx128m"), PostgresServerMain.class.getName(), args);
        await(POSTGRES, () -> Files.exists(ready));
    }

    /**
     * A postmaster orphaned by a crash of its launcher still holds the data directory. SIGINT is
     * PostgreSQL's fast shutdown (it disconnects the services' pooled sessions); SIGTERM would wait
     * for them to leave, and SIGKILL would leave backends holding shared memory.
     */
    private void killStalePostmaster(Path data) throws IOException, InterruptedException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        Optional<ProcessHandle> postmaster = first.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(first)).filter(h -> h.info().commandLine().isPresent());
        if (postmaster.isPresent()) {
            ProcessHandle h = postmaster.get();
            say("stopping orphaned PostgreSQL " + h.pid());
            new ProcessBuilder("kill", "-INT", Long.toString(h.pid())).inheritIO().start().waitFor();
            try {
                h.onExit().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            }
        }
        Files.deleteIfExists(pidFile);
    }

    private void startKafka() throws Exception {
        if (processes.running(KAFKA).isPresent()) {
            say("kafka already running");
        } else {
            requirePortFree(KAFKA, settings.kafkaPort());
            Path dir = settings.home().resolve("kafka").toAbsolutePath();
            Path data = dir.resolve("data");
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            Files.writeString(config, kafkaConfig(data));
            Path log4j = dir.resolve("log4j2.properties");
            Files.writeString(log4j, """
                    rootLogger.level=WARN
                    rootLogger.appenderRef.stdout.ref=STDOUT
                    appender.stdout.type=Console
                    appender.stdout.name=STDOUT
                    appender.stdout.layout.type=PatternLayout
                    appender.stdout.layout.pattern=%d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n
                    logger.kafka.name=kafka.server.KafkaServer
                    logger.kafka.level=INFO
                    """);
            if (!Files.exists(data.resolve("meta.properties"))) {
                Process format = new ProcessBuilder(javaBin, "-cp", classpath, "-Dlog4j2.configurationFile=" + log4j,
                        "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(processes.log(KAFKA).toFile()))
                        .start();
                if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                    throw new IllegalStateException("Formatting Kafka storage failed; see " + processes.log(KAFKA));
                }
            }
            startJava(KAFKA, List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + log4j), "kafka.Kafka",
                    List.of(config.toString()));
        }
        await(KAFKA, this::kafkaReady);
        createTopics();
    }

    private String kafkaConfig(Path data) {
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@localhost:%2$d
                listeners=PLAINTEXT://localhost:%1$d,CONTROLLER://localhost:%2$d
                advertised.listeners=PLAINTEXT://localhost:%1$d
                controller.listener.names=CONTROLLER
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                inter.broker.listener.name=PLAINTEXT
                log.dirs=%3$s
                num.partitions=3
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=3
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=false
                """.formatted(settings.kafkaPort(), settings.kafkaControllerPort(), data);
    }

    private boolean kafkaReady() {
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A topic's partitions here: 6 for the milestones, which service-view's {@link #VIEW_MILESTONE_CONSUMERS} share
     * evenly (with 3, one of its two consumers had two partitions, twice the other's share of a backlog), as do one or
     * three consumers, and the Kafka yardstick's 6; 3 for the others. The platform's are in k8s/base/topics.yaml (12
     * for the milestones). A data folder made before keeps its topics as they are.
     */
    static int partitions(String topic) {
        return Topics.MILESTONES.equals(topic) ? 6 : 3;
    }

    private void createTopics() throws InterruptedException {
        try (Admin admin = admin()) {
            for (String topic : Topics.ALL) {
                for (NewTopic t : List.of(new NewTopic(topic, partitions(topic), (short) 1).configs(Topics.config(topic)),
                        new NewTopic(Topics.deadLetter(topic), 1, (short) 1))) {
                    try {
                        admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("Creating topic " + t.name() + " failed", e.getCause());
                        }
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new IllegalStateException("Creating topic " + t.name() + " timed out", e);
                    }
                }
            }
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000));
    }

    /** service-view's consumers of the milestones topic on this single node (the chart runs 3 per pod). */
    static final int VIEW_MILESTONE_CONSUMERS = 2;

    /** The setting that gives service-view its consumers here, unless the environment names their number itself. */
    static List<String> viewConsumers(java.util.Map<String, String> env) {
        return env.containsKey("LOGISYNC_VIEW_MILESTONE_CONSUMERS") ? List.of()
                : List.of("-Dmp.messaging.incoming.milestones-in.concurrency=" + VIEW_MILESTONE_CONSUMERS);
    }

    /**
     * service-view's milestones batch on this single node: 8,000 events (the chart's pods take 4,000). Two consumers
     * hold 32,000 events under a backlog (one batch applied and one queued each), 8,000 more than the chart's three
     * consumers of 4,000, and the 3.5 GB heap holds them (356-457 MB live after each young collection in 2.5 GB; with
     * the parallel collector and 1.5 GB old, four full collections at the start and none in the next two minutes,
     * docs/benchmarks.md#jvm-settings). Here a batch of the benchmark's 2,000 shipments then holds twice the events
     * per shipment, so half the case rows are read and written per event: 0.96 and 1.00 x the published rate alone
     * against 0.90-0.93 x with 4,000 (2026-12-04).
     */
    static final int VIEW_MILESTONE_BATCH = 8000;

    /**
     * The settings that give service-view its batches here, unless the environment names their size itself: the
     * batch and a fetch large enough to fill it in one poll: 8 MiB, the 1,048 bytes per event the service's own 4 MiB
     * for 4,000 allow (the lifecycle mix's events are about 720 bytes).
     */
    static List<String> viewBatch(java.util.Map<String, String> env) {
        return env.containsKey("LOGISYNC_VIEW_MILESTONE_BATCH") ? List.of()
                : List.of("-Dmp.messaging.incoming.milestones-in.max.poll.records=" + VIEW_MILESTONE_BATCH,
                        "-Dmp.messaging.incoming.milestones-in.max.partition.fetch.bytes=" + (8 << 20));
    }

    /** The partner the sample journeys report as (its token: {@code DevTokens#carrierToken}). */
    public static final String SAMPLE_CARRIER = "SWIFT";

    private List<String> serviceConfig(String service) {
        String db = "localhost:" + settings.postgresPort() + "/" + SuiteSettings.databaseOf(service);
        List<String> props = new ArrayList<>(List.of(
                "-Dkafka.bootstrap.servers=" + settings.kafkaBootstrap(),
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + db,
                "-Dquarkus.datasource.reactive.url=postgresql://" + db,
                "-Dquarkus.otel.exporter.otlp.traces.endpoint=" + settings.traceSinkUrl(),
                // The suite's own development identity provider (./logisync token <role>).
                "-Dmp.jwt.verify.issuer=" + DevTokens.ISSUER,
                "-Dmp.jwt.verify.publickey.location=" + new DevTokens(settings).publicKey().toAbsolutePath()));
        // The partner simulator plays the TMS for order-sync and the ERP for billing.
        if (SuiteSettings.ORDER_SYNC.equals(service)) {
            props.add("-Dquarkus.rest-client.tms.url=" + settings.url(SuiteSettings.SIMULATOR));
            props.add("-Dquarkus.rest-client.legacy-tms.url=" + settings.url(SuiteSettings.SIMULATOR));
            // A TMS outage on a laptop lasts seconds, not hours: retry at least every 15 s (default 5 min).
            props.add("-Dlogisync.dispatch.max-backoff=15s");
        }
        if (SuiteSettings.MILESTONE.equals(service)) {
            // The sample carrier's trading-partner profile: it reports for the simulated TMS's carrier, by
            // REST and by X12 (EDI id SWFT, its POD signer in a K1 remark), so its PODs make shipments billable.
            String p = "-Dlogisync.partners." + SAMPLE_CARRIER + ".";
            props.addAll(List.of(p + "name=Swift Haulage", p + "channels=REST,X12", p + "carriers=Swift Haulage",
                    p + "time-zone=America/Chicago", p + "max-silence=4h", p + "x12.qualifier=ZZ", p + "x12.id=SWFT",
                    p + "x12.pod-signer=K1", p + "x12.pod-signer-prefix=SIGNED BY"));
            // ./logisync bench reports as partner BENCH, a high-volume TMS integration: allowed more than
            // the default 500 requests/s a partner gets (which capped the single-event phase before).
            props.add("-Dlogisync.rate-limit.partners." + MilestoneBenchmark.PARTNER + ".requests-per-second=50000");
            props.add("-Dlogisync.rate-limit.partners." + MilestoneBenchmark.PARTNER + ".burst=50000");
        }
        if (SuiteSettings.SERVICE_VIEW.equals(service)) {
            // Customers' webhooks and EDI go to the simulator's subscriber stand-in, over http; on a laptop a
            // retry comes within seconds (first after 2 s, then at most every 30 s), a call may take 5 s and a
            // sender killed mid-call is replaced after 10 s (production: 10 s, 1 h, 10 s and 30 s).
            props.add("-Dlogisync.subscriptions.allow-http=true");
            props.add("-Dlogisync.subscriptions.initial-backoff=2s");
            props.add("-Dlogisync.subscriptions.max-backoff=30s");
            props.add("-Dlogisync.subscriptions.timeout=5s");
            props.add("-Dlogisync.subscriptions.lease=10s");
            // Two consumers of the milestones topic, not the chart's three: here PostgreSQL shares the two cores with
            // the service, and a third consumer's session only competes for them (docs/operations.md, single node).
            // Alone on the benchmark's backlog, 0.93 x the published rate with two against 0.83 x with three in the
            // same hour (2026-12-04, docs/benchmarks.md). LOGISYNC_VIEW_MILESTONE_CONSUMERS still overrides it.
            props.addAll(viewConsumers(System.getenv()));
            // Batches of 8,000 instead of 4,000 (VIEW_MILESTONE_BATCH); LOGISYNC_VIEW_MILESTONE_BATCH still overrides it.
            props.addAll(viewBatch(System.getenv()));
        }
        if (SuiteSettings.BILLING.equals(service)) {
            props.add("-Dquarkus.rest-client.erp.url=" + settings.url(SuiteSettings.SIMULATOR));
            // On a laptop: invoice 5 s after eligibility (default 5 min) and retry ERP at least every 15 s.
            props.add("-Dlogisync.invoicing.hold=5s");
            props.add("-Dlogisync.invoicing.max-backoff=15s");
        }
        return props;
    }

    /**
     * Each service's heap in the local suite, about what its chart limit gives it (75 % of the limit):
     * milestone-service, the hot path, 768 MB with 512 MB young (1 Gi); service-view, the heaviest
     * consumer, 3.5 GB with 2 GB young and survivor spaces of 341 MB, committed at the start; billing 768 MB with 512 MB
     * young (1 Gi); the others 384 MB (512 Mi). The serial collector but for service-view ({@link #collector}), and
     * the collector a component's own options name instead (docs/benchmarks.md#jvm-settings).
     */
    static String heapFlags(String name) {
        return heapFlags(name, System.getenv());
    }

    static String heapFlags(String name, java.util.Map<String, String> env) {
        // milestone-service: a batch of 1,000 reports allocates tens of MB that die young (half the heap young
        // halved its GC). service-view under a backlog holds three consumers' batches (one applied, one queued
        // each) that survive every young collection: with batches of 2,000 and 256 MB young it collected every
        // 1-1.4 s and promoted what its survivor spaces could not hold until a full collection, 18.7-24.3 % of its
        // time; with 768 MB young, 6.6 %. Batches of 4,000 (since 2026-12-03) hold twice that: in 1 GB with 768 MB
        // young its GC took 19.2 % of its time on the lifecycle mix, in 1.5 GB with 1,152 MB young 12.4-13.9 %.
        // Its GC log (2026-12-04) showed why: 85-120 MB of new objects and 35 MB of long-lived ones survive each young
        // collection, the 115 MB survivor space overflowed at every one of them, and what it could not hold filled the
        // 384 MB old generation, a full collection (250-800 ms) every second or third young one. In 2.5 GB with 2 GB
        // young and survivor spaces of 341 MB (SurvivorRatio=4) nothing overflows and no full collection ran after
        // the start: 5.7 % (docs/benchmarks.md#jvm-settings). With the local suite's batches of 8,000 (2026-12-06):
        // 424-457 MB left after a young collection, four full ones in 140 s, 8.3-8.9 %; neither the parallel
        // collector (4.2-5.6 %, 8-11 full ones) nor 512 MB survivor spaces ran faster beyond the trials' spread.
        // milestone-service: 768 MB, 512 MB young, since 2026-12-06: in 512 MB with 256 MB young its GC took 5.8-7.1 %
        // of the batch phase (the rows handed to the relay live until their round is published), 3.3 % with 512 MB
        // young; what survives a young collection is about the same whatever its size, so half as many cost half.
        // billing: 768 MB, 512 MB young, since 2026-12-03: at 384 MB its GC took 11.7-12.9 % of its time on a backlog
        // of in-transit reports and 25.9 % on the lifecycle mix with the other consumers beside it (its batch's cases,
        // their details and the events queued behind them outlive a young collection of a small heap).
        // service-view: the parallel collector, its generations fixed (2026-12-07, forty-ninth session). Its serial
        // young pauses of 150-260 ms (full ones 230-540 ms), 10-11 % of the time under a backlog, left the second core
        // idle while the service waited (the machine 5.0-5.7 % idle); two collector threads paused it 6.3-6.7 s in
        // 150 s instead of 15.2-16.8 s and the machine was 0.7-0.9 % idle. Without -Xms the parallel collector kept the
        // old generation at its initial size and collected it fully every 2 s (docs/benchmarks.md#jvm-settings).
        String flags = name.startsWith(SuiteSettings.SERVICE_VIEW) ? "-Xms3584m -Xmx3584m -Xmn2g -XX:SurvivorRatio=4"
                : name.startsWith(SuiteSettings.MILESTONE) ? "-Xmx768m -Xmn512m"
                : name.startsWith(SuiteSettings.BILLING) ? "-Xmx768m -Xmn512m" : "-Xmx384m";
        String own = componentJvmOptions(name, env);
        flags = own.matches(".*-XX:\\+Use\\w+GC.*") ? flags : flags + " " + collector(name);
        return own.isEmpty() ? flags : flags + " " + own;
    }

    /**
     * The collector the local suite gives a service unless its own options name one: the parallel collector with
     * fixed generations for service-view (a serial pause left the second core idle), the serial one for the others.
     */
    static String collector(String name) {
        return name.startsWith(SuiteSettings.SERVICE_VIEW) ? "-XX:+UseParallelGC -XX:-UseAdaptiveSizePolicy"
                : "-XX:+UseSerialGC";
    }

    /**
     * A component's own JVM options from the environment, {@code LOGISYNC_JAVA_OPTS_<COMPONENT>} (the name in
     * capitals, dashes as underscores: {@code LOGISYNC_JAVA_OPTS_SERVICE_VIEW_SERVICE}), placed after the suite's
     * heap flags so they override them; the chart's {@code services.<name>.javaOpts} in the local suite, for
     * measuring a GC setting in a benchmark. Empty when unset.
     */
    static String componentJvmOptions(String name, java.util.Map<String, String> env) {
        String value = env.get(componentJvmOptionsVariable(name));
        return value == null ? "" : value.trim().replaceAll("\\s+", " ");
    }

    static String componentJvmOptionsVariable(String name) {
        return "LOGISYNC_JAVA_OPTS_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /**
     * JVM options added to every Quarkus process of this suite, from the system property
     * {@code logisync.suite.jvm-options} (space-separated; none by default).
     */
    static List<String> extraJvmOptions() {
        String options = System.getProperty("logisync.suite.jvm-options", "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    private void startQuarkus(String name, int port, List<String> config) {
        if (processes.running(name).isPresent()) {
            say(name + " already running");
            return;
        }
        requirePortFree(name, port);
        List<String> cmd = new ArrayList<>(List.of(javaBin));
        cmd.addAll(List.of(heapFlags(name).split(" ")));
        cmd.addAll(List.of(processes.homeMarker(),
                "-Dlogisync-suite.component=" + name, "-Dquarkus.http.port=" + port));
        if (!config.isEmpty()) {
            // Which component (and replica) each PostgreSQL backend serves, in pg_stat_activity.
            cmd.add("-Dquarkus.datasource.reactive.additional-properties.application_name=" + name);
        }
        cmd.addAll(extraJvmOptions());
        cmd.addAll(config);
        cmd.addAll(List.of("-jar", quarkusJar(name).toString()));
        processes.start(name, cmd);
        say("started " + name + " on port " + port);
    }

    private void startJava(String name, List<String> jvmOptions, String mainClass, List<String> args) {
        if (processes.running(name).isPresent()) {
            say(name + " already running");
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(processes.homeMarker(), "-Dlogisync-suite.component=" + name, "-cp", classpath, mainClass));
        cmd.addAll(args);
        processes.start(name, cmd);
        say("started " + name);
    }

    private void requirePortFree(String component, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 300);
            throw new IllegalStateException("Port " + port + " for " + component
                    + " is taken by another program; free it or choose another port (see README: ports)");
        } catch (IOException free) {
            // nothing listens: good
        }
    }

    private void awaitHttp(String component, String url) throws InterruptedException {
        await(component, () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private void await(String component, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    say(component + " ready");
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception ignored) {
                // not yet
            }
            if (processes.running(component).isEmpty()) {
                throw new IllegalStateException(component + " exited during start-up; see " + processes.log(component));
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(component + " not ready after " + READY_TIMEOUT.toSeconds() + " s; see "
                + processes.log(component));
    }

    private static void say(String s) {
        System.out.println("[logisync] " + s);
    }
}
