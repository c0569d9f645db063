package com.logisync.local;

import java.util.Collection;

/** Latency percentiles of the benchmarks, in milliseconds with one decimal. */
final class Percentiles {

    private Percentiles() {
    }

    /** The p-th percentile (nearest rank) of durations in nanoseconds, or "-" when there are none. */
    static String of(Collection<Long> nanos, int p) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return "-";
        }
        int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return String.format("%.1f", sorted[Math.max(index, 0)] / 1_000_000.0);
    }
}
