package com.logisync.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An HTTP stand-in for a partner system we don't own (TMS, ERP): tests script its answers, make it
 * fail for a while, and assert on exactly what our adapters sent it.
 */
public final class HttpStandIn {

    private static final Map<String, HttpStandIn> BY_NAME = new ConcurrentHashMap<>();

    /** A request as the partner received it. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    /** An answer: status, JSON body and headers. */
    public record Reply(int status, String body, Map<String, String> headers) {
        public static Reply json(int status, String body) {
            return new Reply(status, body, Map.of("Content-Type", "application/json"));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Received, Reply>> routes = new ConcurrentHashMap<>();
    private final Map<String, Deque<Reply>> queued = new ConcurrentHashMap<>();

    private HttpStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The stand-in of that name, started on first use and shared for the JVM's lifetime. */
    public static HttpStandIn named(String name) {
        return BY_NAME.computeIfAbsent(name, n -> new HttpStandIn());
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code method path} with {@code handler} from now on. */
    public HttpStandIn on(String method, String path, Function<Received, Reply> handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    /** The next calls to {@code method path} get these replies, in order, before the route's handler. */
    public HttpStandIn thenReply(String method, String path, Reply... replies) {
        queued.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).addAll(List.of(replies));
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String method, String path) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    public void reset() {
        received.clear();
        queued.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body);
        received.add(r);
        String key = r.method() + " " + r.path();
        Deque<Reply> q = queued.get(key);
        Reply reply;
        synchronized (this) {
            reply = q == null ? null : q.poll();
        }
        if (reply == null) {
            Function<Received, Reply> route = routes.get(key);
            reply = route == null ? Reply.json(404, "{\"error\":\"no route " + key + "\"}") : route.apply(r);
        }
        byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
