package com.logisync.milestone.repository;

import com.logisync.milestone.model.ShipmentContext;
import com.logisync.runtime.repository.SessionSql;
import com.logisync.runtime.repository.ShipmentRows;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

@ApplicationScoped
public class ShipmentContextRepository implements PanacheRepositoryBase<ShipmentContext, String> {

    private static final String INSERT_IF_ABSENT = "insert into shipment_context (shipment_id, updated_at)"
            + " values (:shipmentId, now()) on conflict (shipment_id) do nothing";

    /** The shipment's context, created if missing, locked for this transaction. */
    public Uni<ShipmentContext> lockOrCreate(String shipmentId) {
        return ShipmentRows.lockOrCreate(shipmentId, INSERT_IF_ABSENT, this::findById);
    }

    /** The existing context, locked for this transaction: milestones of one shipment are recorded one at a time. */
    public Uni<ShipmentContext> lock(String shipmentId) {
        return findById(shipmentId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Joined to the ids, not {@code shipment_id = any($1)}: see {@link ShipmentRows#lockAll}. */
    private static final String LOCK_ALL = "select c.shipment_id, c.order_id, c.load_id, c.customer_id,"
            + " c.pickup_window_start, c.pickup_window_end, c.pickup_zone, c.delivery_window_start, c.delivery_window_end,"
            + " c.delivery_zone, c.delivery_stop_sequence, c.carrier, c.traceparent, c.status_milestone, c.status_event_time,"
            + " c.order_amendment, c.updated_at, c.ctid::text from shipment_context c join unnest($1::text[]) as k(id)"
            + " on c.shipment_id = k.id order by c.shipment_id for update of c";

    /**
     * Each context is looked up through the primary key by an index scan, never by a bitmap scan. The client keeps
     * its statements prepared (Quarkus turns vertx-sql-client's cache on for PostgreSQL), so after five executions
     * PostgreSQL plans this one once for any ids, guessing 10 of them, and found both ways equally cheap on a context
     * table whose updates had spread its rows over many pages: the plans in a benchmark's log were split between
     * the two, connection by connection (auto_explain, 2026-12-05). A bitmap scan per key starts a heap scan for each
     * row (a {@code lseek} for the table's size among it): with it, the lock was 12 % of PostgreSQL's CPU in the batch
     * phase, its look-ups 7.7 % (perf). For the rest of this transaction, whose other statements look up by key too.
     */
    private static final String INDEX_PER_KEY = "set local enable_bitmapscan = off";

    /**
     * Contexts {@link #lockAll locked} by this transaction, in shipment id order, each with the address of the row
     * version it locked ({@code ctid}): nothing else can change that version until this transaction ends, so
     * {@link #saveStatuses} finds each row by it, without a second look-up by key.
     */
    public record Locked(java.util.List<ShipmentContext> contexts, java.util.List<String> rows) {
    }

    /**
     * Several contexts, locked in shipment id order (so two batches never deadlock), read by one plain statement
     * into objects Hibernate never sees: the batch path changes only their status, which {@link #saveStatuses}
     * writes in one statement.
     *
     * <p>Until 2026-12-04 an HQL query did this ({@code shipmentId in ?1}, then each entity detached). Hibernate
     * expanded the list into one parameter per shipment, so each batch size was a statement of its own for the
     * client and the server to prepare and plan (a batch locks 400-1,000 shipments), and every context was
     * hydrated as an entity whose field reads went through its bytecode interceptor: with every report its own
     * shipment (the shared phase of the benchmark) Hibernate was 11.8 % of milestone-service's CPU
     * (async-profiler). One {@code text[]} parameter makes it one prepared statement. Its columns are the entity's
     * ({@code ShipmentContextLockTest} compares both reads of the same rows).
     */
    public Uni<Locked> lockAll(java.util.Collection<String> shipmentIds) {
        // Sent together with the lock (the connection pipelines them), before it in the same transaction.
        return Uni.combine().all().unis(SessionSql.update(INDEX_PER_KEY),
                SessionSql.select(LOCK_ALL, (Object) shipmentIds.toArray(String[]::new))).with((set, rows) -> {
            java.util.List<ShipmentContext> locked = new java.util.ArrayList<>(rows.size());
            java.util.List<String> versions = new java.util.ArrayList<>(rows.size());
            for (Object[] r : rows) {
                ShipmentContext c = new ShipmentContext();
                c.shipmentId = (String) r[0];
                c.orderId = (String) r[1];
                c.loadId = (String) r[2];
                c.customerId = (String) r[3];
                c.pickupWindowStart = instant(r[4]);
                c.pickupWindowEnd = instant(r[5]);
                c.pickupZone = (String) r[6];
                c.deliveryWindowStart = instant(r[7]);
                c.deliveryWindowEnd = instant(r[8]);
                c.deliveryZone = (String) r[9];
                c.deliveryStopSequence = r[10] == null ? null : ((Number) r[10]).intValue();
                c.carrier = (String) r[11];
                c.traceparent = (String) r[12];
                c.statusMilestone = r[13] == null ? null : com.logisync.contracts.milestone.MilestoneType.valueOf((String) r[13]);
                c.statusEventTime = instant(r[14]);
                c.orderAmendment = ((Number) r[15]).intValue();
                c.updatedAt = instant(r[16]);
                locked.add(c);
                versions.add((String) r[17]);
            }
            return new Locked(locked, versions);
        });
    }

    private static java.time.Instant instant(Object value) {
        return value == null ? null : ((java.time.OffsetDateTime) value).toInstant();
    }

    /**
     * By the row versions locked ({@code ctid}, a TID scan per row), not by key: in a batch phase of the benchmark
     * (2026-12-05, perf) finding each row again by its key was 82 % of this statement's CPU. On a context table whose
     * updates had spread its rows over many pages the planner chose a bitmap scan per key, which initialises a heap
     * scan (a {@code lseek} for the table's size) for each row. The key is still compared, as a check.
     */
    private static final String SAVE_STATUSES = "update shipment_context c set status_milestone = s.m,"
            + " status_event_time = s.t, updated_at = s.u"
            + " from unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[]) as s(id, m, t, u, r)"
            + " where c.ctid = s.r::tid and c.shipment_id = s.id";

    /**
     * Writes the status of several contexts {@link #lockAll locked} by this transaction with one
     * statement. Only for contexts whose status and update time are all that changed (the milestone
     * paths), and not changed by this transaction since it locked them: a row not found at the version it
     * locked fails the transaction.
     */
    public Uni<Void> saveStatuses(Locked locked) {
        java.util.List<ShipmentContext> contexts = locked.contexts();
        if (contexts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = contexts.size();
        String[] ids = new String[n];
        String[] statuses = new String[n];
        java.time.OffsetDateTime[] statusTimes = new java.time.OffsetDateTime[n];
        java.time.OffsetDateTime[] updatedAt = new java.time.OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            ShipmentContext c = contexts.get(i);
            ids[i] = c.shipmentId;
            statuses[i] = c.statusMilestone == null ? null : c.statusMilestone.name();
            statusTimes[i] = SessionSql.utc(c.statusEventTime);
            updatedAt[i] = SessionSql.utc(c.updatedAt);
        }
        return SessionSql.update(SAVE_STATUSES, ids, statuses, statusTimes, updatedAt,
                locked.rows().toArray(String[]::new)).invoke(updated -> {
                    if (updated != n) {
                        throw new IllegalStateException("Wrote the status of " + updated + " of " + n
                                + " shipment contexts: a context changed since this transaction locked it");
                    }
                }).replaceWithVoid();
    }
}
