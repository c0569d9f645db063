package com.logisync.runtime.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.runtime.repository.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import java.util.function.Function;

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

    /**
     * Reads the record whose id {@code idQuery} selects (one column, {@code limit 1}) with {@code read}, or says
     * {@code none} when there is none yet: the shape of every warm-up here.
     */
    static Uni<String> first(String idQuery, String none, Function<String, Uni<String>> read) {
        return Panache.withSession(() -> SessionSql.select(idQuery))
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().item(none) : read.apply((String) rows.get(0)[0]));
    }

    /** Serialises {@code view} as the API would and describes it: "SHP-1, 559 bytes". */
    static String serialised(ObjectMapper json, String id, Object view) {
        try {
            return id + ", " + json.writeValueAsBytes(view).length + " bytes";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + id, e);
        }
    }
}
