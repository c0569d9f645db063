package com.logisync.contracts;

/** Kafka topic names. Versioned: a breaking payload change gets a new topic version. */
public final class Topics {
    public static final String ORDERS = "logisync.orders.v1";
    public static final String TELEMATICS = "logisync.telematics.v1";
    public static final String MILESTONES = "logisync.milestones.v1";
    public static final String BILLING = "logisync.billing.v1";
    public static final String SERVICE_TASKS = "logisync.service-tasks.v1";

    /** Every topic LogiSync produces or consumes, in workflow order. */
    public static final java.util.List<String> ALL = java.util.List.of(ORDERS, TELEMATICS, MILESTONES, BILLING, SERVICE_TASKS);

    private Topics() {
    }

    /** The dead-letter topic of a consumed topic. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
