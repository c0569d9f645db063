package com.logisync.milestone.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/**
 * TMS webhook partners, under {@code logisync.webhooks.*}: each partner's payload format and shared
 * secret ({@code logisync.webhooks.partners.TRUCKSTREAM.secret=${TRUCKSTREAM_WEBHOOK_SECRET}}).
 */
@ConfigMapping(prefix = "logisync.webhooks")
public interface WebhookConfig {

    /** How old a signed request may be; older ones (and replays within it) are refused. */
    @WithDefault("5m")
    Duration maxAge();

    Map<String, Partner> partners();

    interface Partner {
        /** The HMAC-SHA256 key shared with the partner. */
        String secret();

        /** Which vendor payload shape the partner sends. */
        WebhookFormat format();
    }
}
