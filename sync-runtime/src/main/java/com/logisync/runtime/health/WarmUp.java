package com.logisync.runtime.health;

import io.smallrye.mutiny.Uni;

/**
 * A read path a service runs once at startup, before it reports ready ({@link WarmUpReadiness}): the first
 * call of a path in a fresh JVM loads and initialises its classes, builds Hibernate's loaders and Jackson's
 * serializers, and took 1.5-1.8 s for a billing case on an idle machine (more than 10 s on a loaded one),
 * where the second took 0.05 s. Run here, that cost is paid before Kubernetes sends the pod any traffic.
 * A warm-up only reads; it runs on a safe Vert.x context of its own, so it may open a Hibernate Reactive
 * session. It completes with a short description of what it read (or that there was nothing to read yet).
 */
public interface WarmUp {

    /** What is warmed, as the readiness check's data names it: "billing case view". */
    String name();

    Uni<String> run();
}
