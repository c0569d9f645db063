package com.logisync.local;

import java.util.Arrays;

/**
 * Where an open loop's tail lies in time: spread over the whole phase (the queueing of busy cores) or gathered in a
 * few moments (a stall: a collection, a checkpoint, a vacuum). Works on each request's latency by its index, request
 * {@code i} intended at {@code i} intervals from the start.
 */
final class LatencyTail {

    /** A request not sent or not answered. */
    static final long NONE = -1;

    /** The windows the phase is cut into, and the latency that counts as slow (issue 19's p99 target). */
    static final long WINDOW_NANOS = 100_000_000L;
    static final long SLOW_NANOS = 25_000_000L;

    /** How many windows {@code requests} requests {@code intervalNanos} apart span. */
    static int windows(int requests, long intervalNanos) {
        return (int) Math.max(1, (requests * intervalNanos + WINDOW_NANOS - 1) / WINDOW_NANOS);
    }

    /** The window request {@code i} was intended in. */
    static int windowOf(int i, long intervalNanos, int windows) {
        return (int) Math.min(windows - 1, i * intervalNanos / WINDOW_NANOS);
    }

    private LatencyTail() {
    }

    /**
     * How many requests took longer than {@code thresholdNanos}, in how many of the phase's 100-ms windows (by
     * intended send time), the share of them in the worst tenth of those windows, and the p99 of each
     * {@code sliceSeconds} slice of the phase.
     */
    static String describe(long[] nanosByIndex, long intervalNanos, long thresholdNanos, int sliceSeconds) {
        int windows = windows(nanosByIndex.length, intervalNanos);
        int[] overByWindow = new int[windows];
        int over = 0;
        int answered = 0;
        for (int i = 0; i < nanosByIndex.length; i++) {
            long n = nanosByIndex[i];
            if (n == NONE) {
                continue;
            }
            answered++;
            if (n > thresholdNanos) {
                over++;
                overByWindow[windowOf(i, intervalNanos, windows)]++;
            }
        }
        int[] counts = Arrays.stream(overByWindow).filter(c -> c > 0).sorted().toArray();
        int worstTenth = 0;
        int take = (counts.length + 9) / 10;
        for (int k = counts.length - take; k < counts.length; k++) {
            worstTenth += counts[k];
        }
        StringBuilder slices = new StringBuilder();
        int perSlice = (int) Math.max(1, sliceSeconds * 1_000_000_000L / intervalNanos);
        for (int from = 0; from < nanosByIndex.length; from += perSlice) {
            long[] slice = Arrays.stream(nanosByIndex, from, Math.min(nanosByIndex.length, from + perSlice))
                    .filter(n -> n != NONE).sorted().toArray();
            if (slices.length() > 0) {
                slices.append(' ');
            }
            slices.append(slice.length == 0 ? "-" : String.format("%.1f",
                    slice[Math.max(0, (int) Math.ceil(0.99 * slice.length) - 1)] / 1_000_000.0));
        }
        return String.format("over %.0f ms: %,d of %,d requests (%.2f %%), in %d of the phase's %d 100-ms windows,"
                        + " %d %% of them in the worst tenth of those; p99 per %d-s slice: %s ms",
                thresholdNanos / 1e6, over, answered, answered == 0 ? 0 : 100.0 * over / answered, counts.length,
                windows, over == 0 ? 0 : Math.round(100.0 * worstTenth / over), sliceSeconds, slices);
    }

    /**
     * How many answered requests the load generator itself sent more than {@code lateNanos} after their intended
     * time (every sender busy, or the generator's own pauses), and how many of those over 25 ms it made late.
     */
    static String lateSends(long[] nanosByIndex, long[] lateByIndex, long lateNanos) {
        int late = 0;
        int answered = 0;
        long latest = 0;
        int slowAndLate = 0;
        int slow = 0;
        for (int i = 0; i < nanosByIndex.length; i++) {
            if (nanosByIndex[i] == NONE) {
                continue;
            }
            answered++;
            latest = Math.max(latest, lateByIndex[i]);
            boolean isLate = lateByIndex[i] > lateNanos;
            if (isLate) {
                late++;
            }
            if (nanosByIndex[i] > SLOW_NANOS) {
                slow++;
                if (isLate) {
                    slowAndLate++;
                }
            }
        }
        String told = String.format("the load generator sent %,d of %,d requests more than %.0f ms after their"
                        + " intended time (the latest %.1f ms), %,d of the %,d over %.0f ms", late, answered,
                lateNanos / 1e6, latest / 1e6, slowAndLate, slow, SLOW_NANOS / 1e6);
        if (answered == 0 || late <= answered * UNMEASURED_SHARE) {
            return told;
        }
        return told + String.format("; NOT A MEASUREMENT of the service at this rate: the generator was late for"
                + " %.0f %% of its requests (a machine slower than when the maximum was measured, or the rate beyond"
                + " what it can serve): run the phase again", 100.0 * late / answered);
    }

    /**
     * The share of requests sent late above which the phase measured the load generator or an overload, not the
     * service: 44,678 of 72,631 (2026-12-07, the rate half a maximum measured in a faster minute) and 8,203 of 33,428
     * late sends came with p99s of 9.5 s and 398 ms; in the whole runs of the forty-fifth and forty-sixth sessions
     * 89-199 of about 46,000-52,000 were late (docs/benchmark-log.md).
     */
    static final double UNMEASURED_SHARE = 0.05;
}
