package com.logisync.milestone.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.StatusPrecedence;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.milestone.model.MilestoneEntry;
import com.logisync.milestone.model.ParkedMilestone;
import com.logisync.milestone.model.ShipmentContext;
import com.logisync.milestone.repository.MilestoneRepository;
import com.logisync.milestone.repository.ParkedMilestoneRepository;
import com.logisync.milestone.repository.ShipmentContextRepository;
import com.logisync.milestone.repository.ShipmentReferenceRepository;
import com.logisync.milestone.rest.MilestoneAccepted;
import com.logisync.milestone.rest.MilestoneAccepted.Outcome;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.runtime.json.MilestoneRecordedJson;
import com.logisync.runtime.outbox.Outbox;
import com.logisync.runtime.tracing.ShipmentTrace;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a reported milestone into a canonical, deduplicated, enriched {@code MilestoneRecorded}:
 * resolve the shipment by any key, recognise repeats by the deterministic event id, measure it
 * against the stop's window, apply the shared status precedence, and publish through the outbox log (the
 * milestone row is its own entry) inside the shipment's own trace. A milestone for an unknown shipment is
 * parked, not lost.
 */
@ApplicationScoped
public class MilestoneIngestion {

    private static final Logger LOG = Logger.getLogger(MilestoneIngestion.class);

    private final ShipmentReferenceRepository references;
    private final ShipmentContextRepository contexts;
    private final MilestoneRepository milestones;
    private final ParkedMilestoneRepository parked;
    private final Outbox outbox;
    private final ShipmentTrace trace;
    private final ObjectMapper mapper;
    private final PodTrust podTrust;
    private final IngestionMetrics metrics;

    public MilestoneIngestion(ShipmentReferenceRepository references, ShipmentContextRepository contexts,
            MilestoneRepository milestones, ParkedMilestoneRepository parked, Outbox outbox, ShipmentTrace trace,
            ObjectMapper mapper, PodTrust podTrust, IngestionMetrics metrics) {
        this.metrics = metrics;
        this.podTrust = podTrust;
        this.references = references;
        this.contexts = contexts;
        this.milestones = milestones;
        this.parked = parked;
        this.outbox = outbox;
        this.trace = trace;
        this.mapper = mapper;
    }

    /** What the lookup before recording found: a repeat, a known shipment, several, or none. */
    private record Lookup(MilestoneEntry seen, ShipmentContext shipment, List<String> candidates) {
    }

    @WithSpan("ingest-milestone")
    /** As {@link #ingest}, counted in the ingestion metrics: a report that reaches this path alone (telematics). */
    public Uni<MilestoneAccepted> ingestCounted(MilestoneRequest request) {
        return ingest(request).invoke(accepted -> metrics.ingested(List.of(request), List.of(accepted)));
    }

    public Uni<MilestoneAccepted> ingest(MilestoneRequest request) {
        String eventId = request.eventId();
        Instant receivedAt = Instant.now();
        return Panache.withSession(() -> milestones.findById(eventId).chain(seen -> seen != null
                ? Uni.createFrom().item(new Lookup(seen, null, List.of()))
                : references.resolve(request.references().refKeys())
                        .chain(found -> found.shipmentId() == null
                                ? Uni.createFrom().item(new Lookup(null, null, found.candidates()))
                                : contexts.findById(found.shipmentId()).map(ctx -> new Lookup(null, ctx, List.of())))))
                .chain(lookup -> {
                    if (lookup.seen() != null) {
                        return Uni.createFrom().item(duplicate(eventId, lookup.seen().shipmentId));
                    }
                    if (!lookup.candidates().isEmpty()) {
                        return Panache.withTransaction(() -> park(request, eventId, receivedAt, lookup.candidates()));
                    }
                    if (lookup.shipment() == null) {
                        List<String> keys = request.references().refKeys();
                        return Panache.withTransaction(() -> references.lockKeys(keys)
                                .chain(() -> references.resolve(keys))
                                .chain(found -> found == ShipmentReferenceRepository.Resolution.UNKNOWN
                                        ? park(request, eventId, receivedAt, List.of())
                                        : Uni.createFrom().<MilestoneAccepted>nullItem()))
                                // The order's keys arrived meanwhile: record it after all.
                                .chain(parkedOrNot -> parkedOrNot != null ? Uni.createFrom().item(parkedOrNot)
                                        : ingest(request));
                    }
                    ShipmentContext ctx = lookup.shipment();
                    MDC.put("shipmentId", ctx.shipmentId);
                    return trace.inShipmentTrace("record-milestone", ctx.shipmentId, ctx.traceparent,
                            traceparent -> Panache.withTransaction(() -> contexts.lock(ctx.shipmentId)
                                    .chain(managed -> record(managed, request, receivedAt, traceparent))));
                })
                // Two concurrent reports of the same event: the primary key lets one win; the other is a repeat.
                .onFailure(ConstraintViolationException.class)
                .recoverWithUni(() -> Panache.withSession(() -> milestones.findById(eventId))
                        .map(seen -> duplicate(eventId, seen == null ? null : seen.shipmentId)));
    }

    /** A milestone ready to be written: its row (its event serialised, its trace), the event and the answer to give. */
    public record Prepared(MilestoneEntry entry, MilestoneRecorded event, ShipmentContext ctx,
            MilestoneAccepted accepted) {
    }

    /**
     * Records a milestone of a known shipment, in the caller's transaction, and enqueues its event
     * under {@code traceparent}.
     */
    public Uni<MilestoneAccepted> record(ShipmentContext ctx, MilestoneRequest request, Instant receivedAt,
            String traceparent) {
        return writeSkippingRecorded(List.of(prepare(ctx, request, receivedAt, traceparent))).map(done -> done.get(0));
    }

    /**
     * Turns a report into its canonical event for a known shipment, and moves the shipment's status
     * by the shared precedence rule (the context is locked by the caller). Nothing is written yet.
     */
    public Prepared prepare(ShipmentContext ctx, MilestoneRequest request, Instant receivedAt, String traceparent) {
        // The partner's zone is only looked up for a local time without offset (the hot path reports with one).
        EventTime time = MilestoneEnrichment.resolveTime(ctx, request,
                request.eventTime() != null ? null : podTrust.partnerZone(request.partnerId()));
        Instant eventTime = time.utc();
        Classifier classifier = request.effectiveClassifier();
        Enrichment enrichment = MilestoneEnrichment.enrich(ctx, request.milestone(), eventTime);
        StatusPrecedence.Status current = ctx.statusMilestone == null ? null
                : new StatusPrecedence.Status(ctx.statusMilestone, ctx.statusEventTime);
        boolean moves = StatusPrecedence.supersedes(current, request.milestone(), classifier, eventTime);
        boolean outOfOrder = !moves && current != null && classifier == Classifier.ACTUAL
                && request.milestone().movesStatus();
        if (moves) {
            ctx.statusMilestone = request.milestone();
            ctx.statusEventTime = eventTime;
        }
        ctx.updatedAt = receivedAt;

        MilestoneRequest.Pod pod = request.pod();
        MilestoneRecorded event = new MilestoneRecorded(request.eventId(), 1, correlation(ctx, request),
                request.milestone(), classifier, time, receivedAt, request.location(), request.reason(),
                new Source(request.effectiveSource(), request.partnerId(), request.sourceEventId(),
                        request.sourceStatusCode()),
                proof(ctx, request, eventTime, classifier),
                enrichment, outOfOrder);

        MilestoneEntry entry = new MilestoneEntry();
        entry.eventId = event.eventId();
        entry.shipmentId = ctx.shipmentId;
        entry.milestone = event.milestone();
        entry.classifier = classifier;
        entry.eventTime = eventTime;
        entry.receivedAt = receivedAt;
        entry.delayMinutes = enrichment.delayMinutes();
        entry.late = enrichment.late();
        entry.outOfOrder = outOfOrder;
        // Written member by member, the mapper's own text (MilestoneRecordedJson): databind was 7.5 % of the batch path.
        entry.payload = MilestoneRecordedJson.write(event);
        entry.ceId = Outbox.fastUuid();
        entry.traceparent = traceparent;
        return new Prepared(entry, event, ctx, new MilestoneAccepted(event.eventId(), Outcome.RECORDED,
                ctx.shipmentId, enrichment.delayMinutes(), enrichment.late(), outOfOrder));
    }

    /**
     * The POD a report carries, judged (verified or not). An actual delivery without a signer carries
     * the verdict alone: billing lets a trusted unsigned delivery through where the contract allows the
     * POD document to follow.
     */
    private ProofOfDelivery proof(ShipmentContext ctx, MilestoneRequest request, Instant eventTime, Classifier classifier) {
        MilestoneRequest.Pod pod = request.pod();
        if (pod != null) {
            return podTrust.judge(ctx, request, new ProofOfDelivery(pod.signedBy(),
                    pod.signedAt() == null ? eventTime : pod.signedAt().toInstant(), pod.documentRef(), pod.osdNotes()));
        }
        if (request.milestone() == com.logisync.contracts.milestone.MilestoneType.DELIVERED
                && classifier == Classifier.ACTUAL) {
            return podTrust.judge(ctx, request, new ProofOfDelivery(null, null, null, null));
        }
        return null;
    }

    /**
     * Writes prepared milestones in the caller's transaction: one statement for the rows, each of which is
     * also its event's publication log entry (V13: one durable write per milestone). A row a concurrent
     * report wrote first fails the transaction with a {@link ConstraintViolationException}: for the batch path,
     * which then ingests its reports one by one ({@link BatchIngestion}). (Detention is billing's: it prices each
     * stop's stay from these arrivals and departures.)
     */
    public Uni<List<MilestoneAccepted>> writeAll(List<Prepared> prepared) {
        return write(prepared, false);
    }

    /**
     * As {@link #writeAll}, but a row a concurrent report wrote first is answered DUPLICATE and not published: for
     * the paths without a fallback of their own (a single report, a parked one released by its order).
     */
    private Uni<List<MilestoneAccepted>> writeSkippingRecorded(List<Prepared> prepared) {
        return write(prepared, true);
    }

    private Uni<List<MilestoneAccepted>> write(List<Prepared> prepared, boolean skipping) {
        if (prepared.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<MilestoneEntry> entries = prepared.stream().map(Prepared::entry).toList();
        return (skipping ? milestones.insertAllSkippingRecorded(entries) : milestones.insertAll(entries)).map(inserted -> {
            List<MilestoneAccepted> answers = new ArrayList<>();
            for (Prepared p : prepared) {
                if (inserted.contains(p.entry().eventId)) {
                    answers.add(p.accepted());
                    LOG.debugf("Recorded %s %s for %s (late=%s, outOfOrder=%s)", p.event().classifier(),
                            p.event().milestone(), p.ctx().shipmentId, p.accepted().late(), p.accepted().outOfOrder());
                } else {
                    answers.add(duplicate(p.entry().eventId, p.ctx().shipmentId));
                }
            }
            return answers;
        });
    }

    /**
     * Keeps a report that matched no shipment (UNMATCHED: released when the order arrives) or several
     * (AMBIGUOUS, with the {@code candidates}: for ops, never attached to one of them by a guess).
     */
    Uni<MilestoneAccepted> park(MilestoneRequest request, String eventId, Instant receivedAt, List<String> candidates) {
        boolean ambiguous = !candidates.isEmpty();
        MilestoneAccepted answer = new MilestoneAccepted(eventId, ambiguous ? Outcome.AMBIGUOUS : Outcome.PARKED, null,
                null, null, null, ambiguous ? List.copyOf(candidates) : null);
        return parked.findById(eventId).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(new MilestoneAccepted(eventId, "AMBIGUOUS".equals(existing.status)
                        ? Outcome.AMBIGUOUS : Outcome.PARKED, null, null, null, null, existing.candidates == null ? null
                        : List.of(existing.candidates.split("\\|"))));
            }
            ParkedMilestone p = new ParkedMilestone();
            p.eventId = eventId;
            p.refKeys = String.join("|", request.references().refKeys());
            p.request = json(request);
            p.receivedAt = receivedAt;
            p.partnerId = request.partnerId();
            if (ambiguous) {
                p.status = "AMBIGUOUS";
                p.candidates = String.join("|", candidates);
                LOG.warnf("Parking milestone %s as AMBIGUOUS: %s name shipments %s", eventId, p.refKeys, candidates);
            } else {
                LOG.infof("Parking milestone %s: no shipment matches %s yet", eventId, p.refKeys);
            }
            // Announced in the same transaction: service-view lists it as stuck while it waits too long.
            return parked.persist(p).chain(() -> outbox.enqueue(new com.logisync.contracts.event.MilestoneParked(
                    eventId, request.partnerId(), request.milestone(), request.eventTime() == null ? null
                            : request.eventTime().toInstant(), List.copyOf(request.references().refKeys()), p.status,
                    ambiguous ? List.copyOf(candidates) : null, receivedAt))).replaceWith(answer);
        });
    }

    /** Records the parked milestones that carry one of the shipment's keys, in the caller's transaction. */
    public Uni<Integer> releaseParked(ShipmentContext ctx, List<String> refKeys) {
        return parked.carrying(refKeys).chain(found -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (ParkedMilestone p : found) {
                MilestoneRequest request = read(p.request);
                chain = chain.chain(() -> milestones.findById(p.eventId))
                        .chain(seen -> seen != null ? Uni.createFrom().voidItem()
                                : record(ctx, request, p.receivedAt, ctx.traceparent).replaceWithVoid())
                        .chain(() -> parked.delete(p));
            }
            return chain.replaceWith(found.size());
        });
    }

    private static Correlation correlation(ShipmentContext ctx, MilestoneRequest request) {
        List<ExternalReference> refs = new ArrayList<>();
        MilestoneRequest.Keys k = request.references();
        if (k.bol() != null) {
            refs.add(new ExternalReference(ReferenceType.BOL, k.bol()));
        }
        if (k.pro() != null) {
            refs.add(new ExternalReference(ReferenceType.PRO, k.pro()));
        }
        if (k.po() != null) {
            refs.add(new ExternalReference(ReferenceType.PO, k.po()));
        }
        return new Correlation(ctx.shipmentId, ctx.orderId, ctx.loadId, null, ctx.customerId, refs);
    }

    private static MilestoneAccepted duplicate(String eventId, String shipmentId) {
        return new MilestoneAccepted(eventId, Outcome.DUPLICATE, shipmentId, null, null, null);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private MilestoneRequest read(String json) {
        try {
            return mapper.readValue(json, MilestoneRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Parked milestone unreadable", e);
        }
    }
}
