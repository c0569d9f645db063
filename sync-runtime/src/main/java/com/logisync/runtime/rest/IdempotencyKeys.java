package com.logisync.runtime.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code Idempotency-Key} header of every POST that creates or decides something, with the semantics
 * LogiSync demands of ERP and TMS: the same key with the same request replays the first answer (status and
 * body, with {@code Idempotent-Replayed: true}); the same key with another request (or for another
 * operation) is 422 {@code idempotency-key-reused}; while the first is still running, 409
 * {@code idempotency-key-in-progress} with {@code Retry-After}. Keys belong to the caller (the token's
 * subject), so two callers never see each other's answers.
 *
 * <p>Fault windows: the key is reserved in its own statement before the call and the answer stored after
 * it. A failed call (or a 5xx, 429 or 503 answer) releases the reservation, so a retry runs the call
 * again. A process that dies between the call and the store leaves a reservation that a retry takes over
 * after {@link #LEASE}: the call runs again, which the operations themselves make safe (an order is
 * idempotent on its ERP id, a decision changes nothing the second time). The reservation time fences the
 * store, so a slow first attempt cannot overwrite the answer of the one that took over. Keys are kept
 * {@link #RETENTION}.
 */
@ApplicationScoped
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    public static final String DESCRIPTION = "Makes a retry safe: the same key with the same request replays the first"
            + " answer (with Idempotent-Replayed: true); with another request it is 422 idempotency-key-reused; while the"
            + " first is still running, 409 idempotency-key-in-progress with Retry-After. Keys are the caller's, kept 24 h.";
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration RETENTION = Duration.ofHours(24);
    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    private static final String RESERVE = "insert into idempotency_key (caller, idem_key, operation, fingerprint, reserved_at)"
            + " values ($1, $2, $3, $4, now()) on conflict (caller, idem_key) do update set reserved_at = now()"
            + " where idempotency_key.status is null and idempotency_key.reserved_at < now() - make_interval(secs => $5)"
            + " and idempotency_key.operation = excluded.operation and idempotency_key.fingerprint = excluded.fingerprint"
            + " returning reserved_at";
    private static final String READ = "select operation, fingerprint, status, content_type, location, body"
            + " from idempotency_key where caller = $1 and idem_key = $2";
    private static final String STORE = "update idempotency_key set status = $4, content_type = $5, location = $6,"
            + " body = $7, completed_at = now() where caller = $1 and idem_key = $2 and reserved_at = $3";
    private static final String RELEASE = "delete from idempotency_key where caller = $1 and idem_key = $2"
            + " and reserved_at = $3 and status is null";
    private static final String PURGE = "delete from idempotency_key where ctid in (select ctid from idempotency_key"
            + " where reserved_at < now() - make_interval(secs => $1) limit 10000)";

    private final Pool pool;
    private final SecurityIdentity identity;
    private final ObjectMapper mapper;
    private final ObjectMapper canonical;
    private final com.logisync.runtime.vertx.PeriodicTask purge;

    public IdempotencyKeys(Pool pool, SecurityIdentity identity, ObjectMapper mapper, Vertx vertx) {
        this.pool = pool;
        this.identity = identity;
        this.mapper = mapper;
        // The request's fingerprint does not depend on the order of its fields or of a map's keys.
        this.canonical = JsonMapper.builder().findAndAddModules().configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).build();
        this.purge = com.logisync.runtime.vertx.PeriodicTask.every(vertx.getDelegate(), Duration.ofMinutes(10),
                "Idempotency-key purge", () -> pool.preparedQuery(PURGE).execute(Tuple.of((double) RETENTION.toSeconds()))
                        .replaceWithVoid());
    }

    void start(@Observes StartupEvent event) {
        purge.start();
    }

    void stop(@Observes ShutdownEvent event) {
        purge.stop();
    }

    /**
     * Runs {@code call} once per caller and key: {@code request} is everything the operation acts on (its
     * path parameters and body), compared by content with the first use of the key. Without a key, the
     * call simply runs.
     */
    public Uni<Response> once(String key, String operation, Object request, Supplier<Uni<Response>> call) {
        if (key == null) {
            return call.get();
        }
        if (key.isBlank() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            return Uni.createFrom().failure(Paging.invalid(HEADER, "must be 1 to 255 visible ASCII characters"));
        }
        String caller = identity.isAnonymous() ? "" : identity.getPrincipal().getName();
        String fingerprint;
        try {
            fingerprint = sha256(operation + "\n" + canonical.writeValueAsString(canonical.convertValue(request, Object.class)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Uni.createFrom().failure(new IllegalStateException("Request of " + operation + " unprintable", e));
        }
        return pool.preparedQuery(RESERVE).execute(Tuple.of(caller, key, operation, fingerprint, (double) LEASE.toSeconds()))
                .chain(reserved -> {
                    if (reserved.rowCount() == 1) {
                        OffsetDateTime token = reserved.iterator().next().getOffsetDateTime(0);
                        return run(caller, key, token, call);
                    }
                    return pool.preparedQuery(READ).execute(Tuple.of(caller, key)).map(rows -> {
                        if (rows.rowCount() == 0) {
                            // Purged or released between the two statements: as busy, the client retries.
                            throw new IdempotencyKeyInProgressException(key);
                        }
                        Row row = rows.iterator().next();
                        if (!operation.equals(row.getString("operation")) || !fingerprint.equals(row.getString("fingerprint"))) {
                            throw new ProblemException(422, "idempotency-key-reused", "Idempotency key reused",
                                    "Idempotency-Key " + key + " was used for " + row.getString("operation")
                                            + " with another request: a new request needs a new key",
                                    List.of(new Problem.FieldError(HEADER, "reused", "names another request")), null);
                        }
                        if (row.getInteger("status") == null) {
                            throw new IdempotencyKeyInProgressException(key);
                        }
                        Response.ResponseBuilder replay = Response.status(row.getInteger("status")).header(REPLAYED, "true");
                        Buffer body = row.getBuffer("body");
                        if (body != null) {
                            replay.entity(body.getBytes()).type(row.getString("content_type"));
                        }
                        if (row.getString("location") != null) {
                            replay.header("Location", row.getString("location"));
                        }
                        return replay.build();
                    });
                });
    }

    private Uni<Response> run(String caller, String key, OffsetDateTime token, Supplier<Uni<Response>> call) {
        Uni<Response> answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) {
            answer = Uni.createFrom().failure(e);
        }
        return answer.onFailure().call(failure -> release(caller, key, token))
                .chain(response -> {
                    int status = response.getStatus();
                    if (status >= 500 || status == 429) {
                        return release(caller, key, token).replaceWith(response);
                    }
                    Object entity = response.getEntity();
                    byte[] body;
                    try {
                        body = entity == null ? null : entity instanceof byte[] bytes ? bytes
                                : entity instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                                : mapper.writeValueAsBytes(entity);
                    } catch (JsonProcessingException e) {
                        return Uni.createFrom().failure(new IllegalStateException("Answer unprintable", e));
                    }
                    String type = response.getMediaType() == null ? (body == null ? null : "application/json")
                            : response.getMediaType().toString();
                    String location = response.getLocation() == null ? null : response.getLocation().toString();
                    return pool.preparedQuery(STORE).execute(Tuple.from(new Object[] {caller, key, token, status, type,
                            location, body == null ? null : io.vertx.core.buffer.Buffer.buffer(body)}))
                            .invoke(rows -> {
                                if (rows.rowCount() == 0) {
                                    LOG.warnf("Idempotency-Key %s: taken over while running; its answer was not stored", key);
                                }
                            })
                            .replaceWith(response)
                            // The call's effect stands: its answer goes to the client even when it cannot be kept
                            // (a retry then finds the reservation and takes it over after the lease).
                            .onFailure().recoverWithItem(failure -> {
                                LOG.warnf("Idempotency-Key %s: the answer could not be stored: %s", key, failure.toString());
                                return response;
                            });
                });
    }

    private Uni<Void> release(String caller, String key, OffsetDateTime token) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(caller, key, token)).replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first request with this key is still running: 409 with Retry-After ({@link ProblemMappers}). */
    public static final class IdempotencyKeyInProgressException extends RuntimeException {
        public IdempotencyKeyInProgressException(String key) {
            super("A request with Idempotency-Key " + key + " is still being processed: retry in a moment", null,
                    false, false);
        }
    }
}
