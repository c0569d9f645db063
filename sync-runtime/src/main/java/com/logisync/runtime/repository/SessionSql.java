package com.logisync.runtime.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain SQL on the connection of the current Hibernate Reactive session, so inside its transaction,
 * for the statements of the hot paths that write or read a whole batch at once. PostgreSQL
 * placeholders ({@code $1}) and parameters bound by the reactive client itself, typed arrays
 * included ({@code String[]}, {@code Long[]}, {@code Boolean[]}, {@code OffsetDateTime[]}): none of
 * Hibernate's query machinery (plan cache, parameter type resolution, which builds a new array type
 * on every bind of a {@code String[]}) and no flush before the statement. Use it only for rows
 * Hibernate does not manage in the same session, or that it has been told about (detached).
 */
public final class SessionSql {

    private SessionSql() {
    }

    /** The rows, each as its column values in select order. */
    public static Uni<List<Object[]>> select(String sql, Object... params) {
        return connection().chain(c -> Uni.createFrom().completionStage(() -> c.select(sql, params))).map(result -> {
            List<Object[]> rows = new ArrayList<>(result.size());
            result.forEachRemaining(rows::add);
            return rows;
        });
    }

    /** How many rows the statement changed. */
    public static Uni<Integer> update(String sql, Object... params) {
        return connection().chain(c -> Uni.createFrom().completionStage(() -> c.update(sql, params)));
    }

    /** An instant as the reactive client binds a {@code timestamptz}. */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : com.logisync.runtime.json.IsoTimes.atUtc(instant);
    }

    private static Uni<ReactiveConnection> connection() {
        return Panache.getSession().map(SessionSql::connectionOf);
    }

    private static ReactiveConnection connectionOf(Mutiny.Session session) {
        if (session instanceof MutinySessionImpl impl) {
            return impl.getReactiveConnection();
        }
        throw new IllegalStateException("Not a Hibernate Reactive session: " + session.getClass().getName());
    }
}
