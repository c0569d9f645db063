package com.logisync.milestone.service;

import com.logisync.milestone.partner.PartnerProfiles;
import com.logisync.milestone.rest.MilestoneAccepted;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.runtime.vertx.SafeContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What operators watch of ingestion, with bounded labels (channel, partner, outcome; never a shipment):
 * <ul>
 * <li>{@code logisync_milestones_total{channel, partner, outcome}}: reports by source system, the
 * authenticated partner and what became of them (RECORDED, DUPLICATE, PARKED, AMBIGUOUS);</li>
 * <li>{@code logisync_partner_last_report_seconds{partner}}: when the partner last reported (epoch
 * seconds; the start of this process until its first report), and
 * {@code logisync_partner_max_silence_seconds{partner}}: the silence its profile allows
 * ({@code logisync.partners.<id>.max-silence}), for the "partner silent" alert;</li>
 * <li>{@code logisync_milestones_parked{status}}: reports kept without a shipment (UNMATCHED,
 * AMBIGUOUS, EXPIRED), and {@code logisync_milestones_parked_oldest_seconds{status}}, the age of the
 * oldest of each, read every 30 s;</li>
 * <li>{@code logisync_ingestion_group_size}: reports written per ingestion transaction (group commit).</li>
 * </ul>
 */
@ApplicationScoped
public class IngestionMetrics {

    private static final Logger LOG = Logger.getLogger(IngestionMetrics.class);
    static final List<String> PARKED_STATUSES = List.of("UNMATCHED", "AMBIGUOUS", "EXPIRED");

    private final MeterRegistry registry;
    private final Pool pool;
    private final Vertx vertx;
    private final Map<String, AtomicLong> lastReport = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> parked = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> parkedOldest = new ConcurrentHashMap<>();
    private final DistributionSummary groupSize;
    private final long startedAt = System.currentTimeMillis() / 1000;
    private final AtomicBoolean running = new AtomicBoolean();

    public IngestionMetrics(MeterRegistry registry, PartnerProfiles profiles, Pool pool, Vertx vertx) {
        this.registry = registry;
        this.pool = pool;
        this.vertx = vertx;
        this.groupSize = DistributionSummary.builder("logisync.ingestion.group.size")
                .description("Reports written per ingestion transaction")
                .serviceLevelObjectives(1, 10, 50, 100, 250, 500, 1000, 2000).register(registry);
        for (PartnerProfiles.PartnerProfile p : profiles.all()) {
            String partner = label(p.partnerId());
            lastReportOf(partner);
            if (p.maxSilence() != null) {
                long seconds = java.time.Duration.parse(p.maxSilence()).toSeconds();
                Gauge.builder("logisync.partner.max.silence", () -> seconds).baseUnit("seconds")
                        .description("The longest silence the partner's profile allows before operators are alerted")
                        .tag("partner", partner).register(registry);
            }
        }
        for (String status : PARKED_STATUSES) {
            AtomicLong n = new AtomicLong();
            parked.put(status, n);
            Gauge.builder("logisync.milestones.parked", n, AtomicLong::get)
                    .description("Reports kept without a shipment, by status").tag("status", status).register(registry);
            AtomicLong oldest = new AtomicLong();
            parkedOldest.put(status, oldest);
            Gauge.builder("logisync.milestones.parked.oldest", oldest, AtomicLong::get).baseUnit("seconds")
                    .description("Age of the oldest report kept without a shipment, by status (0: none)")
                    .tag("status", status).register(registry);
        }
    }

    private static String label(String partner) {
        return partner == null ? "unknown" : partner.toUpperCase(Locale.ROOT);
    }

    private AtomicLong lastReportOf(String partner) {
        return lastReport.computeIfAbsent(partner, p -> {
            AtomicLong at = new AtomicLong(startedAt);
            Gauge.builder("logisync.partner.last.report", at, AtomicLong::get).baseUnit("seconds")
                    .description("When the partner last reported (epoch seconds; this process's start until then)")
                    .tag("partner", p).register(registry);
            return at;
        });
    }

    /** The counter of one (channel, partner, outcome), registered once and kept (labels are bounded). */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private Counter counter(String channel, String partner, String outcome) {
        return counters.computeIfAbsent(channel + '\u0000' + partner + '\u0000' + outcome, k -> Counter
                .builder("logisync.milestones").description("Milestone reports by channel, partner and outcome")
                .tag("channel", channel).tag("partner", partner).tag("outcome", outcome).register(registry));
    }

    /**
     * Counts one ingestion transaction's reports and what became of each: on the hot path, so the
     * batch's reports are tallied per label set first and each counter is incremented once.
     */
    public void ingested(List<MilestoneRequest> requests, List<MilestoneAccepted> outcomes) {
        groupSize.record(requests.size());
        Map<String, long[]> tally = new java.util.HashMap<>();
        Map<String, String[]> labels = new java.util.HashMap<>();
        for (int i = 0; i < requests.size() && i < outcomes.size(); i++) {
            MilestoneRequest r = requests.get(i);
            String channel = r.sourceSystem() == null ? "REST_API" : r.sourceSystem().name();
            String partner = label(r.partnerId());
            String outcome = outcomes.get(i).outcome().name();
            String key = channel + '\u0000' + partner + '\u0000' + outcome;
            tally.computeIfAbsent(key, k -> new long[1])[0]++;
            labels.putIfAbsent(key, new String[] {channel, partner, outcome});
        }
        long now = System.currentTimeMillis() / 1000;
        tally.forEach((key, n) -> {
            String[] l = labels.get(key);
            counter(l[0], l[1], l[2]).increment(n[0]);
            lastReportOf(l[1]).set(now);
        });
    }

    void start(@Observes StartupEvent ignored) {
        running.set(true);
        schedule(1_000);
    }

    void stop(@Observes ShutdownEvent ignored) {
        running.set(false);
    }

    private void schedule(long delay) {
        if (!running.get()) {
            return;
        }
        vertx.setTimer(delay, id -> SafeContext.run(vertx.getDelegate(), () -> pool
                        .query("select status, count(*) as n, coalesce(extract(epoch from now() - min(received_at)),"
                                + " 0)::bigint as oldest from parked_milestone group by status").execute()
                        .invoke(rows -> {
                            Map<String, Long> found = new java.util.HashMap<>();
                            Map<String, Long> age = new java.util.HashMap<>();
                            for (Row row : rows) {
                                found.put(row.getString("status"), row.getLong("n"));
                                age.put(row.getString("status"), row.getLong("oldest"));
                            }
                            parked.forEach((status, n) -> n.set(found.getOrDefault(status, 0L)));
                            parkedOldest.forEach((status, n) -> n.set(age.getOrDefault(status, 0L)));
                        }).replaceWithVoid())
                .subscribe().with(ok -> schedule(30_000), failure -> {
                    LOG.debugf("Parked reports not counted: %s", failure.toString());
                    schedule(30_000);
                }));
    }
}
