package com.logisync.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time of the suite's processes, read from {@code /proc/<pid>/stat}: user and system time of a
 * component's process and of every process below it (PostgreSQL's backends), including children that
 * have exited and been reaped ({@code cutime}, {@code cstime}). Linux only; elsewhere every figure is
 * zero and the benchmark says so.
 */
final class ProcessCpu {

    /** Clock ticks per second of {@code /proc} times (USER_HZ: 100 on every Linux architecture). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** CPU seconds used so far by each named process tree. */
    static Map<String, Double> seconds(Map<String, Optional<ProcessHandle>> processes) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        processes.forEach((name, handle) -> cpu.put(name, handle.map(ProcessCpu::treeSeconds).orElse(0.0)));
        return cpu;
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    private static double treeSeconds(ProcessHandle root) {
        long ticks = ticks(root.pid(), true);
        for (ProcessHandle child : root.descendants().toList()) {
            ticks += ticks(child.pid(), true);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** utime + stime (+ cutime + cstime) of one process; 0 when it is gone. */
    static long ticks(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
            if (withReapedChildren) {
                t += Long.parseLong(f[13]) + Long.parseLong(f[14]); // fields 16 and 17
            }
            return t;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU seconds a JVM's JIT compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}) have used:
     * the part of a freshly started service's CPU that goes to compiling its hot path, not to its work.
     */
    static double compilerSeconds(Optional<ProcessHandle> jvm) {
        if (jvm.isEmpty()) {
            return 0;
        }
        long ticks = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(jvm.get().pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** Microseconds of CPU per item, per process, and their total: {@code name 12.3 µs, …}. */
    static String perItem(Map<String, Double> before, Map<String, Double> after, long items) {
        StringBuilder sb = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double used = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            double micros = items == 0 ? 0 : used * 1_000_000 / items;
            total += e.getKey().equals(LOAD_GENERATOR) ? 0 : micros;
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format("%s %.1f", e.getKey(), micros));
        }
        return String.format("%s µs; LogiSync and infrastructure together %.1f µs", sb, total);
    }

    /**
     * How much of the machine the processes used over {@code seconds} of wall time: their CPU seconds over the cores'
     * (the load generator included), so a latency read at "half the maximum rate" tells how busy the cores were.
     */
    static String busy(Map<String, Double> before, Map<String, Double> after, double seconds) {
        double used = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            used += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format("the processes above used %.2f of the %d cores (%.0f %%)", seconds <= 0 ? 0 : used / seconds,
                cores, seconds <= 0 ? 0 : 100 * used / seconds / cores);
    }

    static final String LOAD_GENERATOR = "load generator";
}
