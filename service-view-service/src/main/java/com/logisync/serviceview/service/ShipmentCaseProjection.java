package com.logisync.serviceview.service;

import com.logisync.contracts.event.BillingCaseUpdated;
import com.logisync.contracts.event.BillingEligible;
import com.logisync.contracts.event.PositionReported;
import com.logisync.contracts.event.CustomerUpdated;
import com.logisync.contracts.event.InvoiceRequested;
import com.logisync.contracts.event.ServiceTaskEscalated;
import com.logisync.contracts.event.ServiceTaskOpened;
import com.logisync.contracts.event.ServiceTaskResolved;
import io.quarkus.hibernate.reactive.panache.Panache;
import com.logisync.contracts.event.InvoiceFailed;
import com.logisync.contracts.event.InvoiceIssued;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.DispatchFailed;
import com.logisync.contracts.event.MilestoneCorrected;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderAmended;
import com.logisync.contracts.event.OrderCancelled;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.StatusPrecedence;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.runtime.messaging.IncomingEvent;
import com.logisync.runtime.tracing.TraceContexts;
import com.logisync.serviceview.model.CaseMilestone;
import com.logisync.serviceview.model.ShipmentCase;
import com.logisync.serviceview.model.Stage;
import com.logisync.serviceview.model.TransactionStage;
import com.logisync.serviceview.repository.CaseMilestoneRepository;
import com.logisync.serviceview.repository.ShipmentCaseRepository;
import com.logisync.serviceview.repository.TransactionStageRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Projects every topic into the case view. Each update is commutative (status by the shared
 * precedence rule, earliest stage completion, latest signed POD, timeline keyed by event id), so
 * redelivered and out-of-order events give the same view.
 */
@ApplicationScoped
public class ShipmentCaseProjection {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ShipmentCaseProjection.class);

    private final ShipmentCaseRepository cases;
    private final CaseMilestoneRepository milestones;
    private final TransactionStageRepository stages;
    private final ServiceTasks tasks;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;
    private final com.logisync.serviceview.notify.CustomerEventFeed feed;

    public ShipmentCaseProjection(ShipmentCaseRepository cases, CaseMilestoneRepository milestones,
            TransactionStageRepository stages, ServiceTasks tasks, com.fasterxml.jackson.databind.ObjectMapper mapper,
            com.logisync.serviceview.notify.CustomerEventFeed feed) {
        this.feed = feed;
        this.cases = cases;
        this.milestones = milestones;
        this.stages = stages;
        this.tasks = tasks;
        this.mapper = mapper;
    }

    private static final String UPSERT_PREFERENCE = "insert into customer_preference (customer_id,"
            + " delay_threshold_minutes, time_zone, notification_contacts, erp_version) values ($1, $2, $3, $4, $5)"
            + " on conflict (customer_id) do update set delay_threshold_minutes = excluded.delay_threshold_minutes,"
            + " time_zone = excluded.time_zone, notification_contacts = excluded.notification_contacts,"
            + " erp_version = excluded.erp_version where customer_preference.erp_version < excluded.erp_version";

    /** The customer's delay threshold (none: the default) and time zone, the newest ERP version winning. */
    private Uni<Void> customerPreference(com.logisync.contracts.masterdata.Customer customer) {
        Integer threshold = customer.servicePreferences() == null ? null
                : customer.servicePreferences().delayThresholdMinutes();
        String contacts = customer.servicePreferences() == null || customer.servicePreferences().notificationContacts().isEmpty()
                ? null : truncate(String.join(", ", customer.servicePreferences().notificationContacts()), 1000);
        return com.logisync.runtime.repository.SessionSql.update(UPSERT_PREFERENCE, customer.customerId(), threshold,
                customer.timeZone(), contacts, customer.erpVersion()).replaceWithVoid();
    }

    /**
     * A customer's threshold changed: derive again the tasks of its shipments that reported a delay. The batch's
     * cases are written first, so the query sees the customer an earlier event of the batch gave a case.
     */
    private Uni<Void> recomputeCustomer(Batch batch, String customerId, String traceparent) {
        return writeState(batch).chain(() -> Panache.getSession()).chain(s -> s.createNativeQuery("select distinct c.shipment_id from shipment_case c"
                + " join case_milestone m on m.shipment_id = c.shipment_id where c.customer_id = :c"
                + " and m.delay_minutes > 0 order by c.shipment_id", String.class).setParameter("c", customerId)
                .getResultList())
                .chain(ids -> threshold(customerId).chain(threshold -> com.logisync.runtime.vertx.Sequential.each(ids,
                        id -> (batch.cases.containsKey(id) ? Uni.createFrom().item(batch.cases.get(id))
                                : cases.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE))
                                .chain(view -> tasks.recompute(view, threshold, traceparent)))));
    }

    private Uni<Integer> threshold(String customerId) {
        if (customerId == null) {
            return Uni.createFrom().nullItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select delay_threshold_minutes from customer_preference where customer_id = :c", Integer.class)
                .setParameter("c", customerId).getSingleResultOrNull());
    }

    /** Every business key the event names for the shipment, for lookup by any of them (written at the batch's end). */
    private static void keys(Batch batch, Correlation c) {
        key(batch, c.shipmentId(), "SHIPMENT", c.shipmentId());
        key(batch, c.orderId(), "ORDER", c.shipmentId());
        key(batch, c.loadId(), "LOAD", c.shipmentId());
        key(batch, c.invoiceId(), "INVOICE", c.shipmentId());
        if (c.references() != null) {
            c.references().forEach(r -> key(batch, r.value(), r.type().name(), c.shipmentId()));
        }
    }

    /** A key the shipment is not yet known by (as the batch read them), to be written; a PO, BOL or PRO also listed. */
    private static void key(Batch batch, String value, String type, String shipmentId) {
        if (value == null) {
            return;
        }
        String id = value + '\u0000' + shipmentId;
        if (!batch.storedKeys.contains(id) && batch.keys.putIfAbsent(id, new String[] {value, type, shipmentId}) == null) {
            batch.reference(shipmentId, type, value);
        }
    }

    /** What the case view shows of billing's own case, stored as JSON. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record BillingCaseSnapshot(boolean eligible, List<BillingCaseUpdated.Check> checklist,
            List<BillingCaseUpdated.Accessorial> accessorials, List<BillingCaseUpdated.BillingIssue> exceptions,
            List<BillingCaseUpdated.Document> documents) {
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The documents ERP issued that no InvoiceIssued tells with their lines: supplementary invoices (late
     * charges) and invoices that rebill a voided one. Told once each ({@code invoice:<key>}).
     */
    private void issuedDocuments(Batch batch, ShipmentCase view, BillingCaseUpdated snapshot) {
        if (snapshot.documents() == null) {
            return;
        }
        for (BillingCaseUpdated.Document d : snapshot.documents()) {
            boolean original = d.idempotencyKey().startsWith(view.shipmentId + ":rating-");
            boolean invoice = "SUPPLEMENTARY_INVOICE".equals(d.kind()) || "INVOICE".equals(d.kind()) && !original;
            if (invoice && "ISSUED".equals(d.state()) && d.charges() != null && d.issuedAt() != null) {
                String originalInvoice = snapshot.documents().stream().filter(o -> o.idempotencyKey().equals(d.originalKey()))
                        .map(BillingCaseUpdated.Document::erpDocumentId).findFirst().orElse(null);
                batch.feed.add(feed.invoice(view, snapshot.correlation(), d.idempotencyKey(), d.erpDocumentId(),
                        d.currency(), d.total(), d.issuedAt(), d.charges(), d.kind(), originalInvoice));
            }
        }
    }

    private List<InvoiceRequested.Charge> chargesOf(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return List.of(mapper.readValue(json, InvoiceRequested.Charge[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warnf("Charges of the case not readable: %s", e.getOriginalMessage());
            return List.of();
        }
    }

    private String charges(InvoiceRequested requested) {
        try {
            return mapper.writeValueAsString(requested.charges());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stage this event completes. */
    private record Completion(Stage stage, Instant at) {
    }

    /** Applies one consumed event, in the consumer's transaction (a batch of one). */
    public Uni<Void> apply(IncomingEvent event) {
        return applyAll(List.of(event));
    }

    /**
     * What one batch of consumed events needs from the database, read once for the whole batch instead
     * of once per event: the shipments' cases (locked in shipment id order, then the missing ones created), their
     * transaction stages, the customers' thresholds. The cases and stages are plain objects, not entities
     * the session manages: what the events change in them is written at the batch's end, one statement for
     * the cases and one for the stages ({@link #writeState}), however many shipments the batch touches; the
     * keys it did not know yet in one statement (the keys it knew are read with the cases: most events name
     * no new key); the service tasks derived once per shipment, at the end, and only for a shipment whose
     * facts a task depends on changed.
     */
    private final class Batch {
        final java.util.Map<String, ShipmentCase> cases = new java.util.HashMap<>();
        final java.util.Map<TransactionStage.Key, TransactionStage> stages = new java.util.HashMap<>();
        /** The cases an event changed, not yet written. */
        final java.util.Set<String> changedCases = new java.util.LinkedHashSet<>();
        /** The stages recorded or changed, not yet written; and those withdrawn, not yet deleted. */
        final java.util.Set<TransactionStage.Key> changedStages = new java.util.LinkedHashSet<>();
        final java.util.Set<TransactionStage.Key> withdrawnStages = new java.util.LinkedHashSet<>();
        /**
         * The milestones of the batch the timeline did not have: their rows are written first, and only these are
         * applied (each once: its id is taken out when it is). A milestone the timeline had is a redelivery.
         */
        final java.util.Set<String> newMilestones = new java.util.HashSet<>();
        final java.util.Map<String, java.util.Optional<Integer>> thresholds = new java.util.HashMap<>();
        final java.util.Map<String, String[]> keys = new java.util.LinkedHashMap<>();
        /** Shipments whose tasks must be derived again, with the trace of the last event that asked for it. */
        final java.util.Map<String, String> tasksToDerive = new java.util.LinkedHashMap<>();
        /** Cases this batch created: no facts in the database yet, no tasks. */
        final java.util.Set<String> created = new java.util.HashSet<>();
        /**
         * Whether a correction changed timeline rows through the session (voided, re-timed, a POD recorded): the task
         * facts are read with plain SQL, which sees only what the session has flushed.
         */
        boolean corrected;
        /** The keys the batch's shipments were known by when it began (value NUL shipment id). */
        final java.util.Set<String> storedKeys = new java.util.HashSet<>();
        /** The PO, BOL and PRO numbers of the batch's shipments, stored or new, by shipment and type, in order. */
        final java.util.Map<String, java.util.Map<String, java.util.TreeSet<String>>> references = new java.util.HashMap<>();

        void reference(String shipmentId, String type, String value) {
            if (com.logisync.serviceview.notify.CustomerEventFeed.REFERENCE_TYPES.contains(type)) {
                references.computeIfAbsent(shipmentId, k -> new java.util.HashMap<>())
                        .computeIfAbsent(type, k -> new java.util.TreeSet<>()).add(value);
            }
        }

        /** The customer events of the batch, written at its end. */
        final List<com.logisync.serviceview.notify.CustomerEventFeed.Pending> feed = new ArrayList<>();

        Uni<Integer> threshold(String customerId) {
            if (customerId == null) {
                return Uni.createFrom().nullItem();
            }
            java.util.Optional<Integer> known = thresholds.get(customerId);
            if (known != null) {
                return Uni.createFrom().item(known.orElse(null));
            }
            return ShipmentCaseProjection.this.threshold(customerId).invoke(t -> thresholds.put(customerId,
                    java.util.Optional.ofNullable(t)));
        }
    }

    private static final String PARKED = "insert into parked_report (event_id, partner_id, milestone, keys, status,"
            + " candidates, parked_at) values ($1, $2, $3, $4, $5, $6, $7) on conflict (event_id) do nothing";

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    private static final String CREATE_CASES = "insert into shipment_case (shipment_id, updated_at)"
            + " select unnest($1::text[]), now() on conflict (shipment_id) do nothing returning shipment_id";
    private static final String KEYS_OF = "select shipment_id, key_type, key_value from case_key"
            + " where shipment_id = any($1::text[])";
    private static final String INSERT_KEYS = "insert into case_key (key_value, key_type, shipment_id)"
            + " select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing";

    /**
     * Creates the cases of the batch's shipments that have none yet and locks them. The cases that exist were
     * locked first: in the steady state every shipment has its case, and the batch writes nothing here. A case
     * another transaction creates meanwhile is not created twice (the insert waits for it, then does nothing)
     * and is locked once that transaction ends.
     */
    private Uni<Void> createMissing(Batch batch, String[] ids) {
        String[] missing = java.util.Arrays.stream(ids).filter(id -> !batch.cases.containsKey(id)).toArray(String[]::new);
        if (missing.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return com.logisync.runtime.repository.SessionSql.select(CREATE_CASES, (Object) missing)
                .invoke(created -> created.forEach(row -> batch.created.add((String) row[0])))
                .chain(() -> cases.lockAll(missing))
                .invoke(found -> found.forEach(c -> batch.cases.put(c.shipmentId, c)))
                .replaceWithVoid();
    }

    /** Applies a batch of consumed events in order, in the consumer's transaction. */
    public Uni<Void> applyAll(List<IncomingEvent> events) {
        Batch batch = new Batch();
        java.util.TreeSet<String> shipmentIds = new java.util.TreeSet<>();
        // Our own task events read back lock their cases (the projection and the sweep change tasks under that
        // lock) but make none: in a replay they may come first.
        java.util.TreeSet<String> locked = new java.util.TreeSet<>();
        java.util.Set<String> taskIds = new java.util.LinkedHashSet<>();
        for (IncomingEvent e : events) {
            if (e.payload() instanceof ServiceTaskOpened o) {
                taskIds.add(o.taskId());
            } else if (e.payload() instanceof ServiceTaskEscalated x) {
                taskIds.add(x.taskId());
            } else if (e.payload() instanceof ServiceTaskResolved r) {
                taskIds.add(r.taskId());
            }
            if (e.shipmentEvent() != null) {
                locked.add(e.shipmentId());
                if (!(e.payload() instanceof ServiceTaskOpened) && !(e.payload() instanceof ServiceTaskEscalated)
                        && !(e.payload() instanceof ServiceTaskResolved)) {
                    shipmentIds.add(e.shipmentId());
                }
            }
        }
        Uni<Void> prepared = Uni.createFrom().voidItem();
        if (shipmentIds.isEmpty() && !locked.isEmpty()) {
            prepared = cases.lockAll(locked.toArray(String[]::new)).replaceWithVoid();
        } else if (!shipmentIds.isEmpty()) {
            String[] ids = shipmentIds.toArray(String[]::new);
            // All in one sorted statement, as every other locker of cases takes them.
            prepared = cases.lockAll(locked.toArray(String[]::new))
                    .invoke(found -> found.forEach(c -> batch.cases.put(c.shipmentId, c)))
                    .chain(() -> createMissing(batch, ids))
                    .chain(() -> stages.ofShipments(ids))
                    .invoke(found -> found.forEach(st -> batch.stages.put(st.id, st)))
                    .chain(() -> com.logisync.runtime.repository.SessionSql.select(KEYS_OF, (Object) ids))
                    .invoke(found -> found.forEach(k -> {
                        batch.storedKeys.add(k[2] + "\u0000" + k[0]);
                        batch.reference((String) k[0], (String) k[1], (String) k[2]);
                    }))
                    .replaceWithVoid();
        }
        return prepared.chain(() -> tasks.load(taskIds)).chain(() -> writeMilestones(batch, events))
                .chain(() -> applyInOrder(batch, events))
                .chain(() -> deriveTasks(batch)).chain(() -> writeState(batch)).chain(() -> {
            if (batch.keys.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            int n = batch.keys.size();
            String[] values = new String[n];
            String[] types = new String[n];
            String[] owners = new String[n];
            int i = 0;
            for (String[] k : batch.keys.values()) {
                values[i] = k[0];
                types[i] = k[1];
                owners[i] = k[2];
                i++;
            }
            return com.logisync.runtime.repository.SessionSql.update(INSERT_KEYS, values, types, owners).replaceWithVoid();
        }).chain(() -> writeFeed(batch));
    }

    /**
     * What the batch changed in its cases and stages, not yet written: the cases in one statement, the withdrawn
     * stages in one, the recorded and changed stages in one.
     */
    private Uni<Void> writeState(Batch batch) {
        List<ShipmentCase> changed = batch.changedCases.stream().map(batch.cases::get).toList();
        List<TransactionStage.Key> withdrawn = batch.withdrawnStages.stream().filter(k -> !batch.stages.containsKey(k))
                .toList();
        List<TransactionStage> recorded = batch.changedStages.stream().map(batch.stages::get)
                .filter(java.util.Objects::nonNull).toList();
        batch.changedCases.clear();
        batch.withdrawnStages.clear();
        batch.changedStages.clear();
        return cases.updateAll(changed).chain(() -> stages.deleteAll(withdrawn)).chain(() -> stages.upsertAll(recorded))
                .replaceWithVoid();
    }

    /**
     * The tasks of the batch's shipments whose facts a task depends on changed, derived once each after all its
     * events, with their facts and tasks read for all of them at once ({@link ServiceTasks#recomputeAll}).
     */
    private Uni<Void> deriveTasks(Batch batch) {
        if (batch.tasksToDerive.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ServiceTasks.Derivation> derivations = new ArrayList<>();
        // What corrections changed in the timeline's entities, written before the facts are read with plain SQL (the
        // correction's own timeline query flushes them today; this does not rely on it).
        Uni<Void> flushed = batch.corrected ? io.quarkus.hibernate.reactive.panache.Panache.getSession()
                .chain(org.hibernate.reactive.mutiny.Mutiny.Session::flush) : Uni.createFrom().voidItem();
        return flushed.chain(() -> com.logisync.runtime.vertx.Sequential.each(batch.tasksToDerive.entrySet(), d -> {
            ShipmentCase view = batch.cases.get(d.getKey());
            return batch.threshold(view.customerId)
                    .invoke(threshold -> derivations.add(new ServiceTasks.Derivation(view, threshold, d.getValue())))
                    .replaceWithVoid();
        })).chain(() -> tasks.recomputeAll(derivations));
    }

    /** The batch's customer events, with their customers' zones; no deliveries while the read model is replayed. */
    private Uni<Void> writeFeed(Batch batch) {
        if (batch.feed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> customers = com.logisync.serviceview.notify.CustomerEventFeed.customers(batch.feed);
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        boolean fanOut = context == null || !Boolean.TRUE.equals(context.getLocal(ServiceTasks.REPLAYING));
        Uni<List<Object[]>> zones = customers.isEmpty() ? Uni.createFrom().item(List.of())
                : com.logisync.runtime.repository.SessionSql.select("select customer_id, time_zone from customer_preference"
                        + " where customer_id = any($1::text[])", (Object) customers.toArray(String[]::new));
        return zones.chain(rows -> {
            java.util.Map<String, String> byCustomer = new java.util.HashMap<>();
            rows.forEach(r -> byCustomer.put((String) r[0], (String) r[1]));
            return feed.write(batch.feed, byCustomer, batch.references, fanOut);
        });
    }

    /** What {@link #applyOne} returns for an event it applied to the batch's objects in memory. */
    private static final Uni<Void> APPLIED = Uni.createFrom().voidItem();

    /**
     * The batch's events applied in order. Most change only the batch's objects in memory (a milestone, an order, a
     * dispatch, a billing event): a run of them is applied in a plain loop. An event whose application reads or
     * writes through the session (a customer update, a task event, a parked report, a correction) is a step of its
     * own, after the one before ({@link com.logisync.runtime.vertx.Sequential}, whose stack does not grow however many
     * steps complete at once). A step per event cost service-view about 3 % of its CPU under a backlog in Mutiny's
     * operators and their context wrappers (async-profiler, 2026-12-07).
     */
    private Uni<Void> applyInOrder(Batch batch, List<IncomingEvent> events) {
        List<Object> steps = new ArrayList<>();
        List<IncomingEvent> run = null;
        for (IncomingEvent e : events) {
            if (throughTheSession(e.payload())) {
                steps.add(e);
                run = null;
            } else {
                if (run == null) {
                    run = new ArrayList<>();
                    steps.add(run);
                }
                run.add(e);
            }
        }
        if (steps.size() == 1 && run != null) {
            return applyRun(batch, run, 0);
        }
        return com.logisync.runtime.vertx.Sequential.each(steps, step -> step instanceof IncomingEvent e
                ? applyOne(batch, e) : applyRun(batch, runOf(step), 0));
    }

    @SuppressWarnings("unchecked")
    private static List<IncomingEvent> runOf(Object step) {
        return (List<IncomingEvent>) step;
    }

    /** Whether applying the event reads or writes through the session (not only the batch's objects in memory). */
    private static boolean throughTheSession(Object payload) {
        return payload instanceof CustomerUpdated || payload instanceof ServiceTaskResolved
                || payload instanceof ServiceTaskOpened || payload instanceof ServiceTaskEscalated
                || payload instanceof com.logisync.contracts.event.MilestoneParked
                || payload instanceof MilestoneCorrected;
    }

    /** A run of events applied in memory, from {@code from}; one that was not (a failure) ends it. */
    private Uni<Void> applyRun(Batch batch, List<IncomingEvent> run, int from) {
        for (int i = from; i < run.size(); i++) {
            Uni<Void> applied = applyOne(batch, run.get(i));
            if (applied != APPLIED) {
                int next = i + 1;
                return applied.chain(() -> applyRun(batch, run, next));
            }
        }
        return APPLIED;
    }

    /** One event of the batch: {@link #APPLIED} when it changed only the batch's objects in memory. */
    private Uni<Void> applyOne(Batch batch, IncomingEvent event) {
        Object payload = event.payload();
        if (payload instanceof CustomerUpdated updated) {
            batch.thresholds.remove(updated.customer().customerId());
            return customerPreference(updated.customer())
                    .chain(() -> recomputeCustomer(batch, updated.customer().customerId(), event.traceparent()));
        }
        if (payload instanceof ServiceTaskResolved resolved) {
            return tasks.onResolved(resolved);
        }
        if (payload instanceof ServiceTaskOpened opened) {
            return tasks.onOpened(opened);
        }
        if (payload instanceof ServiceTaskEscalated escalated) {
            return tasks.onEscalated(escalated);
        }
        if (payload instanceof com.logisync.contracts.event.MilestoneParked parked) {
            return com.logisync.runtime.repository.SessionSql.update(PARKED, parked.eventId(), parked.partnerId(),
                    parked.milestone() == null ? null : parked.milestone().name(),
                    truncate(String.join(", ", parked.keys() == null ? List.of() : parked.keys()), 1000), parked.status(),
                    parked.candidates() == null ? null : truncate(String.join(", ", parked.candidates()), 1000),
                    parked.parkedAt().atOffset(java.time.ZoneOffset.UTC)).replaceWithVoid();
        }
        if (event.shipmentEvent() == null) {
            return APPLIED;
        }
        Correlation c = event.shipmentEvent().correlation();
        List<Completion> completions = new ArrayList<>();
        ShipmentCase view = batch.cases.get(c.shipmentId());
        if (view == null) {
            return Uni.createFrom().failure(new IllegalStateException("Case " + c.shipmentId() + " was not locked"));
        }
        if (payload instanceof MilestoneRecorded m && !batch.newMilestones.remove(m.eventId())) {
            LOG.debugf("Skipping milestone %s: the timeline has it, or had it earlier in the batch (a redelivery)",
                    m.eventId());
            return APPLIED;
        }
        keys(batch, c);
        {
            String customerBefore = view.customerId;
            absorbCorrelation(view, c);
            view.updatedAt = Instant.now();
            // The view update (stage CRM_VIEW_UPDATED) is this: its time updatedAt, under this trace, for this event.
            view.viewTraceId = TraceContexts.currentTraceId() != null ? TraceContexts.currentTraceId() : event.traceId();
            view.viewEventId = event.eventId();
            batch.changedCases.add(view.shipmentId);
            Object p = event.payload();
            if (p instanceof OrderReleased released) {
                if (view.orderAmendment == 0) {
                    applyOrder(view, released.serviceLevel(), released.stops());
                }
                if (!batch.created.contains(view.shipmentId)) {
                    // Reports came before the order: its windows may turn them into tasks now.
                    batch.tasksToDerive.put(view.shipmentId, event.traceparent());
                }
                completions.add(new Completion(Stage.ORDER_RELEASED, released.releasedAt()));
            } else if (p instanceof OrderAmended amended) {
                if (amended.amendment() > view.orderAmendment) {
                    view.orderAmendment = amended.amendment();
                    applyOrder(view, amended.serviceLevel(), amended.stops());
                }
            } else if (p instanceof OrderCancelled cancelled) {
                view.cancelledAt = cancelled.cancelledAt();
                view.cancelReason = cancelled.reason();
                completions.add(new Completion(Stage.ORDER_CANCELLED, cancelled.cancelledAt()));
            } else if (p instanceof com.logisync.contracts.event.OrderCancellationReverted reverted) {
                // The TMS refused the cancellation (already picked up): the shipment goes on.
                if (view.cancelledAt != null && !reverted.revertedAt().isBefore(view.cancelledAt)) {
                    view.cancelledAt = null;
                    view.cancelReason = null;
                }
            } else if (p instanceof DispatchAccepted accepted) {
                applyDispatch(view, accepted.dispatch());
                completions.add(new Completion(Stage.DISPATCH_ACCEPTED, accepted.acceptedAt()));
            } else if (p instanceof DispatchFailed failed) {
                if (!"ACCEPTED".equals(view.dispatchStatus)) {
                    view.dispatchStatus = "FAILED";
                    view.dispatchFailure = failed.reason();
                }
                completions.add(new Completion(Stage.DISPATCH_FAILED, failed.failedAt()));
            } else if (p instanceof BillingEligible eligible) {
                if (view.billingState == null) {
                    view.billingState = "ELIGIBLE";
                }
                view.eligibleAt = eligible.eligibleAt();
                completions.add(new Completion(Stage.BILLING_ELIGIBLE, eligible.eligibleAt()));
            } else if (p instanceof InvoiceRequested requested) {
                if (requested.ratingRevision() >= view.invoiceRevision && !"INVOICED".equals(view.billingState)) {
                    if (requested.ratingRevision() > view.invoiceRevision || !"INVOICE_FAILED".equals(view.billingState)) {
                        view.billingState = "INVOICE_REQUESTED";
                        view.invoiceFailure = null;
                    }
                }
                if (requested.ratingRevision() >= view.invoiceRevision) {
                    view.invoiceRevision = requested.ratingRevision();
                    view.chargesJson = charges(requested);
                    view.invoiceTotal = requested.total();
                    view.invoiceCurrency = requested.currency();
                }
                completions.add(new Completion(Stage.INVOICE_REQUESTED, requested.requestedAt()));
            } else if (p instanceof InvoiceIssued issued) {
                if (issued.idempotencyKey().equals(view.shipmentId + ":rating-" + issued.ratingRevision())) {
                    // The invoice of a rating: its lines are the InvoiceRequested of that revision. An invoice that
                    // rebills a voided one is told from billing's snapshot, which carries its own lines.
                    batch.feed.add(feed.invoice(view, issued, issued.ratingRevision() == view.invoiceRevision
                            ? chargesOf(view.chargesJson) : List.of()));
                }
                // Final: an invoice issued is never taken back by a late or repeated event.
                view.billingState = "INVOICED";
                view.invoiceId = issued.invoiceId();
                view.invoiceTotal = issued.total();
                view.invoiceCurrency = issued.currency();
                view.invoiceFailure = null;
                completions.add(new Completion(Stage.INVOICE_ISSUED, issued.issuedAt()));
            } else if (p instanceof InvoiceFailed failed) {
                if (!"INVOICED".equals(view.billingState) && failed.ratingRevision() >= view.invoiceRevision) {
                    view.invoiceRevision = failed.ratingRevision();
                    view.billingState = "INVOICE_FAILED";
                    view.invoiceFailure = failed.reason();
                }
            } else if (p instanceof PositionReported position) {
                // The latest report wins, whatever the arrival order.
                if (view.positionReportedAt == null || position.reportedAt().isAfter(view.positionReportedAt)) {
                    view.positionLatitude = position.latitude();
                    view.positionLongitude = position.longitude();
                    view.positionSpeedKph = position.speedKph();
                    view.positionVehicle = position.vehicleId();
                    view.positionReportedAt = position.reportedAt();
                }
            } else if (p instanceof BillingCaseUpdated billingCase) {
                // The highest version wins: a redelivered or older snapshot changes nothing.
                if (billingCase.caseVersion() > view.billingCaseVersion) {
                    issuedDocuments(batch, view, billingCase);
                    view.billingCaseVersion = billingCase.caseVersion();
                    view.billingCaseJson = json(new BillingCaseSnapshot(billingCase.eligible(),
                            billingCase.checklist(), billingCase.accessorials(), billingCase.exceptions(),
                            billingCase.documents()));
                }
            } else if (p instanceof MilestoneCorrected corrected) {
                batch.tasksToDerive.put(view.shipmentId, event.traceparent());
                batch.corrected = true;
                return correct(batch, view, corrected, completions, event.traceparent())
                        .chain(() -> complete(batch, view, event, completions));
            } else if (p instanceof MilestoneRecorded m) {
                applyMilestone(view, m, completions);
                if (m.milestone() != MilestoneType.POSITION) {
                    batch.feed.add(feed.milestone(view, m));
                }
                if (mayChangeTasks(m)) {
                    batch.tasksToDerive.put(view.shipmentId, event.traceparent());
                }
                return complete(batch, view, event, completions);
            }
            if (view.customerId != null && !view.customerId.equals(customerBefore)
                    && !batch.created.contains(view.shipmentId)) {
                // Now the customer (and so its delay threshold) is known: derive the tasks again (a case this
                // batch created has only this batch's facts, and those that matter asked for it already).
                batch.tasksToDerive.put(view.shipmentId, event.traceparent());
            }
            return complete(batch, view, event, completions);
        }
    }

    private static void absorbCorrelation(ShipmentCase v, Correlation c) {
        v.orderId = c.orderId() != null ? c.orderId() : v.orderId;
        v.customerId = c.customerId() != null ? c.customerId() : v.customerId;
        v.loadId = c.loadId() != null ? c.loadId() : v.loadId;
        v.invoiceId = c.invoiceId() != null ? c.invoiceId() : v.invoiceId;
    }

    /** The order's content, as released or as amended. */
    private static void applyOrder(ShipmentCase v, String serviceLevel, List<Stop> stops) {
        v.serviceLevel = serviceLevel;
        if (v.dispatchStatus == null) {
            v.dispatchStatus = "PENDING";
        }
        boolean firstPickup = true;
        for (Stop s : stops) {
            if (s.type() == StopType.PICKUP && firstPickup) {
                firstPickup = false;
                v.pickupName = s.name();
                v.pickupWindowEnd = s.window() == null ? null : s.window().end();
                v.pickupZone = s.zoneId();
            } else if (s.type() == StopType.DELIVERY) {
                v.deliveryName = s.name();
                v.deliveryZone = s.zoneId();
                v.deliveryWindowStart = s.window().start();
                v.deliveryWindowEnd = s.window().end();
            }
        }
    }

    private static void applyDispatch(ShipmentCase v, DispatchReference d) {
        v.dispatchStatus = "ACCEPTED";
        v.dispatchFailure = null;
        v.loadId = d.loadId();
        v.routeId = d.routeId();
        v.carrier = d.carrier();
        v.driver = d.driver();
        v.vehicle = d.vehicle();
        v.plannedPickup = d.plannedPickup();
        v.plannedDelivery = d.plannedDelivery();
    }

    private static void applyMilestone(ShipmentCase v, MilestoneRecorded m, List<Completion> completions) {
        Instant at = m.eventTime().utc();
        StatusPrecedence.Status current = v.statusMilestone == null ? null
                : new StatusPrecedence.Status(v.statusMilestone, v.statusEventTime);
        StatusPrecedence.Status next = StatusPrecedence.apply(current, m.milestone(), m.classifier(), at);
        if (next != null) {
            v.statusMilestone = next.milestone();
            v.statusEventTime = next.eventTime();
        }
        if (m.milestone() == MilestoneType.ETA_UPDATED
                || m.milestone() == MilestoneType.DELIVERED && m.classifier() == Classifier.ESTIMATED) {
            // The latest report of the estimate wins, whatever the arrival order.
            Instant reported = m.receivedAt() == null ? at : m.receivedAt();
            if (v.etaReportedAt == null || reported.isAfter(v.etaReportedAt)
                    || reported.equals(v.etaReportedAt) && at.isAfter(v.eta)) {
                v.eta = at;
                v.etaReportedAt = reported;
            }
        }
        if (m.classifier() == Classifier.ACTUAL) {
            if (m.milestone() == MilestoneType.DEPARTED_PICKUP) {
                completions.add(new Completion(Stage.PICKED_UP, at));
            } else if (m.milestone() == MilestoneType.DELIVERED) {
                completions.add(new Completion(Stage.DELIVERED, at));
            }
        }
        ProofOfDelivery pod = m.pod();
        if (pod != null && pod.countsForBilling()) {
            if (v.podSignedAt == null || pod.signedAt().isAfter(v.podSignedAt)) {
                v.podSignedBy = pod.signedBy();
                v.podSignedAt = pod.signedAt();
                v.podDocumentRef = pod.documentRef();
            }
            completions.add(new Completion(Stage.POD_RECEIVED, pod.signedAt()));
        }
    }

    /**
     * A corrected milestone stays in the timeline, marked; the status and the POD are taken again from
     * the milestones that still count, and a DELIVERED or POD_RECEIVED stage nothing supports any more
     * is withdrawn. Corrected after the invoice was requested: a task for a person.
     */
    private Uni<Void> correct(Batch batch, ShipmentCase view, MilestoneCorrected c, List<Completion> completions,
            String traceparent) {
        return milestones.findById(c.correctedEventId()).chain(cm -> {
            if (cm == null) {
                LOG.warnf("Correction %s of %s: the milestone is not in the view", c.correctionId(), c.correctedEventId());
                return Uni.createFrom().voidItem();
            }
            String note = c.action() + " by " + c.correctedBy() + " at " + c.correctedAt() + ": " + c.reason();
            cm.correction = cm.correction == null ? note : (cm.correction + "; " + note);
            if (cm.correction.length() > 700) {
                cm.correction = cm.correction.substring(cm.correction.length() - 700);
            }
            switch (c.action()) {
                case VOID -> cm.voided = true;
                case RETIME -> cm.eventTime = c.eventTime() == null ? cm.eventTime : c.eventTime().utc();
                case RECORD_POD -> {
                    // An unsigned delivery proven after the fact (its verdict alone) is noted, not a POD.
                    if (c.pod() != null && c.pod().isSigned()) {
                        cm.podSignedBy = c.pod().signedBy();
                        cm.podUnverified = null;
                        completions.add(new Completion(Stage.POD_RECEIVED, c.pod().signedAt()));
                    }
                }
                default -> {
                }
            }
            return milestones.timeline(view.shipmentId).chain(facts -> {
                StatusPrecedence.Status status = null;
                CaseMilestone proof = null;
                boolean delivered = false;
                for (CaseMilestone m : facts) {
                    if (m.voided) {
                        continue;
                    }
                    status = StatusPrecedence.apply(status, m.milestone, m.classifier, m.eventTime);
                    delivered |= m.milestone == MilestoneType.DELIVERED && m.classifier == Classifier.ACTUAL;
                    if (m.podSignedBy != null && m.podUnverified == null) {
                        proof = m;
                    }
                }
                view.statusMilestone = status == null ? null : status.milestone();
                view.statusEventTime = status == null ? null : status.eventTime();
                boolean podRecorded = c.action() == MilestoneCorrected.Action.RECORD_POD && c.pod() != null
                        && c.pod().isSigned();
                if (podRecorded) {
                    view.podSignedBy = c.pod().signedBy();
                    view.podSignedAt = c.pod().signedAt();
                    view.podDocumentRef = c.pod().documentRef();
                } else if (proof == null) {
                    view.podSignedBy = null;
                    view.podSignedAt = null;
                    view.podDocumentRef = null;
                } else if (!proof.podSignedBy.equals(view.podSignedBy)) {
                    view.podSignedBy = proof.podSignedBy;
                    view.podSignedAt = proof.eventTime;
                    view.podDocumentRef = null;
                }
                Uni<Void> withdrawn = Uni.createFrom().voidItem();
                if (!delivered) {
                    withdrawn = withdrawn.chain(() -> withdraw(batch, view.shipmentId, Stage.DELIVERED));
                }
                if (proof == null && !podRecorded) {
                    withdrawn = withdrawn.chain(() -> withdraw(batch, view.shipmentId, Stage.POD_RECEIVED));
                }
                boolean afterInvoice = "INVOICE_REQUESTED".equals(view.billingState) || "INVOICED".equals(view.billingState);
                boolean matters = c.milestone() == MilestoneType.DELIVERED && c.action() != MilestoneCorrected.Action.RECORD_POD;
                return afterInvoice && matters ? withdrawn.chain(() -> tasks.correctedAfterInvoice(view, c, traceparent))
                        : withdrawn;
            });
        });
    }

    /** A stage nothing supports any more is withdrawn (a later event of the batch may complete it again). */
    private Uni<Void> withdraw(Batch batch, String shipmentId, Stage stage) {
        TransactionStage.Key key = new TransactionStage.Key(shipmentId, stage);
        if (batch.stages.remove(key) != null) {
            // Deleted at the batch's end, unless a later event of the batch records the stage again.
            batch.withdrawnStages.add(key);
            batch.changedStages.remove(key);
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * Whether a milestone can change a service task: a report of a kind that has a delay reason with a
     * delay, the actual delivery, a signed POD. Any other report leaves the tasks as they are, so they
     * are not derived again for it.
     */
    static boolean mayChangeTasks(MilestoneRecorded m) {
        long delay = m.enrichment() == null ? 0 : m.enrichment().delayMinutes();
        return ServiceTasks.reasonOf(m.milestone(), m.classifier()) != null && delay > 0
                || m.milestone() == MilestoneType.DELAYED || m.milestone() == MilestoneType.REFUSED
                || m.milestone() == MilestoneType.DELIVERY_ATTEMPTED || m.milestone() == MilestoneType.DELIVERY_NOT_COMPLETED
                || m.milestone() == MilestoneType.DEPARTED_PICKUP && m.classifier() == Classifier.ACTUAL
                || m.reason() != null
                || m.milestone() == MilestoneType.DELIVERED && m.classifier() == Classifier.ACTUAL
                || m.pod() != null && (m.pod().isSigned() || m.pod().osdNotes() != null && !m.pod().osdNotes().isBlank());
    }

    /**
     * The timeline rows of a batch's milestones as the insert's column arrays, each row the report's own facts only,
     * whatever the case knows when it arrives. Filled from the reports directly: an instance of the entity class per
     * row would record each field written in Hibernate's dirty tracker (an array copied per field) for a row the
     * session never manages.
     */
    private static final class TimelineRows {
        final String[] eventIds;
        final String[] shipmentIds;
        final String[] types;
        final String[] classifiers;
        final java.time.OffsetDateTime[] eventTimes;
        final java.time.OffsetDateTime[] receivedAts;
        final String[] locations;
        final Long[] delays;
        final Boolean[] late;
        final Boolean[] outOfOrder;
        final String[] systems;
        final String[] partners;
        final String[] reasons;
        final String[] sourceCodes;
        final String[] codeLists;
        final String[] signedBy;
        final String[] unverified;
        final String[] locals;
        final String[] zones;
        final String[] reasonTexts;
        final String[] osd;
        private int i;

        TimelineRows(int n) {
            eventIds = new String[n];
            shipmentIds = new String[n];
            types = new String[n];
            classifiers = new String[n];
            eventTimes = new java.time.OffsetDateTime[n];
            receivedAts = new java.time.OffsetDateTime[n];
            locations = new String[n];
            delays = new Long[n];
            late = new Boolean[n];
            outOfOrder = new Boolean[n];
            systems = new String[n];
            partners = new String[n];
            reasons = new String[n];
            sourceCodes = new String[n];
            codeLists = new String[n];
            signedBy = new String[n];
            unverified = new String[n];
            locals = new String[n];
            zones = new String[n];
            reasonTexts = new String[n];
            osd = new String[n];
        }

        void add(MilestoneRecorded m) {
            eventIds[i] = m.eventId();
            shipmentIds[i] = m.correlation().shipmentId();
            types[i] = m.milestone().name();
            classifiers[i] = m.classifier().name();
            Instant at = m.eventTime().utc();
            eventTimes[i] = com.logisync.runtime.repository.SessionSql.utc(at);
            receivedAts[i] = com.logisync.runtime.repository.SessionSql.utc(m.receivedAt());
            locations[i] = m.location() == null ? null : m.location().name();
            delays[i] = m.enrichment() == null ? 0L : m.enrichment().delayMinutes();
            late[i] = m.enrichment() != null && m.enrichment().late();
            outOfOrder[i] = m.outOfOrder();
            systems[i] = m.source() == null ? null : String.valueOf(m.source().system());
            partners[i] = m.source() == null ? null : m.source().partnerId();
            if (m.reason() != null) {
                reasons[i] = m.reason().code();
                sourceCodes[i] = m.reason().sourceCode();
                codeLists[i] = m.reason().sourceCodeList();
                reasonTexts[i] = m.reason().description() == null ? null : truncate(m.reason().description(), 200);
            }
            // Only the report's own zone is stored: the stop's is applied when the view is read, so the order in
            // which the order and the report arrive (live or in a replay) does not change the view.
            String[] zone = com.logisync.serviceview.notify.CustomerEventFeed.zoneOf(null, m);
            if (zone != null) {
                zones[i] = zone[0];
                locals[i] = com.logisync.serviceview.notify.CustomerEventFeed.local(at, zone[0]);
            }
            if (m.pod() != null && m.pod().isSigned()) {
                signedBy[i] = m.pod().signedBy();
                osd[i] = m.pod().osdNotes() == null || m.pod().osdNotes().isBlank() ? null
                        : truncate(m.pod().osdNotes(), 300);
                unverified[i] = m.pod().countsForBilling() ? null
                        : m.pod().unverifiedReason() == null ? "unverified" : m.pod().unverifiedReason();
            }
            i++;
        }
    }

    /**
     * Which events the projection recognises by itself when they come again: a recorded milestone, by its
     * timeline row ({@link #writeMilestones}). The consumer writes no ledger row for those
     * ({@link com.logisync.runtime.messaging.IdempotentConsumer#applyBatch(List, java.util.function.Function, boolean,
     * java.util.function.Predicate)}); every other event, a correction included, gets one.
     */
    public static boolean needsLedger(IncomingEvent event) {
        return !(event.payload() instanceof MilestoneRecorded);
    }

    /**
     * The arrays unnested in the select list (a {@code ProjectSet}, rows handed on one by one) rather than in
     * {@code from}, where a function's rows are first copied whole into a tuplestore, as the customer feed's insert
     * ({@code CustomerEventFeed}) and milestone-service's batch insert do.
     */
    private static final String INSERT_MILESTONES = "insert into case_milestone (event_id, shipment_id, milestone,"
            + " classifier, event_time, received_at, location_name, delay_minutes, late, out_of_order, source_system,"
            + " partner_id, reason_code, reason_source_code, reason_code_list, pod_signed_by, pod_unverified,"
            + " local_event_time, zone_id, reason_text, pod_osd_notes)"
            + " select unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]),"
            + " unnest($5::timestamptz[]), unnest($6::timestamptz[]), unnest($7::text[]), unnest($8::bigint[]),"
            + " unnest($9::bool[]), unnest($10::bool[]), unnest($11::text[]), unnest($12::text[]), unnest($13::text[]),"
            + " unnest($14::text[]), unnest($15::text[]), unnest($16::text[]), unnest($17::text[]),"
            + " unnest($18::text[]), unnest($19::text[]), unnest($20::text[]), unnest($21::text[])";

    /** The same, for a batch whose milestones may already be in the timeline: the new ones returned. */
    private static final String INSERT_MILESTONES_CHECKED = INSERT_MILESTONES
            + " on conflict (event_id) do nothing returning event_id";

    /**
     * The timeline rows of the batch's milestones, in one statement (not an entity each: the milestones are most
     * of what a batch writes), before any event is applied, with the cases locked. The rows the timeline did not
     * have are the milestones to apply ({@link Batch#newMilestones}): a redelivered milestone finds its row and is
     * not applied again, in the same transaction, so the timeline row is this consumer's ledger for milestones
     * ({@link #needsLedger}). A second replica applying the same batch waits on the case locks, then meets the
     * rows (below). Only the report's facts are in a row, so writing it before the batch's other events changes
     * nothing.
     *
     * <p>Live, the rows are inserted without {@code on conflict}: nearly every batch is new, and the speculative
     * insertion (a probe of the key, a token lock and a record logged per row) and the ids sent back cost about
     * 6 µs of PostgreSQL per event, side by side (docs/benchmark-log.md, forty-sixth session). A batch that meets
     * a row the timeline has (a redelivery after a crash or a rebalance, a second replica, a replay of a topic that
     * holds an event twice) fails
     * its transaction, which applied nothing, with a {@link com.logisync.runtime.messaging.RetryBatchException}: the
     * consumer retries it, and for {@link #CONFLICTS_CHECKED_FOR} every batch is written {@code on conflict}, telling
     * the new milestones from the redelivered ones as before.
     */
    private Uni<Void> writeMilestones(Batch batch, List<IncomingEvent> events) {
        java.util.Map<String, MilestoneRecorded> byId = new java.util.LinkedHashMap<>();
        for (IncomingEvent e : events) {
            if (e.payload() instanceof MilestoneRecorded m) {
                byId.putIfAbsent(m.eventId(), m);
            }
        }
        if (byId.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        TimelineRows rows = new TimelineRows(byId.size());
        byId.values().forEach(rows::add);
        Object[] params = {rows.eventIds, rows.shipmentIds, rows.types, rows.classifiers, rows.eventTimes,
            rows.receivedAts, rows.locations, rows.delays, rows.late, rows.outOfOrder, rows.systems, rows.partners,
            rows.reasons, rows.sourceCodes, rows.codeLists, rows.signedBy, rows.unverified, rows.locals, rows.zones,
            rows.reasonTexts, rows.osd};
        if (System.currentTimeMillis() < conflictsCheckedUntil) {
            return com.logisync.runtime.repository.SessionSql.select(INSERT_MILESTONES_CHECKED, params)
                    .invoke(inserted -> inserted.forEach(r -> batch.newMilestones.add((String) r[0])))
                    .replaceWithVoid();
        }
        return com.logisync.runtime.repository.SessionSql.update(INSERT_MILESTONES, params)
                .invoke(() -> batch.newMilestones.addAll(byId.keySet()))
                .onFailure(ShipmentCaseProjection::alreadyInTheTimeline).transform(e -> {
                    conflictsCheckedUntil = System.currentTimeMillis() + CONFLICTS_CHECKED_FOR.toMillis();
                    return new com.logisync.runtime.messaging.RetryBatchException("The timeline had one of the"
                            + " batch's " + byId.size() + " milestones already (a redelivery): the batch is retried,"
                            + " and for " + CONFLICTS_CHECKED_FOR.toMinutes() + " minutes every batch is written with"
                            + " on conflict", e);
                })
                .replaceWithVoid();
    }

    /** A unique violation: the only one the timeline's insert can meet is on the event id. */
    static boolean alreadyInTheTimeline(Throwable failure) {
        return failure instanceof org.hibernate.exception.ConstraintViolationException violation
                && "23505".equals(violation.getSQLState());
    }

    /** How long batches are written with {@code on conflict} after the timeline was found to have one of them. */
    static final java.time.Duration CONFLICTS_CHECKED_FOR = java.time.Duration.ofMinutes(10);

    /** Until when (epoch millis) every batch's milestones are written with {@code on conflict}. */
    private volatile long conflictsCheckedUntil;

    /** Until when the timeline is written with {@code on conflict} whatever the batch (for tests). */
    public java.time.Instant conflictsCheckedUntil() {
        return java.time.Instant.ofEpochMilli(conflictsCheckedUntil);
    }

    /**
     * Writes the timeline with {@code on conflict} until then, whatever the batch ({@link Instant#EPOCH}: from now,
     * only after a conflict).
     */
    public void checkConflictsUntil(Instant until) {
        conflictsCheckedUntil = until.toEpochMilli();
    }

    /** The event's stages recorded in the batch, in memory: {@link #APPLIED}. */
    private Uni<Void> complete(Batch batch, ShipmentCase view, IncomingEvent event, List<Completion> completions) {
        if (completions.isEmpty()) {
            return APPLIED;
        }
        String producer = event.source() == null ? null : event.source().substring(event.source().lastIndexOf('/') + 1);
        String traceId = event.traceId();
        for (Completion c : completions) {
            stage(batch, view.shipmentId, c.stage(), c.at(), producer, traceId, event.eventId());
        }
        return APPLIED;
    }

    /** Records a stage: the earliest completion wins (the view update is the case's own, {@code viewTraceId}). */
    private void stage(Batch batch, String shipmentId, Stage stage, Instant at, String service, String traceId,
            String eventId) {
        Instant when = at == null ? Instant.now() : at;
        TransactionStage.Key key = new TransactionStage.Key(shipmentId, stage);
        {
            TransactionStage existing = batch.stages.get(key);
            if (existing == null) {
                TransactionStage s = new TransactionStage();
                s.id = key;
                batch.stages.put(key, s);
                s.completedAt = when;
                s.service = service;
                s.traceId = traceId;
                s.eventId = eventId;
                batch.changedStages.add(key);
                return;
            }
            if (when.isBefore(existing.completedAt)) {
                existing.completedAt = when;
                existing.service = service;
                existing.traceId = traceId;
                existing.eventId = eventId;
                batch.changedStages.add(key);
            }
        }
    }
}
