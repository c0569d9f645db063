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

    @Test
    void noCpuMeansNoShare() {
        List<MilestoneBenchmark.Sample> samples = List.of(at(0, 3.0, 1.0), at(12_000, 3.0, 1.0));
        assertEquals(0, MilestoneBenchmark.recentJitShare(samples, "service-view-service"));
    }
}
