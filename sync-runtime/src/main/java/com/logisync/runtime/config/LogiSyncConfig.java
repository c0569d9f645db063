package com.logisync.runtime.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings every service shares, under {@code logisync.*}. */
@ConfigMapping(prefix = "logisync")
public interface LogiSyncConfig {

    /** The service's name: the CloudEvents {@code source} of what it publishes and its consumer name. */
    String serviceName();

    Outbox outbox();

    Consumer consumer();

    interface Consumer {
        /**
         * Retries of a failure that is neither transient nor poison before the record goes to the
         * dead-letter topic (a transient one is retried until it passes).
         */
        @WithDefault("8")
        long maxRetries();

        @WithDefault("100ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /**
         * How long a consumer remembers an event it applied ({@code processed_event}). Must exceed the
         * retention of every topic it consumes (7 days on the platform): a record still on a topic is
         * still recognised when it is delivered again.
         */
        @WithDefault("P30D")
        Duration ledgerRetention();

        /** How often the ledger is purged of what is older than its retention. */
        @WithDefault("1h")
        Duration ledgerPurgeInterval();
    }

    interface Outbox {
        /** Whether this instance relays outbox rows to Kafka. */
        @WithDefault("true")
        boolean relayEnabled();

        /** How long the relay waits after finding nothing to publish. */
        @WithDefault("100ms")
        Duration pollInterval();

        /** How many events one relay round publishes at most. */
        @WithDefault("500")
        int batchSize();

        /**
         * How long published rows are kept for audit before they are purged; zero purges them in bulk
         * as soon as every relay partition has published them.
         */
        @WithDefault("P1D")
        Duration retention();

        /**
         * How long a replica's lease on its relay partitions (and its membership) lasts without being
         * renewed: when a replica dies, the others take its partitions over after about this long.
         * Renewed every fifth of it.
         */
        @WithDefault("10s")
        Duration lease();
    }
}
