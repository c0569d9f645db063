package com.logisync.milestone.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long parked reports wait, under {@code logisync.parking.*}. */
@ConfigMapping(prefix = "logisync.parking")
public interface ParkingConfig {

    /**
     * An UNMATCHED report whose shipment never became known expires after this: it is no longer
     * released to an order that arrives later and is listed as EXPIRED for ops.
     */
    @WithDefault("P14D")
    Duration expireAfter();

    /** EXPIRED (and AMBIGUOUS never resolved) reports are deleted this long after they were received. */
    @WithDefault("P90D")
    Duration deleteAfter();

    /** How often parked reports are expired and deleted. */
    @WithDefault("1h")
    Duration sweepInterval();
}
