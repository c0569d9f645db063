package com.logisync.runtime.vertx;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Runs background work (timers, workers) on a fresh, safe duplicated Vert.x context: Hibernate
 * Reactive binds its session to such a context, and a timer callback runs on the root context.
 */
public final class SafeContext {

    private SafeContext() {
    }

    public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        Context duplicated = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(duplicated, true);
        return Uni.createFrom().emitter(em -> duplicated.runOnContext(
                ignored -> work.get().subscribe().with(em::complete, em::fail)));
    }
}
