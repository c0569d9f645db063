package com.logisync.runtime.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
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

    /**
     * Texts as their UTF-8 bytes, for a {@code bytea[]} parameter that the statement turns back into text with
     * {@code convert_from(x, 'UTF8')}: for the long ones of the hot paths (an event's JSON, 700 characters), which
     * the client would otherwise write into the message a character at a time (Netty's {@code writeUtf8} through
     * {@code String.charAt}: 6.8 % of milestone-service's CPU in the batch phase, async-profiler, 2026-12-02), where
     * {@code String.getBytes} copies a Latin-1 string's bytes at once. PostgreSQL checks the bytes are valid UTF-8 in
     * {@code convert_from} as it does for text it receives, and the column holds the same text. Nulls stay null.
     * The bytes are wrapped, not copied: {@code Buffer.buffer(byte[])} copies them into a buffer of its own (a second
     * copy of every payload, 3.5 % of service-view's allocations under a backlog, async-profiler, 2026-12-03).
     */
    public static Buffer[] utf8(String[] texts) {
        Buffer[] bytes = new Buffer[texts.length];
        for (int i = 0; i < texts.length; i++) {
            bytes[i] = texts[i] == null ? null
                    : Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(texts[i].getBytes(StandardCharsets.UTF_8)));
        }
        return bytes;
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
