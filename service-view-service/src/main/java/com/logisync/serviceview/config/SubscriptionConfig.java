package com.logisync.serviceview.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Outbound deliveries (webhooks and EDI), under {@code logisync.subscriptions.*}. */
@ConfigMapping(prefix = "logisync.subscriptions")
public interface SubscriptionConfig {

    /** Whether the sender runs in this replica. */
    @WithDefault("true")
    boolean senderEnabled();

    /** The pause between two sending rounds when the last found nothing to send. */
    @WithDefault("500ms")
    Duration interval();

    /** Deliveries claimed per round (each the oldest pending of its subscription and shipment). */
    @WithDefault("50")
    int batchSize();

    /** How long a sender holds a delivery while it calls; a sender that dies is replaced after it. */
    @WithDefault("30s")
    Duration lease();

    /** How long one call may take (connect, send, answer). */
    @WithDefault("10s")
    Duration timeout();

    /** The wait after the first failed attempt, doubled per failure. */
    @WithDefault("10s")
    Duration initialBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("1h")
    Duration maxBackoff();

    /** After this long without success a delivery is given up: FAILED, the subscription FAILING, a service task. */
    @WithDefault("24h")
    Duration giveUpAfter();

    /** Whether plain-http targets are accepted (development and tests); production wants https. */
    @WithDefault("false")
    boolean allowHttp();
}
