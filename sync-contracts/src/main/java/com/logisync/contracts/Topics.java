package com.logisync.contracts;

/** Kafka topic names. Versioned: a breaking payload change gets a new topic version. */
public final class Topics {
    /**
     * ERP's master data (customers, contracts), compacted: keyed {@code customer:<id>} (the latest account
     * survives) and {@code contract:<id>:<erpVersion>} (every contract version survives, as orders are rated
     * by the version they were released under), so a consumer or a replay starting from the beginning finds
     * all of it however old, long after the shipment topics have dropped their records.
     */
    public static final String MASTER_DATA = "logisync.masterdata.v1";
    public static final String ORDERS = "logisync.orders.v1";
    public static final String TELEMATICS = "logisync.telematics.v1";
    public static final String MILESTONES = "logisync.milestones.v1";
    public static final String BILLING = "logisync.billing.v1";
    public static final String SERVICE_TASKS = "logisync.service-tasks.v1";

    /** Every topic LogiSync produces or consumes, in workflow order. */
    public static final java.util.List<String> ALL = java.util.List.of(MASTER_DATA, ORDERS, TELEMATICS, MILESTONES, BILLING,
            SERVICE_TASKS);

    /** Topic settings beyond partitions and replicas: the master-data topic is compacted, never deleted by age. */
    public static java.util.Map<String, String> config(String topic) {
        return MASTER_DATA.equals(topic) ? java.util.Map.of("cleanup.policy", "compact") : java.util.Map.of();
    }

    private Topics() {
    }

    /** The dead-letter topic of a consumed topic. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
