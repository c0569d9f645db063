package com.logisync.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP trace receiver for the local suite: the services export their spans here
 * ({@code POST /v1/traces}, protobuf), and {@code GET /spans?traceId=…} lists them. It lets
 * {@code ./logisync} show a shipment's trace and the journey tests assert it, without a collector.
 * In production the same exporter points at the platform's OpenTelemetry collector.
 *
 * <p>It keeps each export request as the bytes it arrived as (checked as protobuf, not decoded) and decodes only
 * what a query needs: the requests that contain the trace id's 16 bytes. Decoding every span as it arrived, into
 * an object of its own, cost 11.6-14.3 µs of CPU per span (8.2-9.3 with the serial collector), measured at 22,000
 * spans/s, the rate the benchmark exports: a quarter of a core on a machine of two that the benchmark also
 * charges the sink for (docs/benchmarks.md). Spans are read far less often than they are written.
 */
public final class TraceSinkMain {

    /** One received span, flattened. */
    public record SpanRecord(String service, String traceId, String spanId, String parentSpanId, String name,
            String kind, Map<String, String> attributes, List<String> linkedTraceIds) {
    }

    /**
     * The received requests kept, newest last: 48 MB of protobuf, about 160,000 of the services' spans (the
     * previous sink kept 50,000, decoded); the oldest go first. With a listing decoded beside them they fit the
     * sink's 256 MB heap (LocalSuite).
     */
    static final long MAX_BYTES = 48L * 1024 * 1024;
    /** A listing without a trace id gives the newest 20,000 spans at most (about 1 KB of JSON each). */
    static final int MAX_LISTED = 20_000;
    private static final ArrayDeque<byte[]> REQUESTS = new ArrayDeque<>();
    private static long bytes;
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
            String length = ex.getRequestHeaders().getFirst("Content-Length");
            byte[] request = length != null && ex.getRequestHeaders().getFirst("Content-Encoding") == null
                    ? body.readNBytes(Integer.parseInt(length)) : body.readAllBytes();
            if (!wellFormed(request)) {
                reply(ex, 400, "{\"error\":\"not an OTLP protobuf export request\"}");
                return;
            }
            keep(request);
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
        } catch (Exception e) {
            reply(ex, 400, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        } finally {
            ex.close();
        }
    }

    /** The request's fields are well formed protobuf, and at its top level only its spans (field 1). */
    static boolean wellFormed(byte[] request) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(request);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag != 10) { // field 1 (resource_spans), length-delimited
                    return false;
                }
                in.skipField(tag);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static synchronized void keep(byte[] request) {
        REQUESTS.addLast(request);
        bytes += request.length;
        while (bytes > MAX_BYTES && REQUESTS.size() > 1) {
            bytes -= REQUESTS.pollFirst().length;
        }
    }

    static synchronized List<byte[]> kept() {
        return new ArrayList<>(REQUESTS);
    }

    static synchronized void clear() {
        REQUESTS.clear();
        bytes = 0;
    }

    /**
     * The spans kept, oldest first: those of the trace or linking to it, or without a trace id the newest
     * {@link #MAX_LISTED} (decoded from the newest request back, so a listing never holds every span kept).
     */
    static List<SpanRecord> spans(String traceId) {
        traceId = traceId == null ? null : traceId.toLowerCase(java.util.Locale.ROOT); // the listing's hex is lower case
        byte[] wanted = traceId == null ? null : traceBytes(traceId);
        if (traceId != null && wanted == null) {
            return List.of();
        }
        List<byte[]> requests = kept();
        List<List<SpanRecord>> found = new ArrayList<>();
        int count = 0;
        for (int i = requests.size() - 1; i >= 0 && count < MAX_LISTED; i--) {
            byte[] request = requests.get(i);
            if (wanted == null || contains(request, wanted)) {
                List<SpanRecord> spans = decode(request, traceId);
                found.add(spans);
                count += spans.size();
            }
        }
        List<SpanRecord> out = new ArrayList<>(count);
        for (int i = found.size() - 1; i >= 0; i--) {
            out.addAll(found.get(i));
        }
        return out.size() > MAX_LISTED ? out.subList(out.size() - MAX_LISTED, out.size()) : out;
    }

    /** A request's spans: those of the trace or linking to it, or all of them (traceId null). */
    private static List<SpanRecord> decode(byte[] request, String traceId) {
        ExportTraceServiceRequest decoded;
        try {
            decoded = ExportTraceServiceRequest.parseFrom(request);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return List.of(); // well formed at its top level only (wellFormed): nothing in it can be listed
        }
        List<SpanRecord> out = new ArrayList<>();
        for (ResourceSpans rs : decoded.getResourceSpansList()) {
            String service = attributes(rs.getResource().getAttributesList()).getOrDefault("service.name", "?");
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    SpanRecord span = new SpanRecord(service, hex(s.getTraceId().toByteArray()),
                            hex(s.getSpanId().toByteArray()), hex(s.getParentSpanId().toByteArray()), s.getName(),
                            s.getKind().name().replace("SPAN_KIND_", ""), attributes(s.getAttributesList()),
                            s.getLinksList().stream().map(l -> hex(l.getTraceId().toByteArray())).toList());
                    if (traceId == null || traceId.equals(span.traceId()) || span.linkedTraceIds().contains(traceId)) {
                        out.add(span);
                    }
                }
            }
        }
        return out;
    }

    /** A trace id's 16 bytes, or null when it is not 32 hex digits. */
    private static byte[] traceBytes(String traceId) {
        try {
            byte[] b = HexFormat.of().parseHex(traceId);
            return b.length == 16 ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            if (haystack[i] == first && Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
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
        List<SpanRecord> out = spans(traceId);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream body = ex.getResponseBody()) {
            JSON.writeValue(body, out);
        }
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
