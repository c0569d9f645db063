package com.logisync.milestone.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.MilestoneCorrected;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.StatusPrecedence;
import com.logisync.milestone.model.ShipmentContext;
import com.logisync.milestone.repository.MilestoneRepository;
import com.logisync.milestone.repository.ShipmentContextRepository;
import com.logisync.milestone.rest.CorrectionRequest;
import com.logisync.runtime.outbox.Outbox;
import com.logisync.runtime.repository.SessionSql;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.runtime.tracing.ShipmentTrace;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Corrections of recorded milestones. Status only moves forward, so a wrong report (a DELIVERED sent
 * for the wrong load, a wrong time) is undone by a fact of its own: the milestone is voided or
 * re-timed, the shipment's status is recomputed from the milestones that still count, and
 * {@code MilestoneCorrected} tells billing and the case view, all in one transaction under the
 * shipment's lock. The partner that reported a milestone may correct it; an ops user may correct any,
 * and may attach a POD received by other means to a delivery.
 */
@ApplicationScoped
public class MilestoneCorrections {

    private static final Logger LOG = Logger.getLogger(MilestoneCorrections.class);
    private static final String REMEMBER = "insert into milestone_correction (correction_id, event_id, action,"
            + " corrected_by, reason, new_event_time, recorded_at) values ($1, $2, $3, $4, $5, $6, $7)";
    private static final String COUNT = "select count(*) from milestone_correction where event_id = $1";

    private final MilestoneRepository milestones;
    private final ShipmentContextRepository contexts;
    private final Outbox outbox;
    private final ShipmentTrace trace;
    private final ObjectMapper mapper;
    private final PodTrust podTrust;

    public MilestoneCorrections(MilestoneRepository milestones, ShipmentContextRepository contexts, Outbox outbox,
            ShipmentTrace trace, ObjectMapper mapper, PodTrust podTrust) {
        this.milestones = milestones;
        this.contexts = contexts;
        this.outbox = outbox;
        this.trace = trace;
        this.mapper = mapper;
        this.podTrust = podTrust;
    }

    /** Who records a POD that the dispatch proved: milestone-service itself, not a person. */
    public static final String DISPATCH_PROOF = "milestone-service";

    /**
     * The TMS has just named the load's carrier ({@code ctx} is locked by the caller's transaction, and
     * had no carrier before): a POD recorded before it, unverified only because the carrier was not
     * known yet, proves the delivery when its partner reports for that carrier. Each such POD is
     * recorded as a {@code RECORD_POD} correction by {@value #DISPATCH_PROOF}, so billing and the case
     * view take it as they take an ops user's. Our own lag (the dispatch still on its way to this
     * service while the carrier's 214 arrives) must not leave a delivered shipment to a person.
     */
    public Uni<Void> verifyPodsAwaitingCarrier(ShipmentContext ctx, String traceparent) {
        return milestones.unverifiedPods(ctx.shipmentId).chain(payloads -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String payload : payloads) {
                MilestoneRecorded original = read(payload);
                ProofOfDelivery pod = original.pod();
                if (pod == null || !Boolean.FALSE.equals(pod.verified()) || original.source() == null
                        || !podTrust.provesFor(ctx.carrier, original.source().system(), original.source().partnerId())) {
                    continue;
                }
                // A signed POD proves the delivery; an unsigned delivery carries the verdict alone, which billing
                // takes where the contract lets the POD document follow.
                ProofOfDelivery proven = new ProofOfDelivery(pod.signedBy(), pod.signedAt(), pod.documentRef(),
                        pod.osdNotes(), true, null);
                String reason = "the TMS dispatched the load to carrier " + ctx.carrier + ", for which partner "
                        + original.source().partnerId() + " reports: "
                        + (pod.isSigned() ? "its POD proves the delivery" : "its delivery report counts, its POD may follow");
                chain = chain.chain(() -> record(ctx, original, proven, reason, traceparent));
            }
            return chain;
        });
    }

    private Uni<Void> record(ShipmentContext ctx, MilestoneRecorded original, ProofOfDelivery pod, String reason,
            String traceparent) {
        String eventId = original.eventId();
        Instant now = Instant.now();
        return remember(eventId, MilestoneCorrected.Action.RECORD_POD, DISPATCH_PROOF, reason, null, now)
                .chain(correctionId -> {
                    MilestoneCorrected corrected = new MilestoneCorrected(original.correlation(), correctionId, eventId,
                            original.milestone(), MilestoneCorrected.Action.RECORD_POD, reason, DISPATCH_PROOF, null, pod,
                            now, ctx.statusMilestone, ctx.statusEventTime);
                    LOG.infof("Milestone %s (%s) of %s: %s now proves the delivery (%s)", eventId, original.milestone(),
                            ctx.shipmentId, pod.isSigned() ? "POD by " + pod.signedBy() : "the unsigned report", reason);
                    return outbox.enqueue(corrected, traceparent).replaceWithVoid();
                });
    }

    /** Remembers a correction of the milestone; its id is the milestone's with the correction's number. */
    private static Uni<String> remember(String eventId, MilestoneCorrected.Action action, String by, String reason,
            EventTime newTime, Instant at) {
        return SessionSql.select(COUNT, eventId).chain(count -> {
            String correctionId = eventId + "#" + (((Number) count.get(0)[0]).longValue() + 1);
            return SessionSql.update(REMEMBER, correctionId, eventId, action.name(), by, reason,
                    newTime == null ? null : SessionSql.utc(newTime.utc()), SessionSql.utc(at)).replaceWith(correctionId);
        });
    }

    /** Who asks: the partner its token speaks for, its subject (the actor recorded), and whether it is ops. */
    public record Caller(String partnerId, String subject, boolean ops) {
    }

    @WithSpan("correct-milestone")
    public Uni<MilestoneCorrected> correct(String eventId, CorrectionRequest request, Caller caller) {
        return Panache.withSession(() -> milestones.find(eventId)).chain(found -> {
            if (found == null) {
                return Uni.createFrom().failure(ProblemException.notFound("Milestone", eventId));
            }
            MilestoneRecorded original = read(found.payload());
            authorize(original, request, caller);
            MDC.put("shipmentId", found.shipmentId());
            return Panache.withSession(() -> contexts.findById(found.shipmentId())).chain(ctx -> trace.inShipmentTrace(
                    "correct-milestone", found.shipmentId(), ctx == null ? null : ctx.traceparent,
                    traceparent -> Panache.withTransaction(() -> contexts.lock(found.shipmentId())
                            .chain(locked -> apply(locked, original, request, caller, traceparent)))));
        });
    }

    private static void authorize(MilestoneRecorded original, CorrectionRequest request, Caller caller) {
        String reporter = original.source() == null ? null : original.source().partnerId();
        if (request.action() == MilestoneCorrected.Action.RECORD_POD && !caller.ops()) {
            throw new ProblemException(403, "ops-only", "Not allowed", "Only an ops user records a POD received by"
                    + " other means", null, Map.of());
        }
        if (!caller.ops() && (caller.partnerId() == null || !caller.partnerId().equals(reporter))) {
            throw com.logisync.milestone.partner.PartnerProfiles.mismatch(caller.partnerId(),
                    List.of(String.valueOf(reporter)), "Milestone " + original.eventId() + " was reported by partner "
                            + reporter + "; the token speaks for " + caller.partnerId()
                            + ". Only the reporting partner or ops may correct it.", null);
        }
    }

    private Uni<MilestoneCorrected> apply(ShipmentContext ctx, MilestoneRecorded original, CorrectionRequest request,
            Caller caller, String traceparent) {
        String eventId = original.eventId();
        return milestones.find(eventId).chain(current -> {
            if (current.voided()) {
                return Uni.createFrom().failure(ProblemException.conflict("milestone-voided", "Milestone " + eventId
                        + " is already voided; a voided milestone is not corrected again", Map.of("eventId", eventId)));
            }
            Instant now = Instant.now();
            EventTime newTime = null;
            ProofOfDelivery pod = null;
            Uni<Void> change;
            switch (request.action()) {
                case VOID -> change = milestones.markVoided(eventId);
                case RETIME -> {
                    OffsetDateTime t = request.eventTime();
                    newTime = new EventTime(t.toInstant(), t.toLocalDateTime(), t.getOffset().getId(),
                            t.getOffset().getTotalSeconds() == 0 ? com.logisync.contracts.milestone.TimeResolution.SOURCE_UTC
                                    : com.logisync.contracts.milestone.TimeResolution.SOURCE_OFFSET);
                    change = milestones.retime(eventId, t.toInstant());
                }
                case RECORD_POD -> {
                    if (original.milestone() != MilestoneType.DELIVERED) {
                        return Uni.createFrom().failure(ProblemException.unprocessable("A POD is recorded on a DELIVERED"
                                + " milestone; " + eventId + " is " + original.milestone(),
                                List.of(new Problem.FieldError("eventId", "not-a-delivery", "is " + original.milestone()))));
                    }
                    pod = new ProofOfDelivery(request.pod().signedBy(), request.pod().signedAt().toInstant(),
                            request.pod().documentRef(), request.pod().osdNotes(), true, null);
                    change = Uni.createFrom().voidItem();
                }
                default -> throw new IllegalStateException();
            }
            EventTime eventTime = newTime;
            ProofOfDelivery recordedPod = pod;
            return change.chain(() -> remember(eventId, request.action(), caller.subject(), request.reason(), eventTime,
                            now))
                    .chain(correctionId -> milestones.statusFacts(ctx.shipmentId).chain(facts -> {
                        StatusPrecedence.Status status = null;
                        for (Object[] f : facts) {
                            status = StatusPrecedence.apply(status, MilestoneType.valueOf((String) f[0]),
                                    Classifier.valueOf((String) f[1]), ((OffsetDateTime) f[2]).toInstant());
                        }
                        ctx.statusMilestone = status == null ? null : status.milestone();
                        ctx.statusEventTime = status == null ? null : status.eventTime();
                        ctx.updatedAt = now;
                        MilestoneCorrected corrected = new MilestoneCorrected(original.correlation(), correctionId, eventId,
                                original.milestone(), request.action(), request.reason(), caller.subject(), eventTime,
                                recordedPod, now, ctx.statusMilestone, ctx.statusEventTime);
                        LOG.infof("Milestone %s (%s) of %s: %s by %s (%s); status now %s", eventId, original.milestone(),
                                ctx.shipmentId, request.action(), caller.subject(), request.reason(), ctx.statusMilestone);
                        return outbox.enqueue(corrected, traceparent).replaceWith(corrected);
                    }));
        });
    }

    private MilestoneRecorded read(String payload) {
        try {
            return mapper.readValue(payload, MilestoneRecorded.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A recorded milestone's payload is unreadable", e);
        }
    }
}
