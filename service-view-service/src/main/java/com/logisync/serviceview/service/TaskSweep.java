package com.logisync.serviceview.service;

import com.logisync.runtime.repository.SessionSql;
import com.logisync.serviceview.config.MonitorConfig;
import com.logisync.serviceview.repository.ServiceTaskRepository;
import com.logisync.serviceview.repository.ShipmentCaseRepository;
import com.logisync.serviceview.repository.SubscriptionStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;

import java.time.Instant;

/**
 * The service tasks time opens or raises, not a report: a pickup that did not happen by the end of its
 * window plus the customer's threshold (MISSED_PICKUP, resolved by the pickup), and any open task that
 * has waited {@code logisync.monitor.task-escalate-after} per severity level. Each change is made with
 * the shipment's case locked, as the projection makes its own, so the two never overwrite each other.
 *
 * <p>While a replay rebuilds the read model (on any replica) the sweep does nothing: a case restored before its
 * pickup or its tasks' later changes are replayed would look like a missed pickup or an unchanged task, and the
 * CRM would be told of a task that is not one. Each change checks again after locking its case: the replay's
 * start empties the tables and marks itself RUNNING in one transaction, so a change either commits before that
 * transaction can begin or sees it committed.
 */
@ApplicationScoped
public class TaskSweep {

    private final ServiceTasks tasks;
    private final ServiceTaskRepository taskRows;
    private final ShipmentCaseRepository cases;
    private final MonitorConfig config;
    private final com.logisync.runtime.vertx.PeriodicTask rounds;
    private final io.quarkus.cache.Cache views;

    public TaskSweep(ServiceTasks tasks, ServiceTaskRepository taskRows, ShipmentCaseRepository cases, MonitorConfig config,
            Vertx vertx, @io.quarkus.cache.CacheName(CaseViewQueries.CASE_VIEWS) io.quarkus.cache.Cache views) {
        this.views = views;
        this.tasks = tasks;
        this.taskRows = taskRows;
        this.cases = cases;
        this.config = config;
        this.rounds = com.logisync.runtime.vertx.PeriodicTask.every(vertx, config.taskSweepInterval(), "Task sweep",
                () -> sweep(Instant.now()).replaceWithVoid());
    }

    void start(@Observes StartupEvent event) {
        rounds.start();
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    private static final String MISSED = "select c.shipment_id, c.pickup_window_end, coalesce(p.delay_threshold_minutes, $1)"
            + " from shipment_case c left join customer_preference p on p.customer_id = c.customer_id"
            + " where c.cancelled_at is null and c.pickup_window_end > $2 and c.pickup_window_end < $3"
            + " and c.pickup_window_end + coalesce(p.delay_threshold_minutes, $1) * interval '1 minute' < $3"
            + " and not exists (select 1 from transaction_stage s where s.shipment_id = c.shipment_id"
            + " and s.stage in ('PICKED_UP', 'DELIVERED', 'ORDER_CANCELLED'))"
            + " and not exists (select 1 from service_task t where t.task_id = c.shipment_id || ':MISSED_PICKUP')"
            + " order by c.pickup_window_end limit 200";

    /** One sweep at {@code now}: the tasks opened or escalated (none while a replay runs). */
    public Uni<Integer> sweep(Instant now) {
        return Panache.withSession(TaskSweep::replayRunning).chain(replaying -> replaying ? Uni.createFrom().item(0)
                : missedPickups(now).chain(opened -> escalate(now).map(raised -> opened + raised)));
    }

    /** Whether a read-model replay is rebuilding the tables (read in the caller's session, after its case lock). */
    static Uni<Boolean> replayRunning() {
        return SessionSql.select("select 1 from read_model_replay where id = 1 and state = 'RUNNING'")
                .map(rows -> !rows.isEmpty());
    }

    /** The case, locked; {@code null} when it is gone or a replay began meanwhile. */
    private Uni<com.logisync.serviceview.model.ShipmentCase> lockedCase(String shipmentId) {
        return cases.findById(shipmentId, LockModeType.PESSIMISTIC_WRITE).chain(view -> view == null
                ? Uni.createFrom().nullItem() : replayRunning().map(replaying -> replaying ? null : view));
    }

    private Uni<Integer> missedPickups(Instant now) {
        return Panache.withSession(() -> SessionSql.select(MISSED, config.defaultDelayThresholdMinutes(),
                SessionSql.utc(now.minus(config.missedPickupHorizon())), SessionSql.utc(now)))
                .chain(rows -> com.logisync.runtime.vertx.Sequential.each(rows, r -> Panache.withTransaction(() ->
                        lockedCase((String) r[0]).chain(view -> view == null
                                || view.cancelledAt != null ? Uni.createFrom().voidItem()
                                : tasks.missedPickup(view, SubscriptionStore.instant(r[1]), ((Number) r[2]).intValue(), now)))
                        .chain(() -> views.invalidate(r[0])))
                        .replaceWith(rows.size()));
    }

    private Uni<Integer> escalate(Instant now) {
        return escalate(now, null);
    }

    /**
     * Raises the open tasks (of one shipment, or of all with {@code null}) below HIGH that nothing changed for a
     * whole escalation period: one level each (a raise counts as a change). At most 500 per call.
     */
    public Uni<Integer> escalate(Instant now, String shipmentId) {
        if (config.taskEscalateAfter().isZero()) {
            return Uni.createFrom().item(0);
        }
        String query = "status = 'OPEN' and severity <> 'HIGH' and updatedAt <= :due"
                + (shipmentId == null ? "" : " and shipmentId = :shipment") + " order by updatedAt";
        io.quarkus.panache.common.Parameters params = io.quarkus.panache.common.Parameters.with("due",
                now.minus(config.taskEscalateAfter()));
        if (shipmentId != null) {
            params = params.and("shipment", shipmentId);
        }
        io.quarkus.panache.common.Parameters bound = params;
        return Panache.withSession(() -> taskRows.find(query, bound).page(0, 500).list())
                .chain(open -> com.logisync.runtime.vertx.Sequential.each(open,
                        t -> Panache.withTransaction(() -> cases.findById(t.shipmentId, LockModeType.PESSIMISTIC_WRITE)
                                .chain(view -> replayRunning().chain(replaying -> replaying ? Uni.createFrom().voidItem()
                                        : taskRows.findById(t.taskId).chain(current -> current == null
                                        ? Uni.createFrom().voidItem() : tasks.escalateByAge(current, view, now)))))
                                .chain(() -> views.invalidate(t.shipmentId)))
                        .replaceWith(open.size()));
    }
}
