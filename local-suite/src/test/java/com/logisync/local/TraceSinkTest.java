package com.logisync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local suite's trace sink: what the services export is kept as it arrived and found again by trace id (the
 * spans of the trace and those linking to it), a listing without one gives the newest spans, and the oldest
 * requests go first once the sink holds {@link TraceSinkMain#MAX_BYTES}.
 */
class TraceSinkTest {

    private static final String SHIPMENT_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String OTHER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String BATCH_TRACE = "00f067aa0ba902b700f067aa0ba902b7";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void empty() {
        TraceSinkMain.clear();
    }

    @Test
    void spansExportedOverHttpAreListedByTraceIdWithThoseLinkingToIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TraceSinkMain.main(new String[] {Integer.toString(port)});
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;

        byte[] milestone = request("milestone-service",
                span(SHIPMENT_TRACE, "record-milestone", Span.SpanKind.SPAN_KIND_INTERNAL, null),
                span(OTHER_TRACE, "record-milestone", Span.SpanKind.SPAN_KIND_INTERNAL, null));
        assertEquals(200, post(http, base, milestone, false).statusCode());
        byte[] relay = request("milestone-service",
                span(BATCH_TRACE, "logisync.milestones.v1 publish", Span.SpanKind.SPAN_KIND_PRODUCER, SHIPMENT_TRACE));
        assertEquals(200, post(http, base, relay, true).statusCode(), "a gzip-encoded export is taken too");
        byte[] view = request("service-view-service",
                span(SHIPMENT_TRACE, "logisync.milestones.v1 process", Span.SpanKind.SPAN_KIND_CONSUMER, null));
        assertEquals(200, post(http, base, view, false).statusCode());

        JsonNode trace = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/spans?traceId=" + SHIPMENT_TRACE))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(3, trace.size(), trace.toString());
        assertEquals("milestone-service", trace.get(0).path("service").asText());
        assertEquals("record-milestone", trace.get(0).path("name").asText());
        assertEquals("INTERNAL", trace.get(0).path("kind").asText());
        assertEquals("SHP-1", trace.get(0).path("attributes").path("logisync.shipment_id").asText());
        assertEquals("PRODUCER", trace.get(1).path("kind").asText());
        assertEquals(BATCH_TRACE, trace.get(1).path("traceId").asText());
        assertEquals(SHIPMENT_TRACE, trace.get(1).path("linkedTraceIds").get(0).asText());
        assertEquals("service-view-service", trace.get(2).path("service").asText());
        assertEquals("CONSUMER", trace.get(2).path("kind").asText());

        JsonNode all = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/spans")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(4, all.size());
        assertEquals(OTHER_TRACE, all.get(1).path("traceId").asText());
        assertEquals(3, TraceSinkMain.spans(SHIPMENT_TRACE.toUpperCase()).size(), "a trace id in upper-case hex");
        assertEquals("[]", http.send(HttpRequest.newBuilder(URI.create(base + "/spans?traceId=nothex")).build(),
                HttpResponse.BodyHandlers.ofString()).body());

        HttpResponse<String> garbage = post(http, base, "{\"spans\":[]}".getBytes(), false);
        assertEquals(400, garbage.statusCode());
        assertTrue(garbage.body().contains("not an OTLP protobuf export request"), garbage.body());
        assertEquals(4, TraceSinkMain.spans(null).size(), "a refused request is not kept");
    }

    @Test
    void theOldestRequestsGoFirstOnceTheSinkHoldsItsBudget() throws Exception {
        byte[] first = request("milestone-service", span(SHIPMENT_TRACE, "first", Span.SpanKind.SPAN_KIND_INTERNAL, null));
        TraceSinkMain.keep(first);
        int filler = 1024 * 1024;
        for (long kept = first.length; kept + filler <= TraceSinkMain.MAX_BYTES; kept += filler) {
            TraceSinkMain.keep(new byte[filler]);
        }
        assertEquals(1, TraceSinkMain.spans(SHIPMENT_TRACE).size(), "still within the budget");
        TraceSinkMain.keep(new byte[filler]);
        assertEquals(List.of(), TraceSinkMain.spans(SHIPMENT_TRACE));
        assertTrue(TraceSinkMain.kept().stream().mapToLong(r -> r.length).sum() <= TraceSinkMain.MAX_BYTES);
    }

    @Test
    void aRequestIsWellFormedWhenItsTopLevelIsItsResourceSpansOnly() {
        assertTrue(TraceSinkMain.wellFormed(request("s", span(SHIPMENT_TRACE, "a", Span.SpanKind.SPAN_KIND_INTERNAL, null))));
        assertTrue(TraceSinkMain.wellFormed(new byte[0]), "an export with no spans");
        assertFalse(TraceSinkMain.wellFormed("not protobuf at all".getBytes()));
        assertFalse(TraceSinkMain.wellFormed(new byte[] {10, 50, 1}), "a field longer than the request");
        assertTrue(TraceSinkMain.contains(new byte[] {1, 2, 3, 4}, new byte[] {3, 4}));
        assertFalse(TraceSinkMain.contains(new byte[] {1, 2, 3, 4}, new byte[] {4, 5}));
    }

    private static HttpResponse<String> post(HttpClient http, String base, byte[] body, boolean gzip) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf");
        if (gzip) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                out.write(body);
            }
            body = zipped.toByteArray();
            r.header("Content-Encoding", "gzip");
        }
        return http.send(r.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] request(String service, Span... spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service)))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))).build().toByteArray();
    }

    private static Span span(String traceId, String name, Span.SpanKind kind, String linkedTrace) {
        Span.Builder s = Span.newBuilder().setTraceId(bytes(traceId)).setSpanId(bytes("00f067aa0ba902b7"))
                .setName(name).setKind(kind).addAttributes(attribute("logisync.shipment_id", "SHP-1"));
        if (linkedTrace != null) {
            s.addLinks(Span.Link.newBuilder().setTraceId(bytes(linkedTrace)).setSpanId(bytes("b7ad6b7169203331")));
        }
        return s.build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
