package com.logisync.runtime.retry;

import java.time.Duration;

/** The durable retries' schedule: the initial wait, doubled per consecutive failure, capped. */
public final class Backoff {

    private Backoff() {
    }

    /** The wait after {@code failures} consecutive failures (1 → initial, 2 → twice that, …, never above max). */
    public static Duration exponential(Duration initial, Duration max, int failures) {
        long factor = 1L << Math.min(Math.max(failures - 1, 0), 16);
        Duration d = initial.multipliedBy(factor);
        return d.compareTo(max) > 0 ? max : d;
    }
}
