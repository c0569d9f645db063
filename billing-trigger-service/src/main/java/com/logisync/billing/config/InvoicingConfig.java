package com.logisync.billing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How billing asks ERP for invoices, under {@code logisync.invoicing.*}. */
@ConfigMapping(prefix = "logisync.invoicing")
public interface InvoicingConfig {

    /**
     * How long an eligible case waits before it is rated and frozen: facts that arrive in this window
     * (a detention computed from a late departure, a liftgate the driver reports a minute after the
     * POD) still make the invoice, whatever order they arrive in.
     */
    @WithDefault("5m")
    Duration hold();

    /** How often the durable retry looks for cases due to be invoiced. */
    @WithDefault("2s")
    Duration retryInterval();

    /** Wait before the first durable retry; doubles per failed attempt. */
    @WithDefault("5s")
    Duration initialBackoff();

    @WithDefault("10m")
    Duration maxBackoff();

    /** How long one ERP call may take before another worker (of any replica) may try the case again. */
    @WithDefault("60s")
    Duration lease();

    /** How money is rounded to the currency's minor unit, as the ERP books it (HALF_UP, HALF_EVEN, …). */
    @WithDefault("HALF_UP")
    java.math.RoundingMode rounding();

    /** Hard ERP rejections (4xx) of one rating revision after which the case is INVOICE_FAILED. */
    @WithDefault("3")
    int maxRejections();

    /** The largest POD document (image or PDF) a billing case accepts, in bytes. */
    @WithDefault("5242880")
    int podDocumentMaxBytes();
}
