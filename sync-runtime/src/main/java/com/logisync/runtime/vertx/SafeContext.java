package com.logisync.runtime.vertx;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs background work (timers, pollers) on a fresh, safe duplicated Vert.x context: Hibernate
 * Reactive binds its session to such a context, and a timer callback runs on the root context.
 *
 * <p>The context's current span is a non-sampled one, so the poll queries themselves create no
 * traces (with the parent-based sampler, parentbased_traceidratio, their spans are never exported); work the poller
 * does for a shipment starts its own span with the shipment's stored trace as parent, which is
 * sampled as that trace was.
 */
public final class SafeContext {

    private SafeContext() {
    }

    public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        io.vertx.core.Context duplicated = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(duplicated, true);
        return Uni.createFrom().emitter(em -> duplicated.runOnContext(ignored -> {
            // Not closed on purpose: the scope lives as long as this private duplicated context.
            Context.root().with(Span.wrap(unsampled())).makeCurrent();
            work.get().subscribe().with(em::complete, em::fail);
        }));
    }

    private static SpanContext unsampled() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String traceId = HexFormat.of().toHexDigits(r.nextLong() | 1L) + HexFormat.of().toHexDigits(r.nextLong());
        String spanId = HexFormat.of().toHexDigits(r.nextLong() | 1L);
        return SpanContext.create(traceId, spanId, TraceFlags.getDefault(), TraceState.getDefault());
    }
}
