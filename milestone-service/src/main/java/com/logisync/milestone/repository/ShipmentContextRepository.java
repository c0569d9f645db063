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

    /**
     * Several contexts, locked in shipment id order (so two batches never deadlock), and detached:
     * the batch path changes only their status, which {@link #saveStatuses} writes in one statement.
     * Left managed, each changed context would also be updated by the automatic flush before the
     * next native statement: every context written twice.
     */
    public Uni<java.util.List<ShipmentContext>> lockAll(java.util.Collection<String> shipmentIds) {
        // One HQL statement locks and reads. ShipmentRows.lockAll (a native lock, then Hibernate's multi-id load),
        // which billing uses, was measured slower here: in three runs of `./logisync bench 30 2000` (2026-12-02)
        // it published 12,322-13,118 milestones/s against 16,783, and with four batches locking the same 2,000
        // shipments its lock waited 227-267 µs per milestone against 53 (docs/benchmarks.md).
        return find("shipmentId in ?1 order by shipmentId", java.util.List.copyOf(shipmentIds))
                .withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .call(locked -> getSession().invoke(session -> locked.forEach(session::detach)));
    }

    private static final String SAVE_STATUSES = "update shipment_context c set status_milestone = s.m,"
            + " status_event_time = s.t, updated_at = s.u"
            + " from unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) as s(id, m, t, u)"
            + " where c.shipment_id = s.id";

    /**
     * Writes the status of several contexts {@link #lockAll locked} by this transaction with one
     * statement. Only for contexts whose status and update time are all that changed (the milestone
     * paths).
     */
    public Uni<Void> saveStatuses(java.util.List<ShipmentContext> locked) {
        if (locked.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = locked.size();
        String[] ids = new String[n];
        String[] statuses = new String[n];
        java.time.OffsetDateTime[] statusTimes = new java.time.OffsetDateTime[n];
        java.time.OffsetDateTime[] updatedAt = new java.time.OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            ShipmentContext c = locked.get(i);
            ids[i] = c.shipmentId;
            statuses[i] = c.statusMilestone == null ? null : c.statusMilestone.name();
            statusTimes[i] = SessionSql.utc(c.statusEventTime);
            updatedAt[i] = SessionSql.utc(c.updatedAt);
        }
        return SessionSql.update(SAVE_STATUSES, ids, statuses, statusTimes, updatedAt).replaceWithVoid();
    }
}
