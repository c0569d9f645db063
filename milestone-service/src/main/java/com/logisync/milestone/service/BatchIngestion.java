package com.logisync.milestone.service;

import com.logisync.milestone.model.ShipmentContext;
import com.logisync.milestone.repository.MilestoneRepository;
import com.logisync.milestone.repository.ShipmentContextRepository;
import com.logisync.milestone.repository.ShipmentReferenceRepository;
import com.logisync.milestone.rest.MilestoneAccepted;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.runtime.tracing.ShipmentTrace;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Ingests many milestones at once, for the batch endpoint and the EDI and webhook channels: one
 * query resolves every key, one locks every shipment involved (in id order, so concurrent batches never
 * deadlock), and one transaction records them all, each row its own publication log entry. Each milestone gets
 * the same treatment as a single report (dedupe, park, enrich, status precedence), and its event continues its
 * shipment's trace: one {@code record-milestone} step per shipment and transaction, linked to every request that
 * reported to it.
 *
 * <p>Repeats are found by the insert itself first: the milestone's primary key refuses an event id already
 * recorded, the transaction is rolled back and the batch is ingested again with a look for repeats before the
 * insert, which answers each repeat {@code DUPLICATE}. A batch without repeats, nearly every one, is spared that
 * look (a primary-key probe per milestone, about 3 % of PostgreSQL's CPU in the batch phase, and a statement of the
 * group's transaction); a partner's resent batch pays a transaction that fails at its first row. A batch with a
 * report to park or left ambiguous looks first, as a recorded event must never be parked. If a concurrent report
 * of the same event wins the race after that look (it commits between this batch's look and its insert), the
 * insert fails on the event id and the batch falls back to one-by-one ingestion, which sorts it out.
 */
@ApplicationScoped
public class BatchIngestion {

    private static final Logger LOG = Logger.getLogger(BatchIngestion.class);

    private final MilestoneIngestion single;
    private final MilestoneRepository milestones;
    private final ShipmentReferenceRepository references;
    private final ShipmentContextRepository contexts;
    private final ShipmentTrace trace;

    private final IngestionMetrics metrics;

    public BatchIngestion(MilestoneIngestion single, MilestoneRepository milestones,
            ShipmentReferenceRepository references, ShipmentContextRepository contexts, ShipmentTrace trace,
            IngestionMetrics metrics) {
        this.metrics = metrics;
        this.trace = trace;
        this.single = single;
        this.milestones = milestones;
        this.references = references;
        this.contexts = contexts;
    }

    /** The outcome of every request, in the order given. */
    @WithSpan("ingest-milestone-batch")
    public Uni<List<MilestoneAccepted>> ingest(List<MilestoneRequest> requests) {
        io.opentelemetry.api.trace.SpanContext caller = io.opentelemetry.api.trace.Span.current().getSpanContext();
        return ingest(requests, java.util.Collections.nCopies(requests.size(), caller));
    }

    /**
     * As {@link #ingest(List)}, each report recorded in the {@code record-milestone} step of its
     * shipment's trace that links {@code callers[i]}, the span of the request that reported it.
     */
    public Uni<List<MilestoneAccepted>> ingest(List<MilestoneRequest> requests,
            List<io.opentelemetry.api.trace.SpanContext> callers) {
        return ingest(requests, callers, null);
    }

    /**
     * As {@link #ingest(List, List)}, with {@code guard} run first in the same transaction: what it
     * writes (a webhook's replay guard) commits with the milestones or not at all, and its failure
     * rolls the batch back. Should the batch fall back to one-by-one ingestion, the guard runs in its
     * own transaction after it.
     */
    public Uni<List<MilestoneAccepted>> ingest(List<MilestoneRequest> requests,
            List<io.opentelemetry.api.trace.SpanContext> callers, java.util.function.Supplier<Uni<Void>> guard) {
        return ingestOnce(requests, callers, guard, false).invoke(outcomes -> metrics.ingested(requests, outcomes));
    }

    /**
     * @param lookFirst whether to look for the batch's event ids among the recorded milestones before the insert
     *        (after the insert refused one), or only where a report is to be parked
     */
    private Uni<List<MilestoneAccepted>> ingestOnce(List<MilestoneRequest> requests,
            List<io.opentelemetry.api.trace.SpanContext> callers, java.util.function.Supplier<Uni<Void>> guard,
            boolean lookFirst) {
        if (requests.isEmpty()) {
            return guard == null ? Uni.createFrom().item(List.of())
                    : Panache.withTransaction(guard).replaceWith(List.<MilestoneAccepted>of());
        }
        List<ShipmentTrace.Step> steps = java.util.Collections.synchronizedList(new ArrayList<>());
        Instant receivedAt = Instant.now();
        Set<String> keys = new HashSet<>();
        requests.forEach(r -> keys.addAll(r.references().refKeys()));
        List<String> ids = requests.stream().map(MilestoneRequest::eventId).toList();
        // After a refused insert, the look for repeats and the keys' resolution are independent: both are sent at once
        // and the connection pipelines them (one round trip instead of two; see execute for why round trips matter).
        // Otherwise the keys alone, and the look only where a report is to be parked.
        return Panache.withTransaction(() -> (guard == null ? Uni.createFrom().voidItem() : guard.get())
                        .chain(() -> lookFirst
                                ? Uni.combine().all().unis(milestones.recorded(ids), references.resolveAll(keys))
                                        .with((seen, byKey) -> plan(requests, seen, byKey))
                                : references.resolveAll(keys).chain(byKey -> {
                                    Plan unseen = plan(requests, Set.of(), byKey);
                                    return unseen.toPark().isEmpty() && unseen.ambiguous().isEmpty()
                                            ? Uni.createFrom().item(unseen)
                                            : milestones.recorded(ids).map(seen -> plan(requests, seen, byKey));
                                }))
                        .chain((Plan plan) -> execute(plan, receivedAt, callers, steps)))
                .onTermination().invoke((done, failure, cancelled) -> {
                    // A refused event id and keys registered meanwhile are not failures: the batch runs again below
                    // (its repeats looked for first, planned again, or one report at a time), and what it records
                    // shows in the next steps. The steps of this attempt say so instead of carrying the exception.
                    String rolledBack = failure instanceof ConstraintViolationException
                            ? (lookFirst ? "a concurrent report of one of the batch's events committed first; ingested"
                                    + " one report at a time" : "the batch repeats a recorded event; ingested again,"
                                    + " its repeats looked for first")
                            : failure instanceof KeysArrived ? "a key to park under was registered meanwhile; planned"
                                    + " again" : null;
                    steps.forEach(step -> {
                        if (rolledBack != null) {
                            step.endRolledBack(rolledBack);
                        } else {
                            step.end(failure);
                        }
                    });
                    steps.clear();
                })
                .onFailure(KeysArrived.class).recoverWithUni(() -> ingestOnce(requests, callers, guard, lookFirst))
                // The insert refused an event id recorded before (the batch insert has no "on conflict",
                // MilestoneRepository#insertAll): the same batch again, looking for its repeats first.
                .onFailure(e -> !lookFirst && e instanceof ConstraintViolationException).recoverWithUni(e -> {
                    LOG.debugf("Batch of %d repeats a recorded event (%s); ingesting it again, repeats looked for first",
                            requests.size(), ((ConstraintViolationException) e).getConstraintName());
                    return ingestOnce(requests, callers, guard, true);
                })
                // A concurrent report of one of the batch's events committed first: its milestone row or its parked
                // row. One by one, each report finds what is recorded: the raced one is a DUPLICATE, the others are
                // recorded.
                .onFailure(ConstraintViolationException.class).recoverWithUni(e -> {
                    LOG.infof("Batch of %d raced a concurrent report of one of its events; ingesting one by one",
                            requests.size());
                    return Multi.createFrom().iterable(requests).onItem().transformToUniAndConcatenate(single::ingest)
                            .collect().asList()
                            .call(() -> guard == null ? Uni.createFrom().voidItem() : Panache.withTransaction(guard)
                                    .onFailure().recoverWithNull().replaceWithVoid());
                });
    }

    private record Plan(List<MilestoneRequest> requests, MilestoneAccepted[] outcomes,
            Map<String, List<Integer>> byShipment, List<Integer> toPark, Map<Integer, List<String>> ambiguous) {
    }

    private static Plan plan(List<MilestoneRequest> requests, Set<String> seen, Map<String, List<String>> byKey) {
        MilestoneAccepted[] outcomes = new MilestoneAccepted[requests.size()];
        Map<String, List<Integer>> byShipment = new TreeMap<>();
        List<Integer> toPark = new ArrayList<>();
        Map<Integer, List<String>> ambiguous = new TreeMap<>();
        Set<String> firstInBatch = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            MilestoneRequest r = requests.get(i);
            ShipmentReferenceRepository.Resolution found = ShipmentReferenceRepository.Resolution.of(
                    r.references().refKeys(), byKey);
            String shipmentId = found.shipmentId();
            if (seen.contains(r.eventId()) || !firstInBatch.add(r.eventId())) {
                outcomes[i] = new MilestoneAccepted(r.eventId(), MilestoneAccepted.Outcome.DUPLICATE, shipmentId, null,
                        null, null);
                continue;
            }
            if (found.ambiguous()) {
                ambiguous.put(i, found.candidates());
            } else if (shipmentId == null) {
                toPark.add(i);
            } else {
                byShipment.computeIfAbsent(shipmentId, k -> new ArrayList<>()).add(i);
            }
        }
        return new Plan(requests, outcomes, byShipment, toPark, ambiguous);
    }

    /** Thrown inside the transaction when a key to park under was registered meanwhile: plan again. */
    private static final class KeysArrived extends RuntimeException {
        KeysArrived() {
            super(null, null, false, false);
        }
    }

    private Uni<List<MilestoneAccepted>> execute(Plan plan, Instant receivedAt,
            List<io.opentelemetry.api.trace.SpanContext> callers, List<ShipmentTrace.Step> steps) {
        Uni<Void> recorded = Uni.createFrom().voidItem();
        if (!plan.byShipment().isEmpty()) {
            recorded = contexts.lockAll(plan.byShipment().keySet()).chain(locked -> {
                List<MilestoneIngestion.Prepared> prepared = new ArrayList<>();
                List<Integer> index = new ArrayList<>();
                for (ShipmentContext ctx : locked.contexts()) {
                    List<Integer> items = plan.byShipment().get(ctx.shipmentId);
                    // One step per shipment and transaction, linking every request that reported to it.
                    List<io.opentelemetry.api.trace.SpanContext> linked = new ArrayList<>(items.size());
                    for (int i : items) {
                        linked.add(callers.get(i));
                    }
                    ShipmentTrace.Step step = trace.start("record-milestone", ctx.shipmentId, ctx.traceparent, linked,
                            items.size());
                    steps.add(step);
                    for (int i : items) {
                        prepared.add(single.prepare(ctx, plan.requests().get(i), receivedAt, step.traceparent()));
                        index.add(i);
                    }
                }
                // The insert and the contexts' new statuses (set by prepare) are sent at once, pipelined on the
                // transaction's connection: a group of single reports waits for every round trip its transaction
                // makes, each a wake-up of PostgreSQL's backend and of the event loop on two busy cores. Should the
                // insert fail, the update fails with it (the transaction is aborted) and the group is rolled back.
                return Uni.combine().all().unis(single.writeAll(prepared), contexts.saveStatuses(locked))
                        .with((answers, saved) -> {
                            for (int k = 0; k < answers.size(); k++) {
                                plan.outcomes()[index.get(k)] = answers.get(k);
                            }
                            return saved;
                        }).replaceWithVoid();
            });
        }
        for (Map.Entry<Integer, List<String>> a : plan.ambiguous().entrySet()) {
            MilestoneRequest r = plan.requests().get(a.getKey());
            recorded = recorded.chain(() -> single.park(r, r.eventId(), receivedAt, a.getValue())
                    .invoke(answer -> plan.outcomes()[a.getKey()] = answer).replaceWithVoid());
        }
        if (plan.toPark().isEmpty()) {
            return recorded.map(v -> List.of(plan.outcomes()));
        }
        Set<String> parkKeys = new HashSet<>();
        plan.toPark().forEach(i -> parkKeys.addAll(plan.requests().get(i).references().refKeys()));
        // Shipment rows first, then key locks: the order the orders-topic projection takes them in.
        return recorded.chain(() -> references.lockKeys(parkKeys))
                .chain(() -> references.resolveAll(parkKeys))
                .chain(found -> found.isEmpty() ? Uni.createFrom().voidItem() : Uni.createFrom().failure(new KeysArrived()))
                .chain(() -> Multi.createFrom().iterable(plan.toPark()).onItem().transformToUniAndConcatenate(i -> {
                    MilestoneRequest r = plan.requests().get(i);
                    return single.park(r, r.eventId(), receivedAt, List.of()).invoke(a -> plan.outcomes()[i] = a);
                }).collect().last())
                .map(v -> List.of(plan.outcomes()));
    }
}
