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
        int traceSinkPort, int simulatorPort, Map<String, Integer> servicePorts) {

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
        String home = System.getenv("LOGISYNC_HOME");
        return new SuiteSettings(home == null ? repository.resolve(".logisync") : Path.of(home), repository,
                env("LOGISYNC_PG_PORT", 15432), env("LOGISYNC_KAFKA_PORT", 19092),
                env("LOGISYNC_KAFKA_CONTROLLER_PORT", 19093), env("LOGISYNC_TRACE_SINK_PORT", 4318),
                env("LOGISYNC_SIMULATOR_PORT", 8089), services);
    }

    /** The database each service owns. */
    public static String databaseOf(String service) {
        return switch (service) {
            case ORDER_SYNC -> "order_sync";
            case MILESTONE -> "milestone";
            case BILLING -> "billing";
            case SERVICE_VIEW -> "service_view";
            default -> throw new IllegalArgumentException(service);
        };
    }

    public String url(String component) {
        int port = SIMULATOR.equals(component) ? simulatorPort : servicePorts.get(component);
        return "http://localhost:" + port;
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
