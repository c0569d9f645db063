package com.logisync.local;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The load generator's HTTP client, its batch answer's counts and its choice of phases. */
class LoadClientTest {

    private HttpServer server;
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private final Set<Object> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Answers with a length (the status 202), or chunked when the body asks for it (length 0 to the JDK's server).
        server.createContext("/api/v1/milestones", exchange -> {
            calls.incrementAndGet();
            connections.add(exchange.getRemoteAddress());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            byte[] answer = ("{\"echo\":" + body + "}").getBytes(StandardCharsets.UTF_8);
            boolean chunked = body.contains("chunked");
            exchange.sendResponseHeaders(chunked ? 200 : 202, chunked ? 0 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (chunked) {
                    // Two chunks at least.
                    out.write(answer, 0, 3);
                    out.flush();
                    out.write(answer, 3, answer.length - 3);
                } else {
                    out.write(answer);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/milestones?x=1";
    }

    @Test
    void postsJsonWithItsTokenOnOneKeptConnectionAndReadsLengthAndChunkedAnswers() throws IOException {
        LoadClient client = new LoadClient(url(), "Bearer abc");
        LoadClient.Answer first = client.post("{\"n\":1}".getBytes(StandardCharsets.UTF_8), true);
        assertEquals(202, first.status());
        assertEquals("{\"echo\":{\"n\":1}}", first.text());
        LoadClient.Answer chunked = client.post("{\"chunked\":\"é\"}".getBytes(StandardCharsets.UTF_8), true);
        assertEquals(200, chunked.status());
        assertEquals("{\"echo\":{\"chunked\":\"é\"}}", chunked.text());
        // Not kept when not asked for, and the next answer is still read from the right place.
        LoadClient.Answer bare = client.post("{\"n\":3}".getBytes(StandardCharsets.UTF_8), false);
        assertEquals(202, bare.status());
        assertEquals(0, bare.body().length);
        assertEquals("{\"echo\":{\"n\":4}}", client.post("{\"n\":4}".getBytes(StandardCharsets.UTF_8), true).text());
        assertEquals(List.of(
                "POST /api/v1/milestones?x=1 Bearer abc application/json {\"n\":1}",
                "POST /api/v1/milestones?x=1 Bearer abc application/json {\"chunked\":\"é\"}",
                "POST /api/v1/milestones?x=1 Bearer abc application/json {\"n\":3}",
                "POST /api/v1/milestones?x=1 Bearer abc application/json {\"n\":4}"), List.copyOf(seen));
        assertEquals(1, connections.size(), "every request on the one keep-alive connection");
        client.close();
    }

    @Test
    void opensANewConnectionWhenTheServerClosedTheKeptOne() throws IOException {
        LoadClient client = new LoadClient(url(), null);
        assertEquals(202, client.post("{}".getBytes(StandardCharsets.UTF_8), false).status());
        // The server goes away and comes back on the same port: the kept connection is dead.
        int port = server.getAddress().getPort();
        server.stop(0);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/v1/milestones", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        assertEquals(204, client.post("{}".getBytes(StandardCharsets.UTF_8), true).status());
        client.close();
    }

    @Test
    void aConnectionRefusedFailsTheRequest() throws IOException {
        int port = server.getAddress().getPort();
        server.stop(0);
        LoadClient client = new LoadClient("http://127.0.0.1:" + port + "/api/v1/milestones", null);
        assertThrows(IOException.class, () -> client.post("{}".getBytes(StandardCharsets.UTF_8), false));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
    }

    @Test
    void readsAnAnswerThatRunsToTheEndOfTheConnection() throws IOException {
        byte[] raw = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it".getBytes(StandardCharsets.US_ASCII);
        LoadClient.Answer a = LoadClient.read(new ByteArrayInputStream(raw), true, null);
        assertEquals(200, a.status());
        assertArrayEquals("all of it".getBytes(StandardCharsets.US_ASCII), a.body());
        assertThrows(IOException.class, () -> LoadClient.read(new ByteArrayInputStream(new byte[0]), true, null));
    }

    @Test
    void aBatchAnswersCountsAreItsFirstMembers() throws IOException {
        String answer = "{\"received\":1000,\"recorded\":997,\"parked\":1,\"duplicates\":2,\"rejected\":0,"
                + "\"ambiguous\":0,\"items\":[{\"index\":0,\"outcome\":\"RECORDED\"}]}";
        assertArrayEquals(new long[] {1000, 997}, MilestoneBenchmark.batchCounts(answer.getBytes(StandardCharsets.UTF_8)));
        // In another order, with a nested member before them.
        assertArrayEquals(new long[] {3, 2}, MilestoneBenchmark.batchCounts(
                "{\"items\":[{\"a\":[1,2]}],\"recorded\":2,\"received\":3}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> MilestoneBenchmark.batchCounts(
                "{\"type\":\"about:blank\",\"status\":400}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> MilestoneBenchmark.batchCounts("[1]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void phasesAreAllOfThemOrThoseNamedInTheBenchmarksOrder() {
        Set<String> standard = new java.util.LinkedHashSet<>(List.of("batch", "shared", "single", "latency", "kafka",
                "postgres", "alone", "together"));
        Set<String> all = new java.util.LinkedHashSet<>(standard);
        all.add("paired");
        // The paired comparison of two replicas runs only when named.
        assertEquals(standard, MilestoneBenchmark.chosenPhases(null, all));
        assertEquals(standard, MilestoneBenchmark.chosenPhases(" ", all));
        assertEquals(List.of("single", "paired"), List.copyOf(MilestoneBenchmark.chosenPhases("paired", all)));
        assertEquals(List.of("batch", "postgres"), List.copyOf(MilestoneBenchmark.chosenPhases("postgres, BATCH", all)));
        assertEquals(List.of("single", "latency"), List.copyOf(MilestoneBenchmark.chosenPhases("latency", all)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MilestoneBenchmark.chosenPhases("batch,singel", all));
        assertEquals("LOGISYNC_BENCH_PHASES: no phase 'singel'; the phases are batch, shared, single, latency, kafka,"
                + " postgres, alone, together, paired", e.getMessage());
    }
}
