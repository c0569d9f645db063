package com.logisync.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP trace receiver for the local suite: the services export their spans here
 * ({@code POST /v1/traces}, protobuf), and {@code GET /spans?traceId=…} lists them. It lets
 * {@code ./logisync} show a shipment's trace and the journey tests assert it, without a collector.
 * In production the same exporter points at the platform's OpenTelemetry collector.
 */
public final class TraceSinkMain {

    /** One received span, flattened. */
    public record SpanRecord(String service, String traceId, String spanId, String parentSpanId, String name,
            String kind, Map<String, String> attributes, List<String> linkedTraceIds) {
    }

    /** About 1 KB each: the newest 50,000 fit the sink's heap; older ones are dropped first. */
    private static final int MAX_SPANS = 50_000;
    private static final ConcurrentLinkedDeque<SpanRecord> SPANS = new ConcurrentLinkedDeque<>();
    /** The deque's size, kept here: ConcurrentLinkedDeque.size() walks the whole deque. */
    private static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TraceSinkMain() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/v1/traces", TraceSinkMain::receive);
        server.createContext("/spans", TraceSinkMain::list);
        server.createContext("/health", ex -> reply(ex, 200, "{\"status\":\"UP\"}"));
        server.start();
        System.out.println("Trace sink listening on port " + port);
    }

    private static void receive(HttpExchange ex) throws IOException {
        try (InputStream body = "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))
                ? new GZIPInputStream(ex.getRequestBody()) : ex.getRequestBody()) {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            for (ResourceSpans rs : request.getResourceSpansList()) {
                String service = attributes(rs.getResource().getAttributesList()).getOrDefault("service.name", "?");
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        SPANS.add(new SpanRecord(service, hex(s.getTraceId().toByteArray()),
                                hex(s.getSpanId().toByteArray()), hex(s.getParentSpanId().toByteArray()), s.getName(),
                                s.getKind().name().replace("SPAN_KIND_", ""), attributes(s.getAttributesList()),
                                s.getLinksList().stream().map(l -> hex(l.getTraceId().toByteArray())).toList()));
                        COUNT.incrementAndGet();
                    }
                }
            }
            while (COUNT.get() > MAX_SPANS && SPANS.pollFirst() != null) {
                COUNT.decrementAndGet();
            }
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
        } catch (Exception e) {
            reply(ex, 400, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        } finally {
            ex.close();
        }
    }

    private static void list(HttpExchange ex) throws IOException {
        String traceId = null;
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("traceId=")) {
                    traceId = URLDecoder.decode(part.substring(8), StandardCharsets.UTF_8);
                }
            }
        }
        List<SpanRecord> out = new ArrayList<>();
        for (SpanRecord s : SPANS) {
            if (traceId == null || traceId.equals(s.traceId()) || s.linkedTraceIds().contains(traceId)) {
                out.add(s);
            }
        }
        reply(ex, 200, JSON.writeValueAsString(out));
    }

    private static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            AnyValue v = kv.getValue();
            out.put(kv.getKey(), switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> Long.toString(v.getIntValue());
                case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                default -> v.toString();
            });
        }
        return out;
    }

    private static String hex(byte[] bytes) {
        return bytes.length == 0 ? null : HexFormat.of().formatHex(bytes);
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
