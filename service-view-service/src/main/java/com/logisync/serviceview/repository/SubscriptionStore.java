package com.logisync.serviceview.repository;

import com.logisync.runtime.repository.SessionSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Subscriptions and their deliveries, in plain SQL on the session's connection (inside the caller's
 * transaction): text arrays and partial indexes are what these tables are about.
 */
@ApplicationScoped
public class SubscriptionStore {

    /** A subscription as stored. */
    public record Row(String subscriptionId, String customerId, String format, String url, List<String> eventTypes,
            String secret, String ediProfile, String status, Instant failingSince, String createdBy, Instant createdAt,
            Instant updatedAt) {
    }

    /** A delivery with its attempts. */
    public record DeliveryRow(String deliveryId, String subscriptionId, String shipmentId, long seq, String eventId,
            String eventType, String status, int attempts, Instant nextAttemptAt, Instant createdAt, Instant deliveredAt,
            Integer lastStatus, String lastError, Long controlNumber) {
    }

    public record AttemptRow(String deliveryId, int attempt, Instant attemptedAt, Integer statusCode, String error,
            int durationMs) {
    }

    private static final String COLUMNS = "subscription_id, customer_id, format, target_url, event_types, secret,"
            + " edi_profile, status, failing_since, created_by, created_at, updated_at";

    public Uni<Row> find(String subscriptionId) {
        return SessionSql.select("select " + COLUMNS + " from subscription where subscription_id = $1 and deleted_at is null",
                subscriptionId).map(rows -> rows.isEmpty() ? null : row(rows.get(0)));
    }

    /** Any row of that id, deleted ones included (an id is never reused by another customer). */
    public Uni<String> ownerOf(String subscriptionId) {
        return SessionSql.select("select customer_id from subscription where subscription_id = $1", subscriptionId)
                .map(rows -> rows.isEmpty() ? null : (String) rows.get(0)[0]);
    }

    public Uni<List<Row>> list(String customerId, Instant afterAt, String afterId, int limit) {
        return SessionSql.select("select " + COLUMNS + " from subscription where deleted_at is null"
                + " and ($1::text is null or customer_id = $1) and ($2::timestamptz is null or (created_at, subscription_id)"
                + " > ($2::timestamptz, $3::text)) order by created_at, subscription_id limit $4",
                customerId, SessionSql.utc(afterAt), afterId, limit).map(rows -> rows.stream().map(SubscriptionStore::row).toList());
    }

    /** Creates or replaces (a deleted one comes back); status and creation are kept on a replace. */
    public Uni<Boolean> upsert(Row r) {
        return SessionSql.select("insert into subscription (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE',"
                + " null, $8, $9, $9) on conflict (subscription_id) do update set format = excluded.format, target_url ="
                + " excluded.target_url, event_types = excluded.event_types, secret = excluded.secret, edi_profile ="
                + " excluded.edi_profile, updated_at = excluded.updated_at, deleted_at = null,"
                + " created_at = case when subscription.deleted_at is null then subscription.created_at else excluded.created_at end,"
                + " status = case when subscription.deleted_at is null then subscription.status else 'ACTIVE' end"
                + " returning (xmax = 0) as inserted",
                r.subscriptionId(), r.customerId(), r.format(), r.url(), r.eventTypes().toArray(String[]::new), r.secret(),
                r.ediProfile(), r.createdBy(), SessionSql.utc(r.updatedAt()))
                .map(rows -> Boolean.TRUE.equals(rows.get(0)[0]));
    }

    /** Deletes it and cancels what it still had to send. */
    public Uni<Boolean> delete(String subscriptionId, Instant at) {
        return SessionSql.update("update subscription set deleted_at = $2, updated_at = $2 where subscription_id = $1"
                + " and deleted_at is null", subscriptionId, SessionSql.utc(at))
                .call(n -> SessionSql.update("update delivery set status = 'CANCELLED', claimed_until = null,"
                        + " claim_token = null where subscription_id = $1 and status = 'PENDING'", subscriptionId))
                .map(n -> n > 0);
    }

    private static final String DELIVERY_COLUMNS = "delivery_id, subscription_id, shipment_id, seq, event_id, event_type,"
            + " status, attempts, next_attempt_at, created_at, delivered_at, last_status, last_error, control_number";

    /** A subscription's deliveries, newest first, after the cursor's sequence number. */
    public Uni<List<DeliveryRow>> deliveries(String subscriptionId, String status, Long beforeSeq, int limit) {
        return SessionSql.select("select " + DELIVERY_COLUMNS + " from delivery where subscription_id = $1"
                + " and ($2::text is null or status = $2) and ($3::bigint is null or seq < $3) order by seq desc limit $4",
                subscriptionId, status, beforeSeq, limit).map(rows -> rows.stream().map(SubscriptionStore::delivery).toList());
    }

    public Uni<DeliveryRow> delivery(String subscriptionId, String deliveryId) {
        return SessionSql.select("select " + DELIVERY_COLUMNS + " from delivery where subscription_id = $1 and delivery_id = $2",
                subscriptionId, deliveryId).map(rows -> rows.isEmpty() ? null : delivery(rows.get(0)));
    }

    public Uni<List<AttemptRow>> attempts(List<String> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return SessionSql.select("select delivery_id, attempt, attempted_at, status_code, error, duration_ms from"
                + " delivery_attempt where delivery_id = any($1::text[]) order by delivery_id, attempt",
                (Object) deliveryIds.toArray(String[]::new)).map(rows -> rows.stream().map(r -> new AttemptRow((String) r[0],
                        (Integer) r[1], instant(r[2]), (Integer) r[3], (String) r[4], (Integer) r[5])).toList());
    }

    /** A FAILED delivery is due again now, with a new day of retries. */
    public Uni<Boolean> redeliver(String deliveryId, Instant now) {
        return SessionSql.update("update delivery set status = 'PENDING', next_attempt_at = $2, created_at = $2,"
                + " last_error = null where delivery_id = $1 and status = 'FAILED'", deliveryId, SessionSql.utc(now))
                .map(n -> n > 0);
    }

    private static Row row(Object[] r) {
        return new Row((String) r[0], (String) r[1], (String) r[2], (String) r[3], List.of((String[]) r[4]),
                (String) r[5], (String) r[6], (String) r[7], instant(r[8]), (String) r[9], instant(r[10]), instant(r[11]));
    }

    private static DeliveryRow delivery(Object[] r) {
        return new DeliveryRow((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue(), (String) r[4],
                (String) r[5], (String) r[6], (Integer) r[7], instant(r[8]), instant(r[9]), instant(r[10]),
                (Integer) r[11], (String) r[12], r[13] == null ? null : ((Number) r[13]).longValue());
    }

    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof java.time.LocalDateTime t) {
            return t.toInstant(java.time.ZoneOffset.UTC);
        }
        return (Instant) value;
    }
}
