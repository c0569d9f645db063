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

        /**
         * Log rows a writer of this process hands the relay in memory at most (OutboxHandOver), so that the relay
         * need not read back what was just written; 0 turns the hand-over off (every row read from the database).
         */
        @WithDefault("20000")
        int handOverRows();

        /** How the backlog (events committed, not yet published) is watched, and ingestion held back by it. */
        Admission admission();
    }

    /**
     * Admission control on the outbox backlog: while more events wait for publication than
     * {@code max-backlog}, requests that would add to it are held (up to {@code max-wait}), then refused
     * with 503 and {@code Retry-After}: publication, not acceptance, sets the pace, and the backlog
     * stays bounded (a few seconds of publication) instead of growing for as long as the load lasts.
     */
    interface Admission {
        /** Whether ingestion waits for the backlog; the backlog is watched (and its gauges exported) either way. */
        @WithDefault("false")
        boolean enabled();

        /** Events waiting for publication above which ingestion is held back. */
        @WithDefault("20000")
        long maxBacklog();

        /** How long a request is held at most before it is refused with 503. */
        @WithDefault("10s")
        Duration maxWait();

        /** How often the backlog is read (one indexed statement). */
        @WithDefault("200ms")
        Duration poll();
    }
}
