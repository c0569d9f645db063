package com.logisync.serviceview.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Service tasks and the business-transaction monitor, under {@code logisync.monitor.*}. */
@ConfigMapping(prefix = "logisync.monitor")
public interface MonitorConfig {

    /**
     * Delay threshold for customers whose preferences are not known (yet). Zero or more, as a customer's own (the
     * timeline's index of task facts holds delays over zero only: V16).
     */
    @WithDefault("60")
    @jakarta.validation.constraints.PositiveOrZero
    int defaultDelayThresholdMinutes();

    /** Released but neither dispatched, refused nor cancelled after this long. */
    @WithDefault("15m")
    Duration dispatchPending();

    /** The TMS refused the dispatch and nothing dispatched the order since, after this long. */
    @WithDefault("0s")
    Duration dispatchFailed();

    /** Dispatched, but no milestone or position from the carrier this long after the planned pickup. */
    @WithDefault("2h")
    Duration noTracking();

    /** Delivered with an accessorial still PENDING a clerk's decision after this long. */
    @WithDefault("4h")
    Duration accessorialWaiting();

    /** ERP refused the invoice for good (INVOICE_FAILED) this long after it was requested. */
    @WithDefault("0s")
    Duration invoiceFailed();

    /** An event of the shipment that service-view dead-lettered and nobody redrove successfully, after this long. */
    @WithDefault("0s")
    Duration crmViewNotUpdated();

    /** A carrier's report parked (no shipment, or several, match its keys) and not recorded after this long. */
    @WithDefault("4h")
    Duration parkedUnmatched();

    /** Delivered without a signed POD after this long. */
    @WithDefault("24h")
    Duration podMissing();

    /** Delivered without an invoice issued after this long. */
    @WithDefault("4h")
    Duration deliveredNotInvoiced();

    /** Invoice requested from ERP but not issued after this long. */
    @WithDefault("1h")
    Duration invoicePending();

    /** An open service task unchanged for this long rises one severity level (LOW, MEDIUM, HIGH); 0s: never. */
    @WithDefault("4h")
    Duration taskEscalateAfter();

    /** How often open tasks are escalated by age and missed pickups looked for. */
    @WithDefault("1m")
    Duration taskSweepInterval();

    /** Pickup windows that ended longer ago than this are not looked at for a missed pickup (the stuck list has them). */
    @WithDefault("14d")
    Duration missedPickupHorizon();

    /** Canonical reason codes that mean over, short or damaged (a DAMAGE_OSD task); a POD with OS&D notes does too. */
    @WithDefault("DAMAGE,SHORTAGE,OVERAGE,OSD")
    java.util.Set<String> osdReasons();

    /** How often the stage and stuck counts in /q/metrics are refreshed. */
    @WithDefault("30s")
    Duration metricsInterval();
}
