package com.logisync.serviceview.service;

import com.logisync.runtime.vertx.SafeContext;
import com.logisync.serviceview.config.MonitorConfig;
import com.logisync.serviceview.model.Stage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which shipments' business transactions are stuck: a stage completed, the next one overdue
 * against the configured limits. Counts per stage ({@code logisync_transactions_stage}) and per
 * stuck reason ({@code logisync_transactions_stuck}) are gauges in /q/metrics, refreshed every
 * {@code logisync.monitor.metrics-interval}.
 */
@ApplicationScoped
public class TransactionMonitor {

    private static final Logger LOG = Logger.getLogger(TransactionMonitor.class);

    /**
     * Why a shipment is stuck. A stage reason: after {@code from}, none of {@code next} within the limit.
     * A case reason ({@link #CASE_QUERIES}; {@code from} the stage the shipment is at): a fact of the case
     * view overdue since a time the view knows (the planned pickup, the delivery, the invoice request).
     */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "StuckReason")
    public enum Reason {
        DISPATCH_PENDING(Stage.ORDER_RELEASED, List.of(Stage.DISPATCH_ACCEPTED, Stage.DISPATCH_FAILED,
                Stage.ORDER_CANCELLED), "released %s ago, not dispatched"),
        DISPATCH_FAILED(Stage.DISPATCH_FAILED, List.of(Stage.DISPATCH_ACCEPTED),
                "the TMS refused the dispatch %s ago, not dispatched since"),
        NO_TRACKING(Stage.DISPATCH_ACCEPTED, List.of(), "pickup planned %s ago, no tracking from the carrier yet"),
        POD_MISSING(Stage.DELIVERED, List.of(Stage.POD_RECEIVED), "delivered %s ago, no signed POD"),
        ACCESSORIAL_WAITING(Stage.DELIVERED, List.of(), "delivered %s ago, an accessorial waits for a clerk's decision"),
        DELIVERED_NOT_INVOICED(Stage.DELIVERED, List.of(Stage.INVOICE_ISSUED), "delivered %s ago, not invoiced"),
        INVOICE_PENDING(Stage.INVOICE_REQUESTED, List.of(Stage.INVOICE_ISSUED), "invoice requested %s ago, not issued"),
        INVOICE_FAILED(Stage.INVOICE_REQUESTED, List.of(), "invoice requested %s ago, refused by ERP for good: a clerk must act"),
        CRM_VIEW_NOT_UPDATED(Stage.CRM_VIEW_UPDATED, List.of(),
                "an event of this shipment could not be applied to its case view %s ago (dead-lettered, not redriven)"),
        PARKED_UNMATCHED(null, List.of(), "a carrier's report parked %s ago matches no single shipment");

        final Stage from;
        final List<Stage> next;
        final String detail;

        Reason(Stage from, List<Stage> next, String detail) {
            this.from = from;
            this.next = next;
            this.detail = detail;
        }
    }

    /** The case reasons' queries: shipment id and since when, oldest first, for :cutoff and :limit. */
    static final Map<Reason, String> CASE_QUERIES = Map.of(
            Reason.PARKED_UNMATCHED, "select cast(null as varchar) as shipment_id, p.parked_at, 'report ' || p.event_id"
                    + " || ' (' || coalesce(p.milestone, '?') || ') from ' || coalesce(p.partner_id, '?') || ', '"
                    + " || p.status || ', keys ' || coalesce(p.keys, '') || coalesce(', candidates ' || p.candidates, '')"
                    + " from parked_report p where p.parked_at < :cutoff"
                    + " and not exists (select 1 from case_milestone m where m.event_id = p.event_id)"
                    + " order by p.parked_at, p.event_id limit :limit",
            Reason.CRM_VIEW_NOT_UPDATED, "select d.shipment_id, min(d.dead_lettered_at) from case_dead_letter d"
                    + " where d.dead_lettered_at < :cutoff and not exists (select 1 from dead_letter_redrive r"
                    + " where r.event_id = d.event_id and r.outcome = 'REDRIVEN')"
                    + " group by d.shipment_id order by 2, 1 limit :limit",
            Reason.NO_TRACKING, "select c.shipment_id, c.planned_pickup from shipment_case c"
                    + " where c.planned_pickup < :cutoff and c.cancelled_at is null and c.status_milestone is null"
                    + " and c.position_reported_at is null"
                    + " and exists (select 1 from transaction_stage a where a.shipment_id = c.shipment_id"
                    + " and a.stage = 'DISPATCH_ACCEPTED')"
                    + " and not exists (select 1 from transaction_stage b where b.shipment_id = c.shipment_id"
                    + " and b.stage in ('PICKED_UP', 'DELIVERED', 'ORDER_CANCELLED'))"
                    + " order by c.planned_pickup, c.shipment_id limit :limit",
            Reason.ACCESSORIAL_WAITING, "select c.shipment_id, d.completed_at from shipment_case c"
                    + " join transaction_stage d on d.shipment_id = c.shipment_id and d.stage = 'DELIVERED'"
                    + " where d.completed_at < :cutoff and c.billing_case_json is not null"
                    + " and c.billing_case_json::jsonb -> 'accessorials' @> '[{\"status\": \"PENDING\"}]'::jsonb"
                    + " order by d.completed_at, c.shipment_id limit :limit",
            Reason.INVOICE_FAILED, "select c.shipment_id, r.completed_at from shipment_case c"
                    + " join transaction_stage r on r.shipment_id = c.shipment_id and r.stage = 'INVOICE_REQUESTED'"
                    + " where c.billing_state = 'INVOICE_FAILED' and r.completed_at < :cutoff"
                    + " order by r.completed_at, c.shipment_id limit :limit");

    /** A stuck shipment: why, since when, and what is overdue. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "StuckShipment")
    public record Stuck(String shipmentId, Reason reason, Stage lastStage, Instant since, String detail) {
    }

    private final MonitorConfig config;
    private final Vertx vertx;
    private final Map<Stage, AtomicLong> stageCounts = new EnumMap<>(Stage.class);
    private final Map<Reason, AtomicLong> stuckCounts = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();

    public TransactionMonitor(MonitorConfig config, MeterRegistry registry, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        for (Stage s : Stage.values()) {
            AtomicLong n = new AtomicLong();
            stageCounts.put(s, n);
            Gauge.builder("logisync.transactions.stage", n, AtomicLong::get)
                    .description("Shipments that completed this stage of their business transaction")
                    .tag("stage", s.name()).register(registry);
        }
        for (Reason r : Reason.values()) {
            AtomicLong n = new AtomicLong();
            stuckCounts.put(r, n);
            Gauge.builder("logisync.transactions.stuck", n, AtomicLong::get)
                    .description("Shipments whose next stage is overdue, by reason")
                    .tag("reason", r.name()).register(registry);
        }
    }

    Duration limit(Reason r) {
        return switch (r) {
            case DISPATCH_PENDING -> config.dispatchPending();
            case DISPATCH_FAILED -> config.dispatchFailed();
            case NO_TRACKING -> config.noTracking();
            case POD_MISSING -> config.podMissing();
            case ACCESSORIAL_WAITING -> config.accessorialWaiting();
            case DELIVERED_NOT_INVOICED -> config.deliveredNotInvoiced();
            case INVOICE_PENDING -> config.invoicePending();
            case INVOICE_FAILED -> config.invoiceFailed();
            case CRM_VIEW_NOT_UPDATED -> config.crmViewNotUpdated();
            case PARKED_UNMATCHED -> config.parkedUnmatched();
        };
    }

    /** Every stuck shipment now, oldest first within each reason (at most {@code limit} per reason). */
    /** How many stuck shipments per reason the list and the overview consider. */
    public static final int LISTED = 5000;

    public Uni<List<Stuck>> stuck(int limit) {
        Instant now = Instant.now();
        return Panache.withSession(() -> {
            Uni<List<Stuck>> all = Uni.createFrom().item(new ArrayList<>());
            for (Reason r : Reason.values()) {
                all = all.chain(list -> stuck(r, now, limit).map(found -> {
                    list.addAll(found);
                    return list;
                }));
            }
            return all;
        });
    }

    private Uni<List<Stuck>> stuck(Reason r, Instant now, int limit) {
        Instant cutoff = now.minus(limit(r));
        String sql = CASE_QUERIES.containsKey(r) ? CASE_QUERIES.get(r)
                : "select a.shipment_id, a.completed_at from transaction_stage a where a.stage = '" + r.from.name() + "'"
                        + " and a.completed_at < :cutoff and not exists (select 1 from transaction_stage b"
                        + " where b.shipment_id = a.shipment_id and b.stage in ("
                        + String.join(",", r.next.stream().map(s -> "'" + s.name() + "'").toList()) + ", 'ORDER_CANCELLED'))"
                        + " order by a.completed_at, a.shipment_id limit :limit";
        return Panache.getSession().chain(s -> s.createNativeQuery(sql, Object[].class)
                .setParameter("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                .setParameter("limit", limit)
                .getResultList())
                .map(rows -> rows.stream().map(row -> {
                    Instant since = toInstant(row[1]);
                    String detail = String.format(r.detail, human(Duration.between(since, now)));
                    return new Stuck((String) row[0], r, r.from, since,
                            row.length > 2 && row[2] != null ? detail + ": " + row[2] : detail);
                }).toList());
    }

    /** Refreshes the gauges: shipments per completed stage and stuck shipments per reason. */
    public Uni<Void> refreshMetrics() {
        // Parked reports matched since (recorded under the same event id), or older than 30 days, are forgotten.
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("delete from"
                        + " parked_report p where p.parked_at < now() - interval '30 days' or exists (select 1 from"
                        + " case_milestone m where m.event_id = p.event_id)").executeUpdate()))
                .chain(() -> Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "select stage, count(*) from " + com.logisync.serviceview.repository.TransactionStageRepository.ALL_STAGES
                        + " group by stage", Object[].class).getResultList())))
                .invoke(rows -> {
                    stageCounts.values().forEach(n -> n.set(0));
                    rows.forEach(row -> stageCounts.get(Stage.valueOf((String) row[0])).set(((Number) row[1]).longValue()));
                })
                .chain(() -> stuck(10_000))
                .invoke(stuck -> {
                    stuckCounts.values().forEach(n -> n.set(0));
                    stuck.forEach(s -> stuckCounts.get(s.reason()).incrementAndGet());
                })
                .replaceWithVoid();
    }

    void start(@Observes StartupEvent event) {
        running.set(true);
        schedule();
    }

    void stop(@Observes ShutdownEvent event) {
        running.set(false);
    }

    private void schedule() {
        if (!running.get()) {
            return;
        }
        vertx.setTimer(config.metricsInterval().toMillis(), id -> SafeContext.run(vertx, this::refreshMetrics)
                .subscribe().with(ok -> schedule(), failure -> {
                    if (running.get()) {
                        LOG.warnf("Transaction metrics refresh failed: %s", failure.toString());
                    }
                    schedule();
                }));
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
    }

    static String human(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 120) {
            return minutes + " min";
        }
        long hours = d.toHours();
        return hours < 48 ? hours + " h" : d.toDays() + " d";
    }
}
