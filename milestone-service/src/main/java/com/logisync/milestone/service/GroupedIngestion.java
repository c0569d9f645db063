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

    public GroupedIngestion(BatchIngestion batches, MilestoneIngestion single, Vertx vertx, GroupCommitConfig config) {
        this.batches = batches;
        this.single = single;
        this.vertx = vertx;
        this.maxSize = config.maxSize();
        this.maxInFlight = config.maxInFlight();
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
            SafeContext.run(vertx, () -> batches.ingest(requests, callers)).subscribe().with(answers -> {
                inFlight.decrementAndGet();
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).answer().complete(answers.get(i));
                }
                drain();
            }, failure -> {
                inFlight.decrementAndGet();
                if (group.size() == 1) {
                    group.get(0).answer().fail(failure);
                } else {
                    // One report must not fail the others it happened to be grouped with: each alone.
                    LOG.warnf("A group of %d reports failed (%s); ingesting them one by one", group.size(),
                            failure.toString());
                    group.forEach(w -> SafeContext.run(vertx, () -> single.ingest(w.request())).subscribe()
                            .with(w.answer()::complete, w.answer()::fail));
                }
                drain();
            });
        }
    }
}
