package com.logisync.local;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where an open loop's tail lies in time. */
class LatencyTailTest {

    private static final long MS = 1_000_000L;

    /** 10,000 requests 1 ms apart, each 5 ms, but every {@code step}-th from {@code from} to {@code to} takes {@code slow}. */
    private static long[] tenSecondsAt1000PerSecond(int from, int to, int step, long slow) {
        long[] latencies = new long[10_000];
        Arrays.fill(latencies, 5 * MS);
        for (int i = from; i < to; i += step) {
            latencies[i] = slow;
        }
        return latencies;
    }

    @Test
    void aStallGathersTheTailInAFewWindowsAndOneSlice() {
        // 1,000 requests/s for 10 s, each 5 ms; a stall makes the 60 requests intended at 3.00-3.06 s take 60 ms,
        // more than 1 % of their 5-s slice.
        long[] latencies = tenSecondsAt1000PerSecond(3_000, 3_060, 1, 60 * MS);
        assertEquals("over 25 ms: 60 of 10,000 requests (0.60 %), in 1 of the phase's 100 100-ms windows, 100 % of them"
                + " in the worst tenth of those; p99 per 5-s slice: 60.0 5.0 ms",
                LatencyTail.describe(latencies, MS, 25 * MS, 5));
    }

    @Test
    void queueingSpreadsItOverTheWholePhase() {
        // Every 100th request takes 30 ms: one in each 100-ms window, the worst tenth of them a tenth of the tail.
        long[] latencies = tenSecondsAt1000PerSecond(50, 10_000, 100, 30 * MS);
        assertEquals("over 25 ms: 100 of 10,000 requests (1.00 %), in 100 of the phase's 100 100-ms windows, 10 % of them"
                + " in the worst tenth of those; p99 per 5-s slice: 5.0 5.0 ms",
                LatencyTail.describe(latencies, MS, 25 * MS, 5));
    }

    @Test
    void requestsNeverAnsweredAreLeftOut() {
        long[] latencies = {2 * MS, LatencyTail.NONE, 40 * MS, LatencyTail.NONE};
        // 4 requests 500 ms apart: 2 s, 20 windows; the slow one intended at 1.0 s.
        assertEquals("over 25 ms: 1 of 2 requests (50.00 %), in 1 of the phase's 20 100-ms windows, 100 % of them in"
                + " the worst tenth of those; p99 per 1-s slice: 2.0 40.0 ms",
                LatencyTail.describe(latencies, 500 * MS, 25 * MS, 1));
    }

    @Test
    void theGeneratorsOwnDelayIsToldApart() {
        // Four answered: two sent 8 and 30 ms late (both over 25 ms in all), one slow though sent on time.
        long[] latencies = {3 * MS, 40 * MS, 35 * MS, 28 * MS, LatencyTail.NONE};
        long[] late = {0, 30 * MS, 8 * MS, 1 * MS, 0};
        assertEquals("the load generator sent 2 of 4 requests more than 5 ms after their intended time (the latest"
                + " 30.0 ms), 2 of the 3 over 25 ms; NOT A MEASUREMENT of the service at this rate: the generator was"
                + " late for 50 % of its requests (a machine slower than when the maximum was measured, or the rate"
                + " beyond what it can serve): run the phase again", LatencyTail.lateSends(latencies, late, 5 * MS));
    }

    @Test
    void aFewLateSendsLeaveThePhaseMeasured() {
        // 100 answered, 5 sent late: 5 %, not above the share, so the phase is told as measured.
        long[] latencies = new long[100];
        long[] late = new long[100];
        Arrays.fill(latencies, 3 * MS);
        for (int i = 0; i < 5; i++) {
            late[i] = 6 * MS;
        }
        assertEquals("the load generator sent 5 of 100 requests more than 5 ms after their intended time (the latest"
                + " 6.0 ms), 0 of the 0 over 25 ms", LatencyTail.lateSends(latencies, late, 5 * MS));
        late[5] = 7 * MS;
        assertTrue(LatencyTail.lateSends(latencies, late, 5 * MS).endsWith("late for 6 % of its requests (a machine"
                + " slower than when the maximum was measured, or the rate beyond what it can serve): run the phase"
                + " again"));
    }
}
