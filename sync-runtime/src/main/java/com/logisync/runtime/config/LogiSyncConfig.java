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
         * How long published rows are kept for audit before they are purged; zero deletes each row
         * in the transaction that saw Kafka acknowledge it.
         */
        @WithDefault("P1D")
        Duration retention();
    }
}
