package com.logisync.milestone.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.ConfigMapping;

import java.util.Map;

/**
 * Per-partner request rates on the ingestion endpoints, under {@code logisync.rate-limit.*}: a
 * token bucket per partner (per replica), refilled at {@code requests-per-second} up to {@code burst}.
 */
@ConfigMapping(prefix = "logisync.rate-limit")
public interface RateLimitConfig {

    @WithDefault("true")
    boolean enabled();

    /** Sustained requests per second a partner may send (a batch of 1,000 counts as one request). */
    @WithDefault("500")
    double requestsPerSecond();

    /** How many requests a partner may send at once after a quiet spell. */
    @WithDefault("1000")
    int burst();

    /** Partners with their own rate: {@code logisync.rate-limit.partners.SWIFT.requests-per-second=50}. */
    Map<String, Partner> partners();

    interface Partner {
        double requestsPerSecond();

        java.util.Optional<Integer> burst();
    }
}
