package com.logisync.journey;

import com.logisync.local.LocalSuite;
import com.logisync.local.SuiteSettings;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A local suite of the packaged services on free ports, in a state folder of its own, emptied first. */
final class FreshSuite {

    /** At most this many forks run journey classes at once (journey-tests/pom.xml, forkCount). */
    private static final int FORKS = 2;

    private FreshSuite() {
    }

    /**
     * Settings for a suite in {@code <journey home>/<name>}; with {@code replicas}, ports for second
     * replicas of milestone-service and billing-trigger-service too. Anything a former run left there is
     * stopped and deleted: a fresh broker and database each run.
     */
    static LocalSuite create(String name, boolean replicas) throws IOException {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        Map<String, Integer> services = new LinkedHashMap<>();
        for (String s : List.of(SuiteSettings.ORDER_SYNC, SuiteSettings.MILESTONE, SuiteSettings.BILLING,
                SuiteSettings.SERVICE_VIEW)) {
            services.put(s, freePort(taken));
        }
        Map<String, Integer> replicaPorts = new LinkedHashMap<>();
        if (replicas) {
            replicaPorts.put(SuiteSettings.MILESTONE, freePort(taken));
            replicaPorts.put(SuiteSettings.BILLING, freePort(taken));
        }
        SuiteSettings settings = new SuiteSettings(Path.of(System.getProperty("logisync.journey.home")).resolve(name),
                Path.of(System.getProperty("logisync.repo")).toAbsolutePath().normalize(), freePort(taken), freePort(taken),
                freePort(taken), freePort(taken), freePort(taken), services, replicaPorts);
        LocalSuite suite = new LocalSuite(settings);
        suite.down();
        deleteRecursively(settings.home());
        return new LocalSuite(settings);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * A port nothing listens on, below the kernel's ephemeral range (32768-60999 here): a port the kernel hands
     * out with {@code new ServerSocket(0)} can be taken, before the service binds it, as the local port of any
     * outgoing connection (a Kafka or PostgreSQL client's), which once failed a CI run with "Port ... is taken by
     * another program". Distinct within one suite.
     */
    private static int freePort(java.util.Set<Integer> taken) throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        // Surefire runs the journey classes in two forks at once, each with its suites: each fork draws from a
        // range of its own, so two suites starting together never pick the same port before either binds it.
        // A value that is not a number (an empty placeholder) fails here rather than putting both forks on one range.
        int fork = Integer.parseInt(System.getProperty("logisync.journey.fork", "1"));
        int width = 12_000 / FORKS;
        int low = 20_000 + Math.floorMod(fork - 1, FORKS) * width;
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = random.nextInt(low, low + width);
            if (taken.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port)) {
                taken.add(port);
                return s.getLocalPort();
            } catch (IOException busy) {
                // someone listens there: try another
            }
        }
        throw new IOException("No free port found between " + low + " and " + (low + width));
    }
}
