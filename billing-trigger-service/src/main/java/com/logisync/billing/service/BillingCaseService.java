package com.logisync.billing.service;

import com.logisync.billing.config.InvoicingConfig;
import com.logisync.billing.model.BillingAccessorial;
import com.logisync.billing.model.BillingCase;
import com.logisync.billing.model.BillingException;
import com.logisync.billing.model.BillingStatus;
import com.logisync.billing.repository.BillingCaseRepository;
import com.logisync.billing.repository.BillingDetailsRepository;
import com.logisync.contracts.event.AccessorialCaptured;
import com.logisync.contracts.event.BillingCaseUpdated;
import com.logisync.contracts.event.BillingEligible;
import com.logisync.contracts.event.ContractUpdated;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.MilestoneCorrected;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderAmended;
import com.logisync.contracts.event.OrderCancelled;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.event.PositionReported;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.model.Correlation;
import com.logisync.runtime.messaging.IncomingEvent;
import com.logisync.runtime.outbox.Outbox;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds each shipment's billing case from the orders and milestones topics and publishes
 * {@code BillingEligible} exactly once, when every rule is met. Every update is order-independent
 * (earliest delivery, latest signed POD, accessorials and exceptions keyed by their own ids, an
 * exception resolved by a later delivery whichever arrives first), so any arrival order of the same
 * events gives the same case. Clerks decide pending accessorials and resolve exceptions here too.
 */
@ApplicationScoped
public class BillingCaseService {

    /**
     * An invoice's or supplementary invoice's lines as ERP was asked for them (its frozen rating), for the
     * customer's 210; none for a credit note, or when the rating cannot be read.
     */
    private List<com.logisync.contracts.event.InvoiceRequested.Charge> charges(com.logisync.billing.model.BillingDocument x) {
        if (x.ratingJson == null || com.logisync.billing.model.BillingDocument.CREDIT_NOTE.equals(x.kind)) {
            return null;
        }
        try {
            RatingEngine.Rating rating = mapper.readValue(x.ratingJson, RatingEngine.Rating.class);
            return rating.lines().stream().map(l -> new com.logisync.contracts.event.InvoiceRequested.Charge(l.code(),
                    l.description(), l.quantity(), l.unit(), l.rate(), l.amount(), l.basis(),
                    l.currency() != null ? l.currency() : rating.currency(), l.rateQualifier())).toList();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static final Logger LOG = Logger.getLogger(BillingCaseService.class);
    private static final Set<MilestoneType> EXCEPTIONS = Set.of(MilestoneType.EXCEPTION, MilestoneType.REFUSED,
            MilestoneType.DELIVERY_NOT_COMPLETED);

    /**
     * Milestones that, reported without a POD, change nothing billing holds: no delivery, POD, exception or stop
     * time ({@link #absorbMilestone}, {@link #exceptions}, {@link StopDetention#record}). A case whose events of a
     * batch are all of these, and that learnt no new reference from them, is not evaluated again: its rules and
     * snapshot are those of its last evaluation (the rules read facts, not the clock). A type not listed here is
     * always evaluated, so a new type is safe until it is added.
     */
    public static final Set<MilestoneType> INERT = Set.of(MilestoneType.DISPATCHED, MilestoneType.APPOINTMENT_SET,
            MilestoneType.LOADING_COMPLETED, MilestoneType.IN_TRANSIT, MilestoneType.ARRIVED_TERMINAL,
            MilestoneType.DEPARTED_TERMINAL, MilestoneType.OUT_FOR_DELIVERY, MilestoneType.DELIVERY_ATTEMPTED,
            MilestoneType.DELAYED, MilestoneType.ETA_UPDATED, MilestoneType.POSITION);

    /** Whether this event may change what the rules or the agent's snapshot see (see {@link #INERT}). */
    static boolean mayChangeBilling(IncomingEvent event) {
        return !(event.payload() instanceof MilestoneRecorded m && m.pod() == null && INERT.contains(m.milestone()));
    }

    /**
     * Whether the consumer must recognise a redelivery of this event by its ledger row ({@code processed_event}).
     * Not for an event that changes nothing billing holds when applied again: an inert milestone without a POD
     * ({@link #INERT}: no delivery, POD, exception or stop time; only identifiers and references, which it sets to
     * the same values the second time) and an event that concerns no case (a position). Kafka redelivers a
     * partition's suffix in order, so an inert report applied again is followed by every later event again.
     * On the benchmark's lifecycle mix 11 of 16 reports are inert: the ledger row was about a third of billing's
     * PostgreSQL time per event (docs/benchmarks.md). {@code LargeBatchTest} redelivers a poll of them.
     * <p>
     * Nor for a stop report without a POD (an arrival or departure at a pickup or delivery stop): its only effect is
     * its row in {@code billing_stop_event}, keyed by its id and inserted {@code on conflict do nothing}
     * ({@link StopDetention#recordAll}), which is its ledger row: applied again, it finds its row, adds no report and
     * moves no stay, so its stop's detention is not recomputed; a correction of it stands. Its case is evaluated
     * again on the same facts, which publishes nothing new (the snapshot's hash). Only an actual report has a row; an
     * estimated one changes nothing at all. These were all of billing's ledger rows on the lifecycle mix, 2.5-3.5 µs
     * of PostgreSQL per consumed event (docs/benchmark-log.md, forty-second session).
     */
    public static boolean needsLedger(IncomingEvent event) {
        if (event.payload() instanceof ContractUpdated) {
            return true;
        }
        return concernsCase(event) && mayChangeBilling(event)
                && !(event.payload() instanceof MilestoneRecorded m && m.pod() == null
                        && StopDetention.reportsStop(m.milestone()));
    }

    /** A case with its accessorials and exceptions, as shown and as the rules see it. */
    public record CaseDetails(BillingCase billingCase, List<BillingAccessorial> accessorials,
            List<BillingException> exceptions, boolean podMayFollow, boolean podDocumentRequired,
            com.logisync.billing.model.PodDocumentInfo podDocument,
            List<com.logisync.billing.model.BillingDocument> documents) {

        public CaseDetails(BillingCase billingCase, List<BillingAccessorial> accessorials, List<BillingException> exceptions) {
            this(billingCase, accessorials, exceptions, false, false, null, List.of());
        }

        public List<BillingEligibilityRules.Check> checklist() {
            BillingCase b = billingCase;
            return BillingEligibilityRules.evaluate(new BillingEligibilityRules.Facts(b.deliveredAt, b.podSignedBy,
                    b.podSignedAt, b.cancelled, podMayFollow && b.deliveryVerified,
                    accessorials.stream().map(a -> new BillingEligibilityRules.AccessorialFact(a.accessorialId,
                            a.chargeCode, a.status)).toList(),
                    exceptions.stream().map(e -> new BillingEligibilityRules.ExceptionFact(e.exceptionId, e.kind,
                            e.openedAt, e.resolvedAt)).toList(), stopsAwaitingDelivery(b), podDocumentRequired,
                    podDocument != null));
        }

        /** The delivery stops of a multi-drop order not delivered yet (none for a single drop). */
        static List<Integer> stopsAwaitingDelivery(BillingCase b) {
            List<Integer> stops = sequences(b.deliveryStops);
            if (stops.size() < 2) {
                return List.of();
            }
            List<Integer> delivered = sequences(b.deliveredStops);
            return stops.stream().filter(s -> !delivered.contains(s)).toList();
        }
    }

    private final BillingCaseRepository cases;
    private final BillingDetailsRepository details;
    private final Outbox outbox;
    private final BillingMetrics metrics;
    private final InvoicingConfig invoicing;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;
    private final StopDetention detention;

    public BillingCaseService(BillingCaseRepository cases, BillingDetailsRepository details, Outbox outbox,
            BillingMetrics metrics, InvoicingConfig invoicing, com.fasterxml.jackson.databind.ObjectMapper mapper,
            StopDetention detention) {
        this.detention = detention;
        this.mapper = mapper;
        this.cases = cases;
        this.details = details;
        this.outbox = outbox;
        this.metrics = metrics;
        this.invoicing = invoicing;
    }

    /** Applies one consumed event, in the consumer's transaction (a batch of one). */
    public Uni<Void> apply(IncomingEvent event) {
        return applyAll(List.of(event));
    }

    private static final String CREATE_CASES = "insert into billing_case (shipment_id, status, updated_at)"
            + " select unnest($1::text[]), 'OPEN', now() on conflict (shipment_id) do nothing";

    /** Whether the event changes the shipment's billing case (where the truck is does not change what is billed). */
    private static boolean concernsCase(IncomingEvent event) {
        return event.shipmentEvent() != null && !(event.payload() instanceof PositionReported)
                && !(event.payload() instanceof BillingCaseUpdated);
    }

    /**
     * Applies a batch of consumed events in order, in the consumer's transaction. The batch's cases are
     * created if missing and locked in one statement each (in shipment id order); each event changes its
     * case's facts; then, once the whole batch is applied and flushed, the details of all its cases are
     * read in one statement per kind ({@link BillingDetailsRepository#ofCases}) and the rules, the late
     * charges and the snapshot for the service agent are evaluated once per case, in shipment id order,
     * on the facts as they are then, following the case's last event of the batch (the same outcome as
     * after every event: eligibility and the snapshot depend on the facts, not on the order they came
     * in; the snapshot versions in between are not published). Each event's effects only touch its own
     * shipment's rows, so evaluating a case after later events of other shipments changes nothing.
     */
    public Uni<Void> applyAll(List<IncomingEvent> events) {
        java.util.TreeSet<String> shipmentIds = new java.util.TreeSet<>();
        Map<String, IncomingEvent> lastEvent = new java.util.HashMap<>();
        // The cases to evaluate after the batch: those an event may have changed (a reference is added by applyOne).
        java.util.TreeSet<String> toEvaluate = new java.util.TreeSet<>();
        for (IncomingEvent event : events) {
            if (concernsCase(event)) {
                shipmentIds.add(event.shipmentId());
                lastEvent.put(event.shipmentId(), event);
                if (mayChangeBilling(event)) {
                    toEvaluate.add(event.shipmentId());
                }
            }
        }
        Map<String, BillingCase> locked = new java.util.HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (!shipmentIds.isEmpty()) {
            String[] ids = shipmentIds.toArray(String[]::new);
            chain = com.logisync.runtime.repository.SessionSql.update(CREATE_CASES, (Object) ids)
                    .chain(() -> com.logisync.runtime.repository.ShipmentRows.lockAll(BillingCase.class, "billing_case",
                            shipmentIds))
                    .invoke(found -> found.forEach(b -> locked.put(b.shipmentId, b)))
                    .replaceWithVoid();
        }
        Detention detentionWork = new Detention();
        return chain.chain(() -> com.logisync.runtime.vertx.Sequential.each(events, event -> applyOne(event, locked,
                        toEvaluate, detentionWork)))
                .chain(() -> detentionOfBatch(detentionWork, locked))
                .chain(() -> evaluateCases(toEvaluate, locked, lastEvent));
    }

    /**
     * What a batch changes of its stops' detention, written at its end: the arrivals and departures reported (one
     * statement for all), then the detention of every case that gained one or whose stops changed, recomputed once
     * per case however many of its reports the batch held ({@link StopDetention#recomputeAll}). Until 2026-12-03 each
     * report wrote its row and recomputed its case's detention at once, five statements a report: on the benchmark's
     * lifecycle mix billing applied 3,026 events/s, 0.22 x the published rate (docs/benchmarks.md).
     */
    private static final class Detention {
        final List<StopDetention.StopReport> reports = new ArrayList<>();
        final java.util.Set<String> recompute = new java.util.TreeSet<>();
    }

    /** Writes the stop reports the batch holds so far; their shipments' detention is recomputed at the batch's end. */
    private Uni<Void> recordStopReports(Detention work) {
        if (work.reports.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<StopDetention.StopReport> reports = List.copyOf(work.reports);
        work.reports.clear();
        return detention.recordAll(reports).invoke(work.recompute::addAll).replaceWithVoid();
    }

    private Uni<Void> detentionOfBatch(Detention work, Map<String, BillingCase> locked) {
        return recordStopReports(work).chain(() -> work.recompute.isEmpty() ? Uni.createFrom().voidItem()
                : detention.recomputeAll(work.recompute.stream().map(locked::get).filter(java.util.Objects::nonNull)
                        .toList(), this::contractFor, invoicing.rounding()).replaceWithVoid());
    }

    /**
     * The rules, late charges and snapshot of every case the batch may have changed, on details read for all at
     * once (in-transit reports and the like change nothing: {@link #INERT}).
     */
    private Uni<Void> evaluateCases(java.util.SortedSet<String> shipmentIds, Map<String, BillingCase> locked,
            Map<String, IncomingEvent> lastEvent) {
        if (shipmentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return details.ofCases(shipmentIds) // flushes the batch's changes first
                .chain(loaded -> com.logisync.runtime.vertx.Sequential.each(shipmentIds, id -> {
                    BillingCase b = locked.get(id);
                    return lateCharges(b).chain(() -> contractFor(b)).chain(contract -> evaluateAndPublish(b,
                            lastEvent.get(id), new CaseDetails(b, loaded.accessorialsOf(id), loaded.exceptionsOf(id),
                                    contract != null && contract.podMayFollow(),
                                    contract != null && contract.wantsPodWithInvoice(), loaded.pods().get(id),
                                    loaded.documentsOf(id))));
                }));
    }

    /** One event's effect on its case's facts (the rules are evaluated after the batch, {@link #evaluateCases}). */
    private Uni<Void> applyOne(IncomingEvent event, Map<String, BillingCase> locked, java.util.Set<String> toEvaluate,
            Detention detentionWork) {
        if (event.payload() instanceof ContractUpdated updated) {
            // Only a version billing did not know yet can change a case (ERP sends the same version again).
            return details.saveContract(updated.contract()).chain(isNew -> isNew
                    ? reconsider(updated.contract().customerId()) : Uni.createFrom().voidItem());
        }
        if (!concernsCase(event)) {
            return Uni.createFrom().voidItem();
        }
        Correlation c = event.shipmentEvent().correlation();
        BillingCase lockedCase = locked.get(c.shipmentId());
        return (lockedCase != null ? Uni.createFrom().item(lockedCase) : cases.lockOrCreate(c.shipmentId()))
                .chain(billingCase -> {
                    // No stamp here: the case stamps itself when a change is written (BillingCase#changed).
                    if (absorbCorrelation(billingCase, c)) {
                        toEvaluate.add(billingCase.shipmentId); // a customer or reference learnt: rules and snapshot again
                    }
                    Object p = event.payload();
                    Uni<Void> effect = Uni.createFrom().voidItem();
                    if (p instanceof DispatchAccepted accepted) {
                        billingCase.loadId = accepted.dispatch().loadId();
                    } else if (p instanceof OrderReleased released) {
                        if (billingCase.orderAmendment == 0) {
                            // The stops were never written when the lane was never set: nothing to replace.
                            boolean hadStops = billingCase.deliveryStops != null;
                            lane(billingCase, released.stops());
                            terms(billingCase, released.contract(), released.serviceLevel());
                            effect = detention.stops(billingCase, released.stops(), hadStops)
                                    .invoke(() -> detentionWork.recompute.add(billingCase.shipmentId));
                        }
                    } else if (p instanceof OrderAmended amended) {
                        if (amended.amendment() > billingCase.orderAmendment) {
                            billingCase.orderAmendment = amended.amendment();
                            boolean hadStops = billingCase.deliveryStops != null;
                            lane(billingCase, amended.stops());
                            terms(billingCase, amended.contract(), amended.serviceLevel());
                            effect = detention.stops(billingCase, amended.stops(), hadStops)
                                    .invoke(() -> detentionWork.recompute.add(billingCase.shipmentId));
                        }
                    } else if (p instanceof OrderCancelled cancelled) {
                        if (billingCase.deliveredAt != null) {
                            // order-sync refuses a cancellation after pickup, but its pickup guard reads a
                            // consumer that may lag: a shipment already delivered is billed, never stranded.
                            LOG.warnf("Shipment %s: cancellation (%s) arrived after its delivery at %s; it is billed as"
                                    + " delivered", c.shipmentId(), cancelled.reason(), billingCase.deliveredAt);
                        } else {
                            // Cancelled before pickup: never billed (a delivery reported afterwards is a wrong report).
                            billingCase.cancelled = true;
                            if (billingCase.status == BillingStatus.OPEN) {
                                billingCase.status = BillingStatus.CANCELLED;
                            }
                            LOG.infof("Shipment %s cancelled (%s): it will not be billed", c.shipmentId(),
                                    cancelled.reason());
                        }
                    } else if (p instanceof com.logisync.contracts.event.OrderCancellationReverted reverted) {
                        // The TMS refused the cancellation: the goods were picked up. Billed as usual.
                        billingCase.cancelled = false;
                        if (billingCase.status == BillingStatus.CANCELLED) {
                            billingCase.status = BillingStatus.OPEN;
                        }
                        LOG.warnf("Shipment %s: its cancellation was undone (%s): it is billed as usual", c.shipmentId(),
                                reverted.reason());
                    } else if (p instanceof MilestoneRecorded milestone) {
                        absorbMilestone(billingCase, milestone);
                        StopDetention.StopReport stop = StopDetention.stopReport(billingCase.shipmentId, milestone);
                        if (stop != null) {
                            detentionWork.reports.add(stop);
                        }
                        effect = exceptions(billingCase, milestone);
                    } else if (p instanceof AccessorialCaptured accessorial) {
                        effect = capture(billingCase, accessorial);
                    } else if (p instanceof MilestoneCorrected corrected) {
                        absorbCorrection(billingCase, corrected);
                        // The report it corrects may be one of this batch's, not written yet: those first. Rare, so
                        // the case's detention is recomputed at once, before its eligibility is looked at again.
                        effect = recordStopReports(detentionWork).chain(() -> detention.correct(corrected))
                                .chain(stay -> stay ? recomputeDetention(billingCase) : Uni.createFrom().voidItem())
                                .chain(() -> withdrawIfNoLongerEligible(billingCase));
                    }
                    return effect;
                });
    }

    /**
     * Master data and shipment events travel on different topics, so a contract may arrive after the
     * customer's orders and deliveries: every case of the customer not yet asked of ERP is looked at again
     * under its lock (in shipment id order), its detention recomputed and its rules evaluated.
     */
    private Uni<Void> reconsider(String customerId) {
        return cases.notYetInvoiced(customerId).chain(ids -> com.logisync.runtime.vertx.Sequential.each(ids,
                id -> cases.lockOrCreate(id).chain(b -> recomputeDetention(b)
                        .chain(() -> evaluateAndPublish(b, null)))));
    }

    /**
     * Publishes {@code BillingCaseUpdated} when what the service agent sees of the case (the
     * checklist, the accessorials and their decisions, the exceptions) changed, as the next version.
     */
    private Uni<Void> publishSnapshot(BillingCase b, IncomingEvent cause) {
        return publishSnapshot(b, cause, null);
    }

    /** As {@link #publishSnapshot(BillingCase, IncomingEvent)}, on the case's details if already read (else read now). */
    private Uni<Void> publishSnapshot(BillingCase b, IncomingEvent cause, CaseDetails preloaded) {
        if (b.customerId == null && b.deliveredAt == null) {
            return Uni.createFrom().voidItem(); // nothing an agent could use yet
        }
        Uni<CaseDetails> loaded = preloaded != null ? Uni.createFrom().item(preloaded)
                : Panache.getSession().chain(s -> s.flush()).chain(() -> details(b));
        return loaded.chain(d -> {
            List<BillingEligibilityRules.Check> checks = d.checklist();
            List<BillingCaseUpdated.Check> checklist = checks.stream()
                    .map(c -> new BillingCaseUpdated.Check(c.rule(), c.met(), c.detail())).toList();
            List<BillingCaseUpdated.Accessorial> accessorials = d.accessorials().stream()
                    .sorted(java.util.Comparator.comparing((BillingAccessorial a) -> a.accessorialId))
                    .map(a -> new BillingCaseUpdated.Accessorial(a.accessorialId, a.chargeCode, stored(a.quantity), a.unit,
                            a.status, a.decidedBy, a.reason, stored(a.decidedAt), a.receiptRef, a.evidence)).toList();
            List<BillingCaseUpdated.BillingIssue> exceptions = d.exceptions().stream()
                    .sorted(java.util.Comparator.comparing((BillingException e) -> e.exceptionId))
                    .map(e -> new BillingCaseUpdated.BillingIssue(e.exceptionId, e.kind, e.detail, stored(e.openedAt),
                            stored(e.resolvedAt), e.resolution)).toList();
            List<BillingCaseUpdated.Document> documents = d.documents().stream()
                    .map(x -> new BillingCaseUpdated.Document(x.idempotencyKey, x.kind, x.state, x.erpDocumentId,
                            x.currency, stored(x.total), x.originalKey, x.creditedBy, stored(x.requestedAt),
                            stored(x.issuedAt), x.reason,
                            charges(x)))
                    .toList();
            boolean eligible = BillingEligibilityRules.eligible(checks);
            String hash;
            try {
                hash = sha256(mapper.writeValueAsString(documents.isEmpty()
                        ? List.of(eligible, checklist, accessorials, exceptions)
                        : List.of(eligible, checklist, accessorials, exceptions, documents)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return Uni.createFrom().failure(e);
            }
            if (hash.equals(b.snapshotHash)) {
                return Uni.createFrom().voidItem();
            }
            b.snapshotHash = hash;
            b.caseVersion++;
            BillingCaseUpdated updated = new BillingCaseUpdated(
                    new Correlation(b.shipmentId, b.orderId, b.loadId, null, b.customerId, null), b.caseVersion,
                    eligible, checklist, accessorials, exceptions, Instant.now(), documents.isEmpty() ? null : documents);
            return (cause == null ? outbox.enqueue(updated, b.traceparent) : outbox.enqueueFollowing(cause, updated))
                    .replaceWithVoid();
        });
    }

    /**
     * A quantity or total as its column stores it ({@code numeric(12,2)}, {@code numeric(14,2)}: rounded half away
     * from zero, as PostgreSQL rounds).
     * The snapshot and its hash are built from the case's details, which are the session's objects when the batch
     * has just written them (a detention charge of 241 minutes, decided now) and the rows read back on a later
     * evaluation (241.00, decided at the same microsecond): without this, the same facts hashed differently and the
     * next evaluation published an unchanged snapshot as a new version (LargeBatchTest, a redelivered poll).
     */
    static java.math.BigDecimal stored(java.math.BigDecimal quantity) {
        return quantity == null ? null : quantity.setScale(2, java.math.RoundingMode.HALF_UP);
    }

    /** An instant as a {@code timestamptz} column stores it: whole microseconds, as the driver sends it (truncated). */
    static Instant stored(Instant at) {
        return at == null ? null : at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Uni<CaseDetails> find(String shipmentId) {
        return Panache.withSession(() -> cases.findById(shipmentId).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("Billing case", shipmentId))
                .chain(this::details));
    }

    private Uni<CaseDetails> details(BillingCase b) {
        return details.accessorials(b.shipmentId).chain(accessorials -> details.exceptions(b.shipmentId)
                .chain(exceptions -> contractFor(b).chain(contract -> details.podDocument(b.shipmentId)
                        .chain(pod -> details.documents(b.shipmentId)
                                .map(documents -> new CaseDetails(b, accessorials, exceptions,
                                        contract != null && contract.podMayFollow(),
                                        contract != null && contract.wantsPodWithInvoice(), pod, documents))))));
    }

    // ---------------------------------------------------------------- clerk decisions

    /** A clerk approves a pending accessorial; a lumper still needs its receipt. */
    public Uni<CaseDetails> approve(String shipmentId, String accessorialId, String clerk, String reason) {
        return decide(shipmentId, accessorialId, "APPROVED", clerk, reason);
    }

    public Uni<CaseDetails> reject(String shipmentId, String accessorialId, String clerk, String reason) {
        return decide(shipmentId, accessorialId, "REJECTED", clerk, reason);
    }

    private Uni<CaseDetails> decide(String shipmentId, String accessorialId, String decision, String clerk,
            String reason) {
        return Panache.withTransaction(() -> lockExisting(shipmentId).chain(b -> details.accessorial(accessorialId)
                .chain(a -> {
                    if (a == null || !a.shipmentId.equals(shipmentId)) {
                        return Uni.createFrom().failure(ProblemException.notFound("Accessorial", accessorialId));
                    }
                    if (decision.equals(a.status)) {
                        return Uni.createFrom().voidItem();
                    }
                    if (!"PENDING".equals(a.status)) {
                        return Uni.createFrom().failure(ProblemException.conflict("accessorial-decided",
                                "Accessorial " + accessorialId + " was already " + a.status + " (" + a.reason + ")",
                                Map.of("accessorialStatus", a.status)));
                    }
                    if ("APPROVED".equals(decision) && "UNL".equals(a.chargeCode)
                            && (a.receiptRef == null || a.receiptRef.isBlank())) {
                        return Uni.createFrom().failure(ProblemException.unprocessable(
                                "A lumper charge cannot be approved without its receipt",
                                List.of(new Problem.FieldError("receiptRef", "LUMPER_RECEIPT_MISSING",
                                        "the driver reported no receipt reference"))));
                    }
                    MDC.put("shipmentId", shipmentId);
                    a.status = decision;
                    a.decidedBy = clerk;
                    a.reason = reason;
                    a.decidedAt = Instant.now();
                    LOG.infof("%s %s %s by %s: %s", a.chargeCode, accessorialId, decision, clerk, reason);
                    return Uni.createFrom().voidItem();
                })
                .chain(() -> lateCharges(b))
                .chain(() -> evaluateAndPublish(b, null))))
                .chain(() -> find(shipmentId));
    }

    /** A clerk resolves an open exception. */
    public Uni<CaseDetails> resolve(String shipmentId, String exceptionId, String clerk, String reason) {
        return Panache.withTransaction(() -> lockExisting(shipmentId).chain(b -> details.exception(exceptionId)
                .chain(e -> {
                    if (e == null || !e.shipmentId.equals(shipmentId)) {
                        return Uni.createFrom().failure(ProblemException.notFound("Exception", exceptionId));
                    }
                    if (e.resolvedAt == null) {
                        MDC.put("shipmentId", shipmentId);
                        e.resolvedAt = Instant.now();
                        e.resolution = "resolved by " + clerk + ": " + reason;
                        LOG.infof("Exception %s of %s %s", exceptionId, shipmentId, e.resolution);
                    }
                    return Uni.createFrom().voidItem();
                })
                .chain(() -> evaluateAndPublish(b, null))))
                .chain(() -> find(shipmentId));
    }

    private Uni<BillingCase> lockExisting(String shipmentId) {
        return cases.findById(shipmentId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("Billing case", shipmentId));
    }

    // ---------------------------------------------------------------- events

    /** The contract terms order release decided (absent on orders released before it decided them). */
    private static void terms(BillingCase b, com.logisync.contracts.model.ContractTerms t, String serviceLevel) {
        if (t == null) {
            return;
        }
        b.contractId = t.contractId();
        b.contractVersion = t.version();
        b.laneOrigin = t.originRegion();
        b.laneDestination = t.destinationRegion();
        b.serviceLevel = t.serviceLevel() != null ? t.serviceLevel() : serviceLevel;
    }

    private static void lane(BillingCase b, List<Stop> stops) {
        stops.stream().filter(s -> s.type() == StopType.PICKUP).findFirst().ifPresent(s -> {
            b.originRegion = s.address().regionCode();
            if (s.window() != null && s.zoneId() != null) {
                b.pickupDay = s.window().start().atZone(java.time.ZoneId.of(s.zoneId())).toLocalDate();
            }
        });
        stops.stream().filter(s -> s.type() == StopType.DELIVERY).reduce((first, second) -> second).ifPresent(s -> {
            b.destinationRegion = s.address().regionCode();
            b.deliveryZone = s.zoneId();
        });
        b.deliveryStops = String.join("|", stops.stream().filter(s -> s.type() == StopType.DELIVERY)
                .map(s -> String.valueOf(s.sequence())).toList());
    }

    /** {@code 2|3} as sequences. */
    static List<Integer> sequences(String joined) {
        return joined == null || joined.isBlank() ? List.of()
                : java.util.Arrays.stream(joined.split("\\|")).map(Integer::valueOf).toList();
    }

    /**
     * Which delivery stop a DELIVERED closes: the stop sequence it reports; without one, the last
     * delivery stop of the order (a carrier that reports one delivery means the shipment's).
     */
    private static void deliveredStop(BillingCase b, MilestoneRecorded m) {
        List<Integer> stops = sequences(b.deliveryStops);
        Integer stop = m.location() != null && m.location().stopSequence() != null ? m.location().stopSequence()
                : stops.isEmpty() ? null : stops.get(stops.size() - 1);
        if (stop == null) {
            return;
        }
        java.util.TreeSet<Integer> delivered = new java.util.TreeSet<>(sequences(b.deliveredStops));
        delivered.add(stop);
        b.deliveredStops = String.join("|", delivered.stream().map(String::valueOf).toList());
    }

    /**
     * The ISO week of the diesel index: by the contract's basis, the planned ship day (pickup day in
     * the pickup stop's zone) by default, or the delivery day in the delivery stop's zone; never a UTC
     * date (a Sunday-evening delivery in Chicago is Monday in UTC, the next week).
     */
    public static String fuelWeek(Contract.FuelSurchargeTable table, java.time.LocalDate pickupDay, Instant deliveredAt,
            String deliveryZone) {
        java.time.LocalDate delivered = deliveredAt.atZone(deliveryZone == null ? java.time.ZoneOffset.UTC
                : java.time.ZoneId.of(deliveryZone)).toLocalDate();
        java.time.LocalDate day = table != null && table.byDeliveryDate() || pickupDay == null ? delivered : pickupDay;
        return String.format("%d-W%02d", day.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
                day.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    /**
     * What the shipment costs by its contract: linehaul on its lane, discount, fuel surcharge for the
     * diesel index of the delivery week (UTC), and its approved accessorials. Once the invoice is
     * requested, the rating frozen for it (what ERP bills), not today's.
     */
    public Uni<RatingEngine.Rating> rate(String shipmentId) {
        return find(shipmentId).chain(d -> d.billingCase().ratingJson != null
                ? Uni.createFrom().item(() -> frozen(d.billingCase())) : fresh(d));
    }

    /** What the shipment costs by its contract and its approved accessorials today, frozen or not (a rebill). */
    public Uni<RatingEngine.Rating> rateAfresh(String shipmentId) {
        return find(shipmentId).chain(this::fresh);
    }

    private Uni<RatingEngine.Rating> fresh(CaseDetails d) {
        String shipmentId = d.billingCase().shipmentId;
        return Panache.withSession(() -> contractFor(d.billingCase())
                .chain(contract -> {
                    BillingCase b = d.billingCase();
                    List<String> missing = new java.util.ArrayList<>();
                    if (contract == null) {
                        missing.add(b.contractId != null ? "contract " + b.contractId + " version " + b.contractVersion
                                + " (the order's) has not reached billing yet" : "no contract known for customer " + b.customerId);
                    }
                    if (b.originRegion == null || b.destinationRegion == null) {
                        missing.add("the order's lane is not known yet");
                    }
                    if (b.deliveredAt == null) {
                        missing.add("not delivered yet (the fuel surcharge uses the delivery week)");
                    }
                    if (!missing.isEmpty()) {
                        return Uni.createFrom().failure(notRatable(shipmentId, String.join("; ", missing)));
                    }
                    String week = fuelWeek(contract.fuelSurcharge(), b.pickupDay, b.deliveredAt, b.deliveryZone);
                    return details.dieselPrice(week).map(price -> {
                        List<RatingEngine.Charge> charges = d.accessorials().stream()
                                .filter(a -> "APPROVED".equals(a.status))
                                .map(a -> new RatingEngine.Charge(a.accessorialId, a.chargeCode, a.quantity, a.unit))
                                .toList();
                        RatingEngine.DieselIndex index = price == null ? null : new RatingEngine.DieselIndex(week, price);
                        try {
                            if (b.contractId != null) {
                                com.logisync.contracts.model.ContractTerms terms = new com.logisync.contracts.model.ContractTerms(
                                        b.contractId, b.contractVersion, b.laneOrigin, b.laneDestination, b.serviceLevel);
                                Contract.Lane lane = com.logisync.contracts.masterdata.ContractSelection.lane(contract, terms)
                                        .orElseThrow(() -> new RatingEngine.RatingException("Contract " + b.contractId + " v"
                                                + b.contractVersion + " has no lane " + b.laneOrigin + " → " + b.laneDestination
                                                + " for " + b.serviceLevel));
                                return RatingEngine.rate(contract, lane, index, charges, invoicing.rounding());
                            }
                            Contract.Lane lane = contract.lanes().stream()
                                    .filter(l -> l.covers(b.originRegion, b.destinationRegion)).findFirst()
                                    .orElseThrow(() -> new RatingEngine.RatingException("Contract " + contract.contractId()
                                            + " has no lane from " + b.originRegion + " to " + b.destinationRegion));
                            return RatingEngine.rate(contract, lane, index, charges, invoicing.rounding());
                        } catch (RatingEngine.RatingException e) {
                            throw notRatable(shipmentId, e.getMessage()
                                    + (price == null ? " (set it with PUT /api/v1/fuel-index/" + week + ")" : ""));
                        }
                    });
                }));
    }

    /**
     * The contract a case is rated with: exactly the version its order was released under; for an
     * order released before release decided it, the customer's latest contract (the old rule).
     */
    public Uni<Contract> contractFor(BillingCase b) {
        return b.contractId != null ? details.contractVersion(b.contractId, b.contractVersion)
                : details.contractOf(b.customerId);
    }

    /** The rating frozen for the current invoice revision: what ERP was (or is being) asked to bill. */
    public RatingEngine.Rating frozen(BillingCase b) {
        try {
            return mapper.readValue(b.ratingJson, RatingEngine.Rating.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Frozen rating of " + b.shipmentId + " is unreadable", e);
        }
    }


    private static ProblemException notRatable(String shipmentId, String why) {
        // Unprocessable, not a conflict: the case lacks what rating needs, and a read never answers 409.
        return new ProblemException(422, "not-ratable", "Not ratable", "Shipment " + shipmentId + " cannot be rated: " + why,
                null, Map.of("shipmentId", shipmentId));
    }

    /** Takes the event's identifiers and references into the case; whether any of them was new. */
    private static boolean absorbCorrelation(BillingCase b, Correlation c) {
        String orderId = b.orderId;
        String customerId = b.customerId;
        String loadId = b.loadId;
        String references = b.referenceKeys;
        b.orderId = c.orderId() != null ? c.orderId() : b.orderId;
        b.customerId = c.customerId() != null ? c.customerId() : b.customerId;
        b.loadId = c.loadId() != null ? c.loadId() : b.loadId;
        if (c.references() != null && !c.references().isEmpty()) {
            java.util.Set<String> keys = new java.util.TreeSet<>(referenceKeys(b));
            c.references().forEach(r -> keys.add(r.type().name() + ":" + r.value()));
            String joined = String.join("|", keys);
            b.referenceKeys = joined.length() > 1000 ? b.referenceKeys : joined;
        }
        return !java.util.Objects.equals(orderId, b.orderId) || !java.util.Objects.equals(customerId, b.customerId)
                || !java.util.Objects.equals(loadId, b.loadId) || !java.util.Objects.equals(references, b.referenceKeys);
    }

    /** The case's references as {@code TYPE:value}. */
    public static List<String> referenceKeys(BillingCase b) {
        return b.referenceKeys == null || b.referenceKeys.isBlank() ? List.of() : List.of(b.referenceKeys.split("\\|"));
    }

    private static void absorbMilestone(BillingCase b, MilestoneRecorded m) {
        if (m.milestone() == MilestoneType.DELIVERED && m.classifier() == Classifier.ACTUAL) {
            Instant at = m.eventTime().utc();
            if (b.deliveredAt == null || at.isBefore(b.deliveredAt)) {
                b.deliveredAt = at;
                b.deliveredEvent = m.eventId();
            }
            if (m.pod() != null && !Boolean.FALSE.equals(m.pod().verified())) {
                b.deliveryVerified = true;
            }
            deliveredStop(b, m);
        }
        ProofOfDelivery pod = m.pod();
        if (pod != null && pod.countsForBilling() && b.ratingJson != null && b.podSignedBy != null) {
            // The invoice was requested with its POD: a later one (the vehicle's next load reported without
            // its load id, say) never replaces what ERP was sent.
            LOG.warnf("Shipment %s: POD %s by %s after the invoice request is not taken over (invoiced with %s's)",
                    b.shipmentId, m.eventId(), pod.signedBy(), b.podSignedBy);
            return;
        }
        if (pod != null && pod.countsForBilling() && (b.podSignedAt == null || pod.signedAt().isAfter(b.podSignedAt))) {
            b.podSignedBy = pod.signedBy();
            b.podSignedAt = pod.signedAt();
            b.podDocumentRef = pod.documentRef();
            b.podReceivedAt = m.receivedAt();
            b.podEvent = m.eventId();
        }
    }

    /**
     * A corrected milestone: a voided delivery or POD no longer counts, a re-timed delivery counts at its
     * new time, a POD an ops user recorded counts like a carrier's, and a delivery proven after the fact (its
     * verdict alone, unsigned) counts as a trusted unsigned delivery. A case that was eligible but not yet
     * rated for its invoice goes back to OPEN when its rules are no longer met (and is re-evaluated as
     * usual); once the invoice is requested nothing changes here: service-view opens a task for a person.
     */
    private void absorbCorrection(BillingCase b, MilestoneCorrected c) {
        String id = c.correctedEventId();
        switch (c.action()) {
            case VOID -> {
                if (id.equals(b.deliveredEvent)) {
                    b.deliveredAt = null;
                    b.deliveredEvent = null;
                    b.deliveryVerified = false;
                }
                if (id.equals(b.podEvent)) {
                    b.podSignedBy = null;
                    b.podSignedAt = null;
                    b.podDocumentRef = null;
                    b.podReceivedAt = null;
                    b.podEvent = null;
                }
            }
            case RETIME -> {
                if (id.equals(b.deliveredEvent) && c.eventTime() != null) {
                    b.deliveredAt = c.eventTime().utc();
                }
            }
            case RECORD_POD -> {
                ProofOfDelivery pod = c.pod();
                if (pod != null && !Boolean.FALSE.equals(pod.verified()) && id.equals(b.deliveredEvent)) {
                    // The delivery itself is proven now (milestone-service, once the dispatch named the carrier
                    // whose partner reported it unsigned): it counts where the POD document may follow.
                    b.deliveryVerified = true;
                }
                if (pod != null && pod.countsForBilling()) {
                    b.podSignedBy = pod.signedBy();
                    b.podSignedAt = pod.signedAt();
                    b.podDocumentRef = pod.documentRef();
                    b.podReceivedAt = c.correctedAt();
                    b.podEvent = id;
                }
            }
            default -> {
            }
        }
        LOG.infof("Shipment %s: milestone %s %s by %s (%s)", b.shipmentId, id, c.action(), c.correctedBy(), c.reason());
    }

    /** An eligible case whose invoice is not rated yet, whose rules a correction broke, goes back to OPEN. */
    private Uni<Void> withdrawIfNoLongerEligible(BillingCase b) {
        if (b.status != BillingStatus.ELIGIBLE || b.ratingJson != null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.flush()).chain(() -> details(b)).invoke(d -> {
            if (!BillingEligibilityRules.eligible(d.checklist())) {
                LOG.infof("Shipment %s is no longer billing-eligible after a correction: back to OPEN", b.shipmentId);
                b.status = BillingStatus.OPEN;
                b.eligibleAt = null;
                b.nextInvoiceAt = null;
            }
        }).replaceWithVoid();
    }

    /**
     * An EXCEPTION (DAMAGE when its reason says so), REFUSED or DELIVERY_NOT_COMPLETED opens an
     * exception; a delivery after a DELIVERY_NOT_COMPLETED resolves it, whichever of the two arrives first.
     */
    private Uni<Void> exceptions(BillingCase b, MilestoneRecorded m) {
        Uni<Void> opened = Uni.createFrom().voidItem();
        if (EXCEPTIONS.contains(m.milestone()) && m.classifier() == Classifier.ACTUAL) {
            opened = details.exception(m.eventId()).chain(existing -> {
                if (existing != null) {
                    return Uni.createFrom().voidItem();
                }
                BillingException e = new BillingException();
                e.exceptionId = m.eventId();
                e.shipmentId = b.shipmentId;
                e.kind = m.milestone() == MilestoneType.EXCEPTION && m.reason() != null
                        && "DAMAGE".equals(m.reason().code()) ? "DAMAGE" : m.milestone().name();
                e.openedAt = m.eventTime().utc();
                e.detail = m.reason() == null ? null : m.reason().code() + (m.reason().sourceCode() == null ? ""
                        : " (" + m.reason().sourceCode() + ")");
                return details.persist(e);
            });
        }
        // Only a delivery or a new exception can resolve an exception: any other report leaves them as they are.
        boolean mayResolve = m.milestone() == MilestoneType.DELIVERED || EXCEPTIONS.contains(m.milestone());
        return opened.chain(() -> b.deliveredAt == null || !mayResolve ? Uni.createFrom().voidItem()
                : details.exceptions(b.shipmentId).invoke(all -> all.stream()
                        .filter(e -> e.resolvedAt == null && "DELIVERY_NOT_COMPLETED".equals(e.kind)
                                && b.deliveredAt.isAfter(e.openedAt))
                        .forEach(e -> {
                            e.resolvedAt = b.deliveredAt;
                            e.resolution = "resolved by the delivery at " + b.deliveredAt;
                        })).replaceWithVoid());
    }

    private Uni<Void> capture(BillingCase b, AccessorialCaptured a) {
        if (a.accessorialId().startsWith("DETENTION:")) {
            // Captured by a milestone-service before billing computed detention itself from the stops
            // (StopDetention): never charged twice.
            LOG.infof("Detention %s of %s from milestone-service ignored: billing computes detention per stop",
                    a.accessorialId(), b.shipmentId);
            return Uni.createFrom().voidItem();
        }
        return details.accessorial(a.accessorialId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            return contractFor(b).chain(contract -> {
                AccessorialPolicy.Decision decision = DetentionTariff.isDetention(a.chargeCode())
                        ? new AccessorialPolicy.Decision("PENDING", "detention reported by the driver: billing computes"
                                + " detention from the stop's arrival and departure, a clerk decides this one")
                        : AccessorialPolicy.decide(new AccessorialPolicy.Claim(
                        a.chargeCode(), a.quantity(), a.unit(), a.startedAt() != null && a.endedAt() != null,
                        a.receiptRef()), contract);
                BillingAccessorial row = new BillingAccessorial();
                row.accessorialId = a.accessorialId();
                row.shipmentId = b.shipmentId;
                row.chargeCode = a.chargeCode();
                row.quantity = a.quantity();
                row.unit = a.unit();
                row.evidence = a.evidence() == null ? null
                        : a.evidence().length() > 1000 ? a.evidence().substring(0, 1000) : a.evidence();
                row.receiptRef = a.receiptRef();
                row.startedAt = a.startedAt();
                row.endedAt = a.endedAt();
                row.status = decision.status();
                row.decidedBy = "APPROVED".equals(decision.status()) ? "AUTO" : null;
                row.reason = decision.reason();
                row.capturedAt = a.capturedAt() == null ? Instant.now() : a.capturedAt();
                row.decidedAt = "APPROVED".equals(decision.status()) ? Instant.now() : null;
                LOG.infof("Accessorial %s %s of %s: %s (%s)", a.chargeCode(), a.accessorialId(), b.shipmentId,
                        decision.status(), decision.reason());
                return details.persist(row);
            });
        });
    }

    /**
     * Publishes {@code BillingEligible} when the last rule is met and schedules the invoice after the
     * hold. An eligible case the invoice worker put on hold (a late pending accessorial, a new
     * exception) is scheduled again as soon as its rules are met again.
     */
    private Uni<CaseDetails> evaluate(BillingCase b, IncomingEvent cause, CaseDetails preloaded) {
        boolean onHold = b.status == BillingStatus.ELIGIBLE && b.ratingJson == null && b.nextInvoiceAt == null;
        if (b.status != BillingStatus.OPEN && !onHold) {
            return Uni.createFrom().item(preloaded);
        }
        Uni<CaseDetails> loaded = preloaded != null ? Uni.createFrom().item(preloaded)
                : Panache.getSession().chain(s -> s.flush()).chain(() -> details(b));
        return loaded.chain(d -> decide(b, d, onHold, cause).replaceWith(d));
    }

    /** Rules evaluated on the case's details, read once: eligible now, or scheduled again after a hold. */
    private Uni<Void> decide(BillingCase b, CaseDetails d, boolean onHold, IncomingEvent cause) {
        {
            if (!BillingEligibilityRules.eligible(d.checklist())) {
                return Uni.createFrom().voidItem();
            }
            Instant now = Instant.now();
            if (onHold) {
                LOG.infof("Shipment %s: its billing rules are met again, invoicing it now", b.shipmentId);
                b.invoiceError = null;
                b.nextInvoiceAt = now;
                return Uni.createFrom().voidItem();
            }
            b.status = BillingStatus.ELIGIBLE;
            b.eligibleAt = now;
            b.nextInvoiceAt = now.plus(invoicing.hold());
            String current = com.logisync.runtime.tracing.TraceContexts.currentTraceparent();
            b.traceparent = current != null ? current : cause != null ? cause.traceparent() : null;
            metrics.eligible(b.deliveredAt, now);
            LOG.infof("Shipment %s is billing-eligible (delivered %s, POD by %s); invoice due at %s", b.shipmentId,
                    b.deliveredAt, b.podSignedBy, b.nextInvoiceAt);
            BillingEligible eligible = new BillingEligible(
                    new Correlation(b.shipmentId, b.orderId, b.loadId, null, b.customerId, null),
                    b.deliveredAt, b.podReceivedAt, b.eligibleAt);
            return (cause == null ? outbox.enqueue(eligible, b.traceparent) : outbox.enqueueFollowing(cause, eligible))
                    .replaceWithVoid();
        }
    }

    /**
     * The rules, then the agent's snapshot, on details read once: what the rules decide changes the case
     * (its status), not its accessorials, exceptions or documents, so the snapshot reuses them.
     */
    private Uni<Void> evaluateAndPublish(BillingCase b, IncomingEvent cause) {
        return evaluateAndPublish(b, cause, null);
    }

    /** As {@link #evaluateAndPublish(BillingCase, IncomingEvent)}, on the case's details if already read (else read here). */
    private Uni<Void> evaluateAndPublish(BillingCase b, IncomingEvent cause, CaseDetails preloaded) {
        return evaluate(b, cause, preloaded).chain(details -> publishSnapshot(b, cause, details));
    }

    /**
     * A clerk asks ERP again after {@code InvoiceFailed} (the contract or the index fixed): the case is
     * rated afresh as the next revision, under a new idempotency key.
     */
    public Uni<CaseDetails> reinvoice(String shipmentId, String clerk, String reason) {
        String[] failedKey = new String[1];
        return Panache.withTransaction(() -> lockExisting(shipmentId).invoke(b -> {
            if (b.status != BillingStatus.INVOICE_FAILED) {
                throw ProblemException.conflict("not-invoice-failed", "Shipment " + shipmentId + " is " + b.status
                        + ": only a case whose invoice ERP refused can be invoiced again",
                        Map.of("caseStatus", b.status.name()));
            }
            MDC.put("shipmentId", shipmentId);
            LOG.infof("Re-invoice of %s after revision %d requested by %s: %s", shipmentId, b.ratingRevision, clerk,
                    reason);
            failedKey[0] = b.invoiceKey();
            b.status = BillingStatus.ELIGIBLE;
            b.ratingJson = null;
            b.invoiceError = "re-invoice requested by " + clerk + ": " + reason;
            b.invoiceRejections = 0;
            b.consecutiveFailures = 0;
            b.nextInvoiceAt = Instant.now();
        }).chain(b -> details.unbill(shipmentId, failedKey[0]))).chain(() -> find(shipmentId));
    }

    // ---------------------------------------------------------------- detention and late charges

    /** Every stop's detention again, under the order's contract version (see {@link StopDetention}). */
    private Uni<Void> recomputeDetention(BillingCase b) {
        return contractFor(b).chain(contract -> detention.recompute(b, contract, invoicing.rounding()))
                .replaceWithVoid();
    }

    /**
     * Charges approved after the invoice was requested (a clerk's late approval, a detention whose
     * departure came late) are not lost: they go on a supplementary invoice after the hold, together
     * with whatever else arrives meanwhile ({@code SupplementaryInvoices}). Under the case lock, so
     * the freezing worker and this never miss each other.
     */
    public Uni<Void> lateCharges(BillingCase b) {
        if (b.ratingJson == null || b.supplementDueAt != null
                || (b.status != BillingStatus.INVOICE_REQUESTED && b.status != BillingStatus.INVOICED)) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.flush()).chain(() -> details.unbilledApproved(b.shipmentId))
                .invoke(late -> {
                    if (!late.isEmpty()) {
                        b.supplementDueAt = Instant.now().plus(invoicing.hold());
                        LOG.infof("Shipment %s: %d charge(s) after the invoice request (%s), supplementary invoice due"
                                + " at %s", b.shipmentId, late.size(), String.join(", ", late.stream()
                                        .map(a -> a.chargeCode + " " + a.accessorialId).toList()), b.supplementDueAt);
                    }
                }).replaceWithVoid();
    }

    /** Publishes the case's snapshot if it changed (a document issued, say), outside a consumed event. */
    public Uni<Void> republish(BillingCase b) {
        return publishSnapshot(b, null);
    }

    /** The case's checklist as of now, in the caller's session (the case locked by the caller). */
    public Uni<List<BillingEligibilityRules.Check>> checklistOf(BillingCase b) {
        return Panache.getSession().chain(s -> s.flush()).chain(() -> details(b)).map(CaseDetails::checklist);
    }

    /** The case with its details, in the caller's session. */
    public Uni<CaseDetails> detailsOf(BillingCase b) {
        return details(b);
    }

    /** The case locked for the caller's transaction; 404 when there is none. */
    public Uni<BillingCase> lockCase(String shipmentId) {
        return lockExisting(shipmentId);
    }

    /** Looks at a case again after a fact outside the topics changed (a POD document uploaded). */
    public Uni<Void> reevaluate(BillingCase b) {
        return evaluateAndPublish(b, null);
    }
}
