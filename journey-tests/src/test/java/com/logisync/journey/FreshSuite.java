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

    private FreshSuite() {
    }

    /**
     * Settings for a suite in {@code <journey home>/<name>}; with {@code replicas}, ports for second
     * replicas of milestone-service and billing-trigger-service too. Anything a former run left there is
     * stopped and deleted: a fresh broker and database each run.
     */
    static LocalSuite create(String name, boolean replicas) throws IOException {
        Map<String, Integer> services = new LinkedHashMap<>();
        for (String s : List.of(SuiteSettings.ORDER_SYNC, SuiteSettings.MILESTONE, SuiteSettings.BILLING,
                SuiteSettings.SERVICE_VIEW)) {
            services.put(s, freePort());
        }
        Map<String, Integer> replicaPorts = new LinkedHashMap<>();
        if (replicas) {
            replicaPorts.put(SuiteSettings.MILESTONE, freePort());
            replicaPorts.put(SuiteSettings.BILLING, freePort());
        }
        SuiteSettings settings = new SuiteSettings(Path.of(System.getProperty("logisync.journey.home")).resolve(name),
                Path.of(System.getProperty("logisync.repo")).toAbsolutePath().normalize(), freePort(), freePort(),
                freePort(), freePort(), freePort(), services, replicaPorts);
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
