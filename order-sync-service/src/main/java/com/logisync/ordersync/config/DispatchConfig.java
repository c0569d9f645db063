package com.logisync.ordersync.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** How order-sync hands orders to the TMS, under {@code logisync.dispatch.*}. */
@ConfigMapping(prefix = "logisync.dispatch")
public interface DispatchConfig {

    /** How often the durable retry looks for pending handoffs. */
    @WithDefault("2s")
    Duration retryInterval();

    /** Wait before the first durable retry; doubles per failed attempt. */
    @WithDefault("2s")
    Duration initialBackoff();

    @WithDefault("5m")
    Duration maxBackoff();

    /** How long one handoff may take before another worker may try the order again. */
    @WithDefault("60s")
    Duration lease();

    /** Hard TMS rejections (4xx) after which the order is DISPATCH_FAILED. */
    @WithDefault("3")
    int maxRejections();

    /** The TMS product for orders no rule below routes elsewhere ({@code REST_TMS} or {@code LEGACY_TMS}). */
    @WithDefault("REST_TMS")
    String defaultTms();

    /** TMS product per customer id: {@code logisync.dispatch.tms-by-customer.CUST-7=LEGACY_TMS}. Wins over region. */
    Map<String, String> tmsByCustomer();

    /**
     * TMS product per pickup region, a country ({@code DE}) or {@code COUNTRY-REGION} ({@code US-TX}); the
     * most specific match wins: {@code logisync.dispatch.tms-by-region.DE=LEGACY_TMS}.
     */
    Map<String, String> tmsByRegion();
}
