package com.logisync.serviceview.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Snapshots of the read model and replays from them. */
@ConfigMapping(prefix = "logisync.replay")
public interface ReplayConfig {

    /** How often a snapshot of the read model is taken (by one replica); a replay starts from the latest. */
    @WithDefault("6h")
    Duration snapshotEvery();

    /** A replay whose owner has not reported progress for this long is resumed by another replica (or after a restart). */
    @WithDefault("30s")
    Duration lease();

    /** Records read per batch; positions are saved after each batch. */
    @WithDefault("500")
    int batchSize();

    /**
     * How long after a replay finished the customer feed keeps the unique index on event_id the replay built
     * (FeedEventIdIndex): a live consumer may still apply again a batch it had applied before the restore.
     */
    @WithDefault("10m")
    Duration feedIndexKeptFor();

    /** How often each replica (one at a time) checks whether the feed's event-id index can go (FeedEventIdIndex). */
    @WithDefault("1m")
    Duration feedIndexCheckEvery();
}
