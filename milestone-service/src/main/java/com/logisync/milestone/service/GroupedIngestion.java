package com.logisync.milestone.service;

import com.logisync.milestone.config.GroupCommitConfig;
import com.logisync.milestone.rest.MilestoneAccepted;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.runtime.vertx.SafeContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for single-event reports: reports that arrive while earlier ones are being written
 * are ingested together by {@link BatchIngestion}, in one transaction, with the same per-report
 * outcome (recorded, duplicate, parked) as one by one. Nothing waits for a batch to fill: a report
 * that finds a free slot is written at once, so at low load a batch is one report and latency is
 * that of a single write; under load, reports queue behind the slots in flight and the next batch
 * takes all of them (up to {@code logisync.milestones.group.max-size}). The caller answers only after
 * its report committed, so an accepted report is never lost; if a group fails, its reports are
 * ingested one by one, so one report's failure is never another's.
 *
 * <p>One group is written at a time ({@code logisync.milestones.group.overlap-after}): a second starts beside it only
 * when the first has run longer than that (a stall), up to {@code max-in-flight}. Two groups side by side each held
 * half the reports and queued behind each other on the commit log's counter, so PostgreSQL spent a group's fixed
 * cost twice as often for the same reports (docs/benchmarks.md).
 */
@ApplicationScoped
public class GroupedIngestion {

    /** A report waiting for its group, with the span of the request that carried it (linked from its record step). */
    private record Waiting(MilestoneRequest request, UniEmitter<? super MilestoneAccepted> answer,
            io.opentelemetry.api.trace.SpanContext caller) {
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(GroupedIngestion.class);

    private final BatchIngestion batches;
    private final MilestoneIngestion single;
    private final Vertx vertx;
    private final int maxSize;
    private final int maxInFlight;
    private final ConcurrentLinkedQueue<Waiting> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final java.time.Duration timeout;
    /**
     * When each group in flight started, by {@link System#nanoTime()}: a group older than its timeout that is still
     * here is wedged, and a second group may start only beside ones older than {@code overlap-after}.
     */
    private final java.util.Map<Long, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong groups = new java.util.concurrent.atomic.AtomicLong();
    private final long overlapAfterNanos;
    /** A timer is set to look again once the group in flight would count as stalled. */
    private final java.util.concurrent.atomic.AtomicBoolean stallCheck = new java.util.concurrent.atomic.AtomicBoolean();

    public GroupedIngestion(BatchIngestion batches, MilestoneIngestion single, Vertx vertx, GroupCommitConfig config) {
        this.batches = batches;
        this.single = single;
        this.vertx = vertx;
        this.maxSize = config.maxSize();
        this.maxInFlight = config.maxInFlight();
        this.timeout = config.timeout();
        this.overlapAfterNanos = config.overlapAfter().toNanos();
    }

    /**
     * The oldest group still in flight past twice its timeout (the timeout itself did not free it),
     * or empty: liveness reports DOWN while one exists, so the pod is restarted instead of queueing forever.
     */
    public java.util.Optional<java.time.Duration> wedged() {
        long now = System.nanoTime();
        return started.values().stream().map(at -> java.time.Duration.ofNanos(now - at))
                .filter(age -> age.compareTo(timeout.multipliedBy(2)) > 0).max(java.util.Comparator.naturalOrder());
    }

    /** Whether every group in flight has run longer than {@code overlap-after}. */
    private boolean stalled() {
        long now = System.nanoTime();
        if (started.isEmpty()) {
            return false; // a group is starting or ending: the drain that follows it looks again
        }
        for (Long at : started.values()) {
            if (now - at < overlapAfterNanos) {
                return false;
            }
        }
        return true;
    }

    /** Reports wait behind a group in flight: drain again once it would count as stalled (one timer at a time). */
    private void lookAgainWhenStalled() {
        if (stallCheck.compareAndSet(false, true)) {
            vertx.setTimer(Math.max(1, overlapAfterNanos / 1_000_000), t -> {
                stallCheck.set(false);
                drain();
            });
        }
    }

    /** Ingests one report, possibly together with others that arrived meanwhile. */
    public Uni<MilestoneAccepted> ingest(MilestoneRequest request) {
        io.opentelemetry.api.trace.SpanContext caller = io.opentelemetry.api.trace.Span.current().getSpanContext();
        return Uni.createFrom().emitter(answer -> {
            queue.add(new Waiting(request, answer, caller));
            drain();
        });
    }

    private void drain() {
        while (!queue.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                return; // the batch in flight drains the queue when it ends
            }
            if (running > 0 && !stalled()) {
                lookAgainWhenStalled();
                return; // the group in flight drains the queue when it ends, unless it stalls first
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Waiting> group = new ArrayList<>();
            for (Waiting w; group.size() < maxSize && (w = queue.poll()) != null; ) {
                group.add(w);
            }
            if (group.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            List<MilestoneRequest> requests = group.stream().map(Waiting::request).toList();
            List<io.opentelemetry.api.trace.SpanContext> callers = group.stream().map(Waiting::caller).toList();
            long id = groups.incrementAndGet();
            started.put(id, System.nanoTime());
            SafeContext.run(vertx, () -> batches.ingest(requests, callers)
                            .ifNoItem().after(timeout).failWith(() -> new java.util.concurrent.TimeoutException(
                                    "a group of " + requests.size() + " reports took longer than " + timeout)))
                    .onTermination().invoke(() -> started.remove(id))
                    .subscribe().with(answers -> {
                inFlight.decrementAndGet();
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).answer().complete(answers.get(i));
                }
                drain();
            }, failure -> {
                inFlight.decrementAndGet();
                if (group.size() == 1 && !(failure instanceof java.util.concurrent.TimeoutException)) {
                    group.get(0).answer().fail(failure);
                } else {
                    // One report must not fail the others it happened to be grouped with: each alone.
                    LOG.warnf("A group of %d reports failed (%s); ingesting them one by one", group.size(),
                            failure.toString());
                    group.forEach(w -> SafeContext.run(vertx, () -> single.ingestCounted(w.request())).subscribe()
                            .with(w.answer()::complete, w.answer()::fail));
                }
                drain();
            });
        }
    }
}
