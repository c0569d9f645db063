package com.logisync.runtime.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Function;

/**
 * Runs a business step inside a shipment's own trace. Partners report milestones in traces of
 * their own; once a report is matched to a shipment, the step that records it joins the trace that
 * started when ERP released the order, with a link back to the partner's request span. That is
 * how one trace id follows a shipment across all four services.
 */
@ApplicationScoped
public class ShipmentTrace {

    private final Tracer tracer;

    public ShipmentTrace(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * Starts {@code spanName} as a child of the shipment's stored {@code traceparent} (or of the
     * current span when the shipment has none) and hands the new span's traceparent to the step,
     * which passes it on to what it stores (outbox rows).
     */
    public <T> Uni<T> inShipmentTrace(String spanName, String shipmentId, String shipmentTraceparent,
            Function<String, Uni<T>> step) {
        Context parent = shipmentTraceparent == null ? Context.current() : TraceContexts.fromTraceparent(shipmentTraceparent);
        var builder = tracer.spanBuilder(spanName).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute("logisync.shipment_id", shipmentId);
        Span caller = Span.current();
        if (shipmentTraceparent != null && caller.getSpanContext().isValid()) {
            builder.addLink(caller.getSpanContext());
        }
        Span span = builder.startSpan();
        Context shipmentContext = parent.with(span);
        String traceparent = TraceContexts.traceparentOf(shipmentContext);
        // Subscribed while the shipment's context is current, so whatever the step starts right
        // away (an outgoing HTTP call) carries the shipment's trace.
        return Uni.createFrom().<T>emitter(em -> {
            try (Scope ignored = shipmentContext.makeCurrent()) {
                step.apply(traceparent).subscribe().with(em::complete, em::fail);
            }
        })
                .onFailure().invoke(span::recordException)
                .eventually(() -> span.end());
    }

    /** A business step started in a shipment's trace; whoever started it ends it. */
    public record Step(Span span, String traceparent) {
        /** Ends the step: done, or failed with {@code failure} (its exception recorded). */
        public void end(Throwable failure) {
            if (failure != null) {
                span.recordException(failure);
            }
            span.end();
        }

        /**
         * Ends a step whose transaction was rolled back on purpose and is run again ({@code why}): not a failure,
         * so no exception and no error status, but an event saying why and {@code logisync.outcome} "rolled back",
         * so that whoever reads the shipment's trace knows that this step recorded nothing and the next one did.
         */
        public void endRolledBack(String why) {
            span.setAttribute(ROLLED_BACK_ATTRIBUTE, ROLLED_BACK);
            span.addEvent("rolled back, run again", io.opentelemetry.api.common.Attributes.of(
                    io.opentelemetry.api.common.AttributeKey.stringKey("logisync.reason"), why));
            span.end();
        }
    }

    /** The attribute a step run again carries ({@link Step#endRolledBack}), and its value. */
    public static final io.opentelemetry.api.common.AttributeKey<String> ROLLED_BACK_ATTRIBUTE =
            io.opentelemetry.api.common.AttributeKey.stringKey("logisync.outcome");
    public static final String ROLLED_BACK = "rolled back";

    /**
     * Starts {@code spanName} as a child of the shipment's stored trace, linked to each request
     * that reported what it records ({@code callers}, the partners' request spans), for steps done
     * many at once ({@code count} milestones of one shipment written in one transaction): the span
     * {@link #inShipmentTrace} makes for one. Without a stored trace it continues the first request's.
     */
    public Step start(String spanName, String shipmentId, String shipmentTraceparent,
            java.util.Collection<io.opentelemetry.api.trace.SpanContext> callers, int count) {
        // A loop, not a stream: called once per shipment of every batch, mostly with one caller repeated.
        java.util.Collection<io.opentelemetry.api.trace.SpanContext> valid = callers.size() > 8
                ? new java.util.LinkedHashSet<>() : new java.util.ArrayList<>(2);
        for (io.opentelemetry.api.trace.SpanContext c : callers) {
            if (c != null && c.isValid() && !valid.contains(c)) {
                valid.add(c);
            }
        }
        Context parent = shipmentTraceparent != null ? TraceContexts.fromTraceparent(shipmentTraceparent)
                : !valid.isEmpty() ? Context.root().with(Span.wrap(valid.iterator().next())) : Context.current();
        var builder = tracer.spanBuilder(spanName).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute("logisync.shipment_id", shipmentId);
        if (count > 1) {
            builder.setAttribute("logisync.items", count);
        }
        if (shipmentTraceparent != null) {
            valid.forEach(builder::addLink);
        }
        Span span = builder.startSpan();
        return new Step(span, TraceContexts.traceparentOf(parent.with(span)));
    }

    /**
     * The CONSUMER spans of a batch of consumed events: one per trace the events were published under
     * (a shipment's own trace, or a master-data request's), a child of the first of them, with the
     * number of events it stands for; whoever applies the batch ends them. A batch channel has the
     * connector's span per record switched off: this is what shows the consumption in each
     * shipment's trace.
     */
    public List<Step> consumed(String topic, List<com.logisync.runtime.messaging.IncomingEvent> events) {
        java.util.Map<String, List<com.logisync.runtime.messaging.IncomingEvent>> byTrace = new java.util.LinkedHashMap<>();
        for (com.logisync.runtime.messaging.IncomingEvent e : events) {
            String traceId = e.traceId();
            if (traceId != null) {
                byTrace.computeIfAbsent(traceId, t -> new java.util.ArrayList<>()).add(e);
            }
        }
        List<Step> steps = new java.util.ArrayList<>(byTrace.size());
        for (List<com.logisync.runtime.messaging.IncomingEvent> group : byTrace.values()) {
            com.logisync.runtime.messaging.IncomingEvent first = group.get(0);
            Context parent = TraceContexts.fromTraceparent(first.traceparent());
            var builder = tracer.spanBuilder(topic + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.destination.name", topic)
                    .setAttribute("messaging.operation", "process")
                    .setAttribute("messaging.batch.message_count", (long) group.size());
            if (first.shipmentId() != null) {
                builder.setAttribute("logisync.shipment_id", first.shipmentId());
            }
            Span span = builder.startSpan();
            steps.add(new Step(span, TraceContexts.traceparentOf(parent.with(span))));
        }
        return steps;
    }
}
