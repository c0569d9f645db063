package com.logisync.local;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmark's CPU lines: per item and process, and how busy the cores were. */
class ProcessCpuTest {

    private static Map<String, Double> of(double service, double postgres, double load) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("milestone-service", service);
        m.put("postgres", postgres);
        m.put(ProcessCpu.LOAD_GENERATOR, load);
        return m;
    }

    @Test
    void perItemCountsEveryProcessButLeavesTheLoadGeneratorOutOfTheTotal() {
        // 3 s of the service, 2 s of PostgreSQL and 1 s of the load generator for 100,000 items.
        String line = ProcessCpu.perItem(of(10, 20, 5), of(13, 22, 6), 100_000);
        assertEquals(String.format("milestone-service %.1f, postgres %.1f, load generator %.1f µs;"
                + " LogiSync and infrastructure together %.1f µs", 30.0, 20.0, 10.0, 50.0), line);
    }

    @Test
    void busyIsTheCpuSecondsOfEveryProcessOverTheWallTimeAndTheCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        // 6 CPU seconds in all (the load generator's included) over 4 s of wall time: 1.5 cores.
        String line = ProcessCpu.busy(of(10, 20, 5), of(13, 22, 6), 4.0);
        assertEquals(String.format("the processes above used 1.50 of the %d cores (%.0f %%)", cores, 150.0 / cores), line);
        assertEquals(String.format("the processes above used 0.00 of the %d cores (0 %%)", cores),
                ProcessCpu.busy(of(1, 1, 1), of(1, 1, 1), 0));
    }
}
