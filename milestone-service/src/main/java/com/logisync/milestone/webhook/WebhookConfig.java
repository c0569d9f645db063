package com.logisync.milestone.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * TMS webhooks, under {@code logisync.webhooks.*}. The partners themselves are trading-partner
 * profiles with the WEBHOOK channel, their payload format and shared secret
 * ({@code logisync.partners.TRUCKSTREAM.webhook.secret=${TRUCKSTREAM_WEBHOOK_SECRET}}).
 */
@ConfigMapping(prefix = "logisync.webhooks")
public interface WebhookConfig {

    /** How old a signed request may be; older ones (and replays within it) are refused. */
    @WithDefault("5m")
    Duration maxAge();
}
