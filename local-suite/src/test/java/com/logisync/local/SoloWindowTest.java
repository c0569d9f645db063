package com.logisync.local;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How long a consumer alone is followed: while its JIT still takes more than a tenth of its CPU. */
class SoloWindowTest {

    private static MilestoneBenchmark.Sample at(long millis, double serviceCpu, double jit) {
        return new MilestoneBenchmark.Sample(millis, millis * 10, Map.of("service-view-service", serviceCpu,
                "postgres", 99.0), jit);
    }

    @Test
    void theShareIsTheJitsOverTheLastTenSecondsOfTheServicesOwnCpu() {
        List<MilestoneBenchmark.Sample> samples = new ArrayList<>();
        assertEquals(0, MilestoneBenchmark.recentJitShare(samples, "service-view-service"));
        samples.add(at(1_000, 1.0, 0.5));
        samples.add(at(5_000, 5.0, 2.0));
        // Not 10 s of samples yet: nothing to judge by.
        assertEquals(0, MilestoneBenchmark.recentJitShare(samples, "service-view-service"));
        samples.add(at(11_000, 12.0, 3.0));
        // From 1 s to 11 s: 11 s of its CPU, 2.5 s of them the JIT's.
        assertEquals(2.5 / 11.0, MilestoneBenchmark.recentJitShare(samples, "service-view-service"), 1e-9);
        samples.add(at(16_000, 20.0, 3.2));
        // From 5 s (the latest sample at least 10 s back) to 16 s: 15 s of CPU, 1.2 s of JIT.
        assertEquals(1.2 / 15.0, MilestoneBenchmark.recentJitShare(samples, "service-view-service"), 1e-9);
        assertEquals(true, MilestoneBenchmark.recentJitShare(samples, "service-view-service")
                < MilestoneBenchmark.WARM_JIT_SHARE);
    }

    /** One sample a second: 1 s of the service's CPU each, of which {@code jit(t)} seconds its JIT's. */
    private static List<MilestoneBenchmark.Sample> followed(int seconds, java.util.function.IntToDoubleFunction jit) {
        List<MilestoneBenchmark.Sample> samples = new ArrayList<>();
        double cpu = 0;
        double compiled = 0;
        for (int t = 1; t <= seconds; t++) {
            cpu += 1.0;
            compiled += jit.applyAsDouble(t);
            samples.add(at(t * 1000L, cpu, compiled));
        }
        return samples;
    }

    @Test
    void theWarmWindowStartsWhenTheJitHasSettled() {
        // The JIT takes 40 % of the service's CPU until 70 s, 5 % after: over the 10 s before 78 s it took 12 %
        // (two seconds at 40 %), before 79 s 8.5 %.
        List<MilestoneBenchmark.Sample> samples = followed(130, t -> t <= 70 ? 0.4 : 0.05);
        int settled = MilestoneBenchmark.settledSample(samples, "service-view-service");
        assertEquals(79_000, samples.get(settled).millis());
        // The window starts there, not a third of the way in (44 s), where the JIT still took 40 %.
        assertEquals(79_000, samples.get(MilestoneBenchmark.warmFrom(samples, "service-view-service")).millis());
        // Followed 45 s past it: 124 s is enough, 123 s is not.
        assertEquals(true, MilestoneBenchmark.settledLongEnough(samples.subList(0, 124), "service-view-service"));
        assertEquals(false, MilestoneBenchmark.settledLongEnough(samples.subList(0, 123), "service-view-service"));
    }

    @Test
    void noSettlingBeforeThirtySecondsAndAtMostTheLastMinute() {
        // A JIT idle from the start counts as settled at 30 s, not before.
        List<MilestoneBenchmark.Sample> samples = followed(150, t -> 0.0);
        assertEquals(30_000, samples.get(MilestoneBenchmark.settledSample(samples, "service-view-service")).millis());
        // 120 s warm: only the last 60 are the window.
        assertEquals(90_000, samples.get(MilestoneBenchmark.warmFrom(samples, "service-view-service")).millis());
    }

    @Test
    void aJitThatNeverSettlesLeavesTheLastTwoThirds() {
        List<MilestoneBenchmark.Sample> samples = followed(90, t -> 0.3);
        assertEquals(-1, MilestoneBenchmark.settledSample(samples, "service-view-service"));
        assertEquals(false, MilestoneBenchmark.settledLongEnough(samples, "service-view-service"));
        assertEquals(30_000, samples.get(MilestoneBenchmark.warmFrom(samples, "service-view-service")).millis());
        // Settled too late for 30 s of window: the last two thirds as well.
        List<MilestoneBenchmark.Sample> late = followed(100, t -> t <= 75 ? 0.4 : 0.0);
        assertEquals(83_000, late.get(MilestoneBenchmark.settledSample(late, "service-view-service")).millis());
        assertEquals(40_000, late.get(MilestoneBenchmark.warmFrom(late, "service-view-service")).millis());
        // Under 30 s of progress there is no window at all.
        assertEquals(-1, MilestoneBenchmark.warmFrom(followed(25, t -> 0.0), "service-view-service"));
    }

    @Test
    void noCpuMeansNoShare() {
        List<MilestoneBenchmark.Sample> samples = List.of(at(0, 3.0, 1.0), at(12_000, 3.0, 1.0));
        assertEquals(0, MilestoneBenchmark.recentJitShare(samples, "service-view-service"));
    }
}
