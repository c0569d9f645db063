package com.logisync.milestone.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The telematics channel, under {@code logisync.telematics.*}. */
@ConfigMapping(prefix = "logisync.telematics")
public interface TelematicsConfig {

    /** At most one PositionReported per shipment per this interval (pings come every few seconds). */
    @WithDefault("5m")
    Duration positionEvery();

    /** How often a parked telematics record (its shipment not known yet) is tried again. */
    @WithDefault("10s")
    Duration parkRetryInterval();

    /** A parked record whose shipment never becomes known is dead-lettered after this. */
    @WithDefault("P2D")
    Duration parkExpireAfter();
}
