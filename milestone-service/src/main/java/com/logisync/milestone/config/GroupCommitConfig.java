package com.logisync.milestone.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Group commit of single-event reports ({@code GroupedIngestion}). */
@ConfigMapping(prefix = "logisync.milestones.group")
public interface GroupCommitConfig {

    /** The most reports written in one transaction. */
    @WithDefault("250")
    int maxSize();

    /** How many groups are written at once at most; reports arriving meanwhile wait and form the next group. */
    @WithDefault("2")
    int maxInFlight();

    /**
     * A group starts beside one already in flight only once that one has taken this long: normally one group at a
     * time, each holding all that arrived during the previous one, and a second only beside a group that stalls (a
     * row lock, a slow connection), so one stuck group never stops the replica's single reports. Zero starts them
     * side by side at once, as before 2026-12-05 (docs/benchmarks.md: one at a time cost PostgreSQL 41 % less per
     * report at the same rate, with the same latency).
     */
    @WithDefault("100ms")
    java.time.Duration overlapAfter();

    /**
     * How long one group may take to commit (above the database's own 30 s statement timeout): a group
     * whose connection hangs fails after it, freeing its slot, and its reports are retried one by one.
     */
    @WithDefault("45s")
    java.time.Duration timeout();
}
