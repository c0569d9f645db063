package com.logisync.runtime.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.HashMap;
import java.util.Map;

/**
 * W3C trace context as a string that can be stored with a shipment or an outbox row, and turned
 * back into an OpenTelemetry context, so a shipment's trace survives the database and Kafka.
 */
public final class TraceContexts {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceContexts() {
    }

    /** The {@code traceparent} of the current span, or null when nothing is being traced. */
    public static String currentTraceparent() {
        return traceparentOf(Context.current());
    }

    public static String traceparentOf(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(context, carrier, Map::put);
        return carrier.get("traceparent");
    }

    /** The context a stored {@code traceparent} describes; the root context when there is none. */
    public static Context fromTraceparent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3C.extract(Context.root(), Map.of("traceparent", traceparent), MAP_GETTER);
    }

    /** The trace id inside a {@code traceparent}, or null. */
    public static String traceIdOf(String traceparent) {
        SpanContext sc = Span.fromContext(fromTraceparent(traceparent)).getSpanContext();
        return sc.isValid() ? sc.getTraceId() : null;
    }

    public static String currentTraceId() {
        SpanContext sc = Span.current().getSpanContext();
        return sc.isValid() ? sc.getTraceId() : null;
    }

}
