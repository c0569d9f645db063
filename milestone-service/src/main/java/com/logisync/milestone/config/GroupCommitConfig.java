package com.logisync.milestone.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Group commit of single-event reports ({@code GroupedIngestion}). */
@ConfigMapping(prefix = "logisync.milestones.group")
public interface GroupCommitConfig {

    /** The most reports written in one transaction. */
    @WithDefault("250")
    int maxSize();

    /** How many groups are written at once; reports arriving meanwhile wait and form the next group. */
    @WithDefault("2")
    int maxInFlight();

    /**
     * How long one group may take to commit (above the database's own 30 s statement timeout): a group
     * whose connection hangs fails after it, freeing its slot, and its reports are retried one by one.
     */
    @WithDefault("45s")
    java.time.Duration timeout();
}
