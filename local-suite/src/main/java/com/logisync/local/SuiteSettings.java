package com.logisync.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the local suite runs: its state folder (data, logs, pid files), the repository with the
 * built services, and every port. Defaults are the documented local ports; each can be overridden
 * with an environment variable (LOGISYNC_KAFKA_PORT, …) or set by a test.
 */
public record SuiteSettings(Path home, Path repository, int postgresPort, int kafkaPort, int kafkaControllerPort,
        int traceSinkPort, int simulatorPort, Map<String, Integer> servicePorts, Map<String, Integer> replicaPorts) {

    /** The suffix of a second replica's component name: {@code milestone-service-2}. */
    public static final String REPLICA_SUFFIX = "-2";

    /** Settings without second replicas. */
    public SuiteSettings(Path home, Path repository, int postgresPort, int kafkaPort, int kafkaControllerPort,
            int traceSinkPort, int simulatorPort, Map<String, Integer> servicePorts) {
        this(home, repository, postgresPort, kafkaPort, kafkaControllerPort, traceSinkPort, simulatorPort, servicePorts,
                Map.of());
    }

    public static final String ORDER_SYNC = "order-sync-service";
    public static final String MILESTONE = "milestone-service";
    public static final String BILLING = "billing-trigger-service";
    public static final String SERVICE_VIEW = "service-view-service";
    public static final String SIMULATOR = "partner-simulator";

    /** The settings from the environment, with the documented defaults. */
    public static SuiteSettings fromEnvironment(Path repository) {
        Map<String, Integer> services = new LinkedHashMap<>();
        services.put(ORDER_SYNC, env("LOGISYNC_ORDER_SYNC_PORT", 8081));
        services.put(MILESTONE, env("LOGISYNC_MILESTONE_PORT", 8082));
        services.put(BILLING, env("LOGISYNC_BILLING_PORT", 8083));
        services.put(SERVICE_VIEW, env("LOGISYNC_SERVICE_VIEW_PORT", 8084));
        // Second replicas of the two scaled services, started by ./logisync chaos only.
        Map<String, Integer> replicas = new LinkedHashMap<>();
        replicas.put(MILESTONE, env("LOGISYNC_MILESTONE_REPLICA_PORT", 8182));
        replicas.put(BILLING, env("LOGISYNC_BILLING_REPLICA_PORT", 8183));
        String home = System.getenv("LOGISYNC_HOME");
        return new SuiteSettings(home == null ? repository.resolve(".logisync") : Path.of(home), repository,
                env("LOGISYNC_PG_PORT", 15432), env("LOGISYNC_KAFKA_PORT", 19092),
                env("LOGISYNC_KAFKA_CONTROLLER_PORT", 19093), env("LOGISYNC_TRACE_SINK_PORT", 4318),
                env("LOGISYNC_SIMULATOR_PORT", 8089), services, replicas);
    }

    /** The database each service owns. */
    public static String databaseOf(String service) {
        return switch (serviceOf(service)) {
            case ORDER_SYNC -> "order_sync";
            case MILESTONE -> "milestone";
            case BILLING -> "billing";
            case SERVICE_VIEW -> "service_view";
            default -> throw new IllegalArgumentException(service);
        };
    }

    public String url(String component) {
        if (SIMULATOR.equals(component)) {
            return "http://localhost:" + simulatorPort;
        }
        if (component.endsWith(REPLICA_SUFFIX)) {
            return "http://localhost:" + replicaPorts.get(serviceOf(component));
        }
        return "http://localhost:" + servicePorts.get(component);
    }

    /** The component name of a service's second replica. */
    public static String replica(String service) {
        return service + REPLICA_SUFFIX;
    }

    /** The service a component runs: itself, or the service of a replica. */
    public static String serviceOf(String component) {
        return component.endsWith(REPLICA_SUFFIX)
                ? component.substring(0, component.length() - REPLICA_SUFFIX.length()) : component;
    }

    public String kafkaBootstrap() {
        return "localhost:" + kafkaPort;
    }

    public String traceSinkUrl() {
        return "http://localhost:" + traceSinkPort;
    }

    private static int env(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }
}
