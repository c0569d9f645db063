package com.logisync.local;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's stand-in for the kubelet's probes and Prometheus' scrapes. */
class PlatformProbesTest {

    private HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/", exchange -> {
            hits.computeIfAbsent(exchange.getRequestURI().getPath(), k -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    @Test
    void theChartsCadences() throws IOException {
        List<PlatformProbes.Probe> probes = PlatformProbes.ofService("http://svc:8082");
        assertEquals(List.of(new PlatformProbes.Probe("http://svc:8082/q/health/ready", Duration.ofSeconds(5)),
                new PlatformProbes.Probe("http://svc:8082/q/health/live", Duration.ofSeconds(10)),
                new PlatformProbes.Probe("http://svc:8082/q/metrics", Duration.ofSeconds(30))), probes);
        // The same periods as the chart's probes and its ServiceMonitor's interval.
        Path chart = Path.of("..", "helm", "logisync");
        String deployment = Files.readString(chart.resolve("templates/deployment.yaml"));
        assertEquals(5, periodAfter(deployment, "path: /q/health/ready"));
        assertEquals(10, periodAfter(deployment, "path: /q/health/live"));
        Matcher interval = Pattern.compile("serviceMonitor:[\\s\\S]*?interval: (\\d+)s")
                .matcher(Files.readString(chart.resolve("values.yaml")));
        assertTrue(interval.find(), "the ServiceMonitor's interval in values.yaml");
        assertEquals(30, Integer.parseInt(interval.group(1)));
    }

    private static int periodAfter(String yaml, String path) {
        Matcher m = Pattern.compile(Pattern.quote(path) + "[\\s\\S]*?periodSeconds: (\\d+)").matcher(yaml);
        assertTrue(m.find(), "a probe on " + path);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void eachEndpointIsAskedAtItsPeriodUntilClosed() throws Exception {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        PlatformProbes probes = new PlatformProbes(List.of(new PlatformProbes.Probe(base + "/q/health/ready", Duration.ofMillis(50)),
                new PlatformProbes.Probe(base + "/q/metrics", Duration.ofSeconds(60))));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hits("/q/health/ready") < 5 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        probes.close();
        // A request in flight at the close may still reach the server, unanswered to the probes.
        Thread.sleep(100);
        int ready = hits("/q/health/ready");
        assertTrue(ready >= 5, "readiness asked " + ready + " times");
        // The scrape is asked at once, then not again within its minute.
        assertEquals(1, hits("/q/metrics"));
        long answered = probes.answered();
        assertTrue(answered == ready + 1 || answered == ready, "answered " + answered + " of " + (ready + 1));
        assertEquals(0, probes.failed());
        Thread.sleep(200);
        assertEquals(ready, hits("/q/health/ready"), "nothing asked after close");
    }

    @Test
    void aServiceNotListeningIsAFailureAskedAgain() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (PlatformProbes probes = new PlatformProbes(
                List.of(new PlatformProbes.Probe("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofMillis(50))))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (probes.failed() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(probes.failed() >= 3, "failures " + probes.failed());
            assertEquals(0, probes.answered());
        }
    }
}
