package com.logisync.serviceview.service;

import com.logisync.contracts.event.ServiceTaskEscalated;
import com.logisync.contracts.event.ServiceTaskOpened;
import com.logisync.contracts.event.ServiceTaskResolved;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.model.Correlation;
import com.logisync.runtime.outbox.Outbox;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.serviceview.config.MonitorConfig;
import com.logisync.serviceview.model.ServiceTask;
import com.logisync.serviceview.model.ShipmentCase;
import com.logisync.serviceview.model.TaskFact;
import com.logisync.serviceview.repository.CaseMilestoneRepository;
import com.logisync.serviceview.repository.ServiceTaskRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proactive service tasks. A delay beyond the customer's threshold opens one task per shipment and
 * reason (DELAYED report, ETA past the delivery window, late arrival); more delay raises its
 * severity (LOW, then MEDIUM at twice the threshold, HIGH at four times), never a second task. The
 * delivery resolves the shipment's open tasks; an agent may resolve one earlier. Every change goes
 * to the CRM on {@code logisync.service-tasks.v1}, except while the read model is being replayed.
 * A task's times come from the reports, so any arrival order (and a replay) gives the same task.
 */
@ApplicationScoped
public class ServiceTasks {

    private static final Logger LOG = Logger.getLogger(ServiceTasks.class);
    /** Set on the Vert.x context of a replayed record: rebuild the tasks, publish nothing. */
    public static final String REPLAYING = "logisync.replaying";
    /** The reasons a delivery resolves (the others need proof of delivery or a person). */
    private static final java.util.Set<String> DELAY_REASONS = java.util.Set.of(ServiceTask.Reason.DELAYED.name(),
            ServiceTask.Reason.ETA_PAST_WINDOW.name(), ServiceTask.Reason.LATE_ARRIVAL.name(),
            ServiceTask.Reason.REFUSED_DELIVERY.name(), ServiceTask.Reason.DELIVERY_ATTEMPTED.name(),
            ServiceTask.Reason.MISSED_PICKUP.name());

    private final ServiceTaskRepository tasks;
    private final CaseMilestoneRepository timeline;
    private final Outbox outbox;
    private final MonitorConfig config;

    public ServiceTasks(ServiceTaskRepository tasks, CaseMilestoneRepository timeline, Outbox outbox,
            MonitorConfig config) {
        this.tasks = tasks;
        this.timeline = timeline;
        this.outbox = outbox;
        this.config = config;
    }

    /** The task reason a milestone reports, if its delay counts. */
    static ServiceTask.Reason reasonOf(MilestoneType type, Classifier classifier) {
        if (type == MilestoneType.DELAYED) {
            return ServiceTask.Reason.DELAYED;
        }
        if (type == MilestoneType.ETA_UPDATED || type == MilestoneType.DELIVERED && classifier == Classifier.ESTIMATED) {
            return ServiceTask.Reason.ETA_PAST_WINDOW;
        }
        if (type == MilestoneType.ARRIVED_DELIVERY && classifier == Classifier.ACTUAL) {
            return ServiceTask.Reason.LATE_ARRIVAL;
        }
        return null;
    }

    /**
     * Derives the shipment's tasks from all its facts (the timeline so far, the customer's threshold,
     * the delivery), in the consumer's transaction, and tells the CRM what changed. Deriving from the
     * whole set rather than from the one new report is what makes any arrival order, and a replay,
     * give the same tasks: a task's delay is the largest reported, it was opened by the earliest
     * report over the threshold, and the delivery resolves it.
     */
    public Uni<Void> recompute(ShipmentCase view, Integer customerThreshold) {
        return recompute(view, customerThreshold, com.logisync.runtime.tracing.TraceContexts.currentTraceparent());
    }

    /**
     * As {@link #recompute(ShipmentCase, Integer)}, telling the CRM under the given trace (the shipment's,
     * from the event that changed it). Only the facts a task can depend on are read (a report over the
     * threshold, the actual delivery, a signed POD): the rest of a long timeline cannot change a task.
     */
    public Uni<Void> recompute(ShipmentCase view, Integer customerThreshold, String traceparent) {
        return recomputeAll(List.of(new Derivation(view, customerThreshold, traceparent)));
    }

    /** A shipment whose tasks are to be derived again: its case, its customer's threshold (null: the default), the trace. */
    public record Derivation(ShipmentCase view, Integer customerThreshold, String traceparent) {
    }

    /**
     * {@link #recompute(ShipmentCase, Integer, String)} for the shipments of a consumer's batch: their facts and their
     * tasks read in one statement each, whatever their number, then each shipment's tasks derived in turn.
     */
    public Uni<Void> recomputeAll(List<Derivation> derivations) {
        if (derivations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Integer> thresholds = new java.util.LinkedHashMap<>();
        for (Derivation d : derivations) {
            thresholds.put(d.view().shipmentId, d.customerThreshold() != null ? d.customerThreshold()
                    : config.defaultDelayThresholdMinutes());
        }
        return timeline.taskFacts(thresholds, config.osdReasons()).chain(facts -> tasks.ofShipments(thresholds.keySet())
                .chain(existing -> com.logisync.runtime.vertx.Sequential.each(derivations, d -> derive(d.view(),
                        thresholds.get(d.view().shipmentId), d.traceparent(),
                        facts.getOrDefault(d.view().shipmentId, List.of()),
                        existing.getOrDefault(d.view().shipmentId, List.of())))));
    }

    /** The shipment's tasks from its facts ({@link CaseMilestoneRepository#taskFacts}) and the tasks it has. */
    private Uni<Void> derive(ShipmentCase view, int threshold, String traceparent, List<TaskFact> facts,
            List<ServiceTask> existing) {
        {
            Map<ServiceTask.Reason, List<TaskFact>> qualifying = new EnumMap<>(ServiceTask.Reason.class);
            Instant deliveredAt = null;
            TaskFact refused = null;
            TaskFact attempted = null;
            TaskFact osd = null;
            Instant pickedUpAt = null;
            long etaDelay = view.eta != null && view.deliveryWindowEnd != null && view.eta.isAfter(view.deliveryWindowEnd)
                    ? java.time.Duration.between(view.deliveryWindowEnd, view.eta).toMinutes() : 0;
            TaskFact unverifiedPod = null;
            TaskFact provingPod = null;
            for (TaskFact m : facts) {
                if (m.voided) {
                    continue;
                }
                if (m.podSignedBy != null && m.podUnverified != null
                        && (unverifiedPod == null || m.eventTime.isBefore(unverifiedPod.eventTime))) {
                    unverifiedPod = m;
                }
                if (m.podSignedBy != null && m.podUnverified == null
                        && (provingPod == null || m.eventTime.isBefore(provingPod.eventTime))) {
                    provingPod = m;
                }
                if (m.milestone == MilestoneType.DELIVERED && m.classifier == Classifier.ACTUAL
                        && (deliveredAt == null || m.eventTime.isBefore(deliveredAt))) {
                    deliveredAt = m.eventTime;
                }
                if (m.classifier == Classifier.ACTUAL && m.milestone == MilestoneType.REFUSED) {
                    refused = earliest(refused, m);
                }
                if (m.classifier == Classifier.ACTUAL && (m.milestone == MilestoneType.DELIVERY_ATTEMPTED
                        || m.milestone == MilestoneType.DELIVERY_NOT_COMPLETED)) {
                    attempted = earliest(attempted, m);
                }
                if (m.reasonCode != null && config.osdReasons().contains(m.reasonCode) || m.podOsdNotes != null) {
                    osd = earliest(osd, m);
                }
                if (m.classifier == Classifier.ACTUAL && m.milestone == MilestoneType.DEPARTED_PICKUP
                        && (pickedUpAt == null || m.eventTime.isBefore(pickedUpAt))) {
                    pickedUpAt = m.eventTime;
                }
                ServiceTask.Reason reason = reasonOf(m.milestone, m.classifier);
                if (reason == ServiceTask.Reason.DELAYED) {
                    // The carrier says it is late: measured at a stop, its delay; not measured, the new ETA's; a
                    // task unless that keeps within the customer's threshold (or nothing measures it at all).
                    long delay = m.delayMinutes > 0 ? m.delayMinutes : etaDelay;
                    if (delay > threshold || delay == 0 && view.eta == null) {
                        qualifying.computeIfAbsent(reason, r -> new ArrayList<>()).add(m);
                    }
                } else if (reason != null && m.delayMinutes > threshold) {
                    qualifying.computeIfAbsent(reason, r -> new ArrayList<>()).add(m);
                }
            }
            Map<String, ServiceTask> byId = new HashMap<>();
            existing.forEach(t -> byId.put(t.taskId, t));
            Uni<Void> chain = Uni.createFrom().voidItem();
            Instant delivered = deliveredAt;
            for (Map.Entry<ServiceTask.Reason, List<TaskFact>> e : qualifying.entrySet()) {
                long extra = e.getKey() == ServiceTask.Reason.DELAYED ? etaDelay : 0;
                chain = chain.chain(() -> apply(view, e.getKey(), e.getValue(), threshold, extra, delivered, byId, traceparent));
            }
            if (refused != null) {
                TaskFact r = refused;
                chain = chain.chain(() -> untilDelivered(view, ServiceTask.Reason.REFUSED_DELIVERY, ServiceTask.Severity.HIGH,
                        "delivery refused at ", r, delivered, byId, traceparent));
            }
            if (attempted != null) {
                TaskFact a = attempted;
                chain = chain.chain(() -> untilDelivered(view, ServiceTask.Reason.DELIVERY_ATTEMPTED,
                        ServiceTask.Severity.MEDIUM, "delivery attempted, not completed at ", a, delivered, byId, traceparent));
            }
            if (osd != null) {
                TaskFact o = osd;
                String what = o.podOsdNotes != null ? "POD notes over/short/damage: " + o.podOsdNotes
                        : o.milestone + " reports " + o.reasonCode + because(o);
                chain = chain.chain(() -> openOnce(view, ServiceTask.Reason.DAMAGE_OSD, ServiceTask.Severity.HIGH,
                        what + ": claim and customer to be handled", o.eventTime, null, null, byId, traceparent));
            }
            if (pickedUpAt != null) {
                ServiceTask missed = byId.get(ServiceTask.id(view.shipmentId, ServiceTask.Reason.MISSED_PICKUP));
                Instant at = pickedUpAt;
                if (missed != null) {
                    chain = chain.chain(() -> resolveBySystem(view, missed, at, "picked up at " + at, true, traceparent));
                }
            }
            for (ServiceTask t : existing) {
                if (delivered != null && "OPEN".equals(t.status)
                        && DELAY_REASONS.contains(t.reason) && !ServiceTask.Reason.MISSED_PICKUP.name().equals(t.reason)) {
                    chain = chain.chain(() -> resolveBySystem(view, t, delivered, true, traceparent));
                }
            }
            if (unverifiedPod != null) {
                TaskFact pod = unverifiedPod;
                TaskFact proof = provingPod;
                chain = chain.chain(() -> unverifiedPod(view, pod, proof, byId, traceparent));
            }
            return chain;
        }
    }

    private Uni<Void> apply(ShipmentCase view, ServiceTask.Reason reason, List<TaskFact> reports, int threshold,
            long extraDelay, Instant deliveredAt, Map<String, ServiceTask> byId, String traceparent) {
        long delay = Math.max(extraDelay, reports.stream().mapToLong(m -> m.delayMinutes).max().orElse(0));
        Instant openedAt = reports.stream().map(m -> m.eventTime).min(Instant::compareTo).orElseThrow();
        Instant lastReport = reports.stream().map(m -> m.eventTime).max(Instant::compareTo).orElseThrow();
        ServiceTask.Severity byDelay = ServiceTask.severity(delay, threshold);
        String id = ServiceTask.id(view.shipmentId, reason);
        String detail;
        if (reason == ServiceTask.Reason.DELAYED) {
            TaskFact latest = reports.stream().max(java.util.Comparator.comparing((TaskFact m) -> m.eventTime)).orElseThrow();
            detail = truncate("carrier reported a delay" + because(latest)
                    + (view.eta != null ? "; new ETA " + view.eta : "")
                    + (delay > 0 ? "; " + delay + " min late (threshold " + threshold + " min)" : "; delay not measured yet"));
        } else {
            detail = reason.name().toLowerCase().replace('_', ' ') + ": " + delay + " min late (threshold "
                    + threshold + " min)";
        }
        ServiceTask t = byId.get(id);
        boolean created = t == null;
        if (created) {
            t = new ServiceTask();
            t.taskId = id;
            t.shipmentId = view.shipmentId;
            t.status = "OPEN";
            byId.put(id, t);
        }
        String previousSeverity = t.severity;
        String previousStatus = t.status;
        // Raised by age: a later report never lowers it.
        ServiceTask.Severity severity = previousSeverity != null
                && ServiceTask.Severity.valueOf(previousSeverity).ordinal() > byDelay.ordinal()
                ? ServiceTask.Severity.valueOf(previousSeverity) : byDelay;
        t.customerId = view.customerId != null ? view.customerId : t.customerId;
        t.reason = reason.name();
        t.severity = severity.name();
        t.delayMinutes = delay;
        t.thresholdMinutes = threshold;
        t.detail = detail;
        t.openedAt = openedAt;
        t.updatedAt = later(t.updatedAt, lastReport);
        ServiceTask task = t;
        if (created) {
            if (deliveredAt != null) {
                // Reported only after the delivery that ended it: recorded, already resolved.
                return resolveBySystem(view, task, deliveredAt, false, traceparent).chain(() -> tasks.persist(task)).replaceWithVoid();
            }
            LOG.infof("Service task %s opened (%s, %d min late)", id, severity, delay);
            return tasks.persist(task).chain(() -> publish(new ServiceTaskOpened(corr(view), id, reason.name(),
                    severity.name(), delay, threshold, detail, openedAt), traceparent));
        }
        boolean raised = previousSeverity != null
                && severity.ordinal() > ServiceTask.Severity.valueOf(previousSeverity).ordinal();
        if (raised && "OPEN".equals(previousStatus)) {
            LOG.infof("Service task %s escalated to %s (%d min late)", id, severity, delay);
            return publish(new ServiceTaskEscalated(corr(view), id, severity.name(), delay, detail, lastReport),
                    traceparent);
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * A delivery or its POD corrected after the invoice was requested: the invoice may be wrong, and
     * only a person (with a credit note, when billing has them) can put it right.
     */
    public Uni<Void> correctedAfterInvoice(ShipmentCase view, com.logisync.contracts.event.MilestoneCorrected c,
            String traceparent) {
        String id = ServiceTask.id(view.shipmentId, ServiceTask.Reason.CORRECTED_AFTER_INVOICE);
        return tasks.findById(id).chain(existing -> {
            if (existing != null && "OPEN".equals(existing.status)) {
                existing.detail = truncate(existing.detail + "; " + describe(c));
                existing.updatedAt = later(existing.updatedAt, c.correctedAt());
                return Uni.createFrom().voidItem();
            }
            ServiceTask t = existing != null ? existing : new ServiceTask();
            t.taskId = id;
            t.shipmentId = view.shipmentId;
            t.customerId = view.customerId;
            t.status = "OPEN";
            t.reason = ServiceTask.Reason.CORRECTED_AFTER_INVOICE.name();
            t.severity = ServiceTask.Severity.HIGH.name();
            t.detail = truncate(describe(c) + " after the invoice was " + ("INVOICED".equals(view.billingState)
                    ? "issued" : "requested") + ": check the invoice");
            t.openedAt = c.correctedAt();
            t.updatedAt = c.correctedAt();
            t.resolvedAt = null;
            t.resolvedBy = null;
            t.resolution = null;
            LOG.infof("Service task %s opened: %s", id, t.detail);
            return (existing != null ? Uni.createFrom().item(t) : tasks.persist(t))
                    .chain(() -> publish(new ServiceTaskOpened(corr(view), id, t.reason, t.severity, 0, 0, t.detail,
                            t.openedAt), traceparent));
        });
    }

    private static String describe(com.logisync.contracts.event.MilestoneCorrected c) {
        return c.milestone() + " " + c.correctedEventId() + " " + c.action().name().toLowerCase().replace('_', ' ')
                + " by " + c.correctedBy() + " (" + c.reason() + ")";
    }

    private static String truncate(String s) {
        return s.length() > 500 ? s.substring(0, 497) + "..." : s;
    }

    /**
     * A POD from someone not entitled to prove the delivery (another carrier's partner, say) is shown
     * but never makes the shipment billable: a person must look. The task ends when a POD that proves
     * the delivery arrives, or when an agent resolves it.
     */
    private Uni<Void> unverifiedPod(ShipmentCase view, TaskFact pod, TaskFact proof,
            Map<String, ServiceTask> byId, String traceparent) {
        String id = ServiceTask.id(view.shipmentId, ServiceTask.Reason.UNVERIFIED_POD);
        ServiceTask t = byId.get(id);
        if (t == null) {
            t = new ServiceTask();
            t.taskId = id;
            t.shipmentId = view.shipmentId;
            t.customerId = view.customerId;
            t.status = "OPEN";
            t.reason = ServiceTask.Reason.UNVERIFIED_POD.name();
            t.severity = ServiceTask.Severity.HIGH.name();
            t.detail = "unverified POD signed by " + pod.podSignedBy + " (" + pod.podUnverified + "): the shipment is"
                    + " not billable until the delivery is proven";
            t.openedAt = pod.eventTime;
            t.updatedAt = pod.eventTime;
            ServiceTask task = t;
            if (proof != null) {
                // The proof came first (or in the same replay): recorded, already resolved.
                task.status = "RESOLVED";
                task.resolvedAt = proof.eventTime;
                task.resolvedBy = "system";
                task.resolution = "POD signed by " + proof.podSignedBy + " from " + proof.partnerId + " proves the delivery";
                return tasks.persist(task).replaceWithVoid();
            }
            LOG.infof("Service task %s opened: %s", id, task.detail);
            return tasks.persist(task).chain(() -> publish(new ServiceTaskOpened(corr(view), id, task.reason,
                    task.severity, 0, 0, task.detail, task.openedAt), traceparent));
        }
        if (proof != null && "OPEN".equals(t.status)) {
            t.status = "RESOLVED";
            t.resolvedAt = proof.eventTime;
            t.resolvedBy = "system";
            t.resolution = "POD signed by " + proof.podSignedBy + " from " + proof.partnerId + " proves the delivery";
            t.updatedAt = later(t.updatedAt, proof.eventTime);
            return publish(new ServiceTaskResolved(corr(view), t.taskId, "system", t.resolution, proof.eventTime),
                    traceparent);
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> resolveBySystem(ShipmentCase view, ServiceTask t, Instant deliveredAt, boolean tell,
            String traceparent) {
        return resolveBySystem(view, t, deliveredAt, "delivered at " + deliveredAt, tell, traceparent);
    }

    private Uni<Void> resolveBySystem(ShipmentCase view, ServiceTask t, Instant deliveredAt, String resolution,
            boolean tell, String traceparent) {
        if (!"OPEN".equals(t.status)) {
            return Uni.createFrom().voidItem();
        }
        t.status = "RESOLVED";
        t.resolvedAt = deliveredAt;
        t.resolvedBy = "system";
        t.resolution = resolution;
        t.updatedAt = later(t.updatedAt, deliveredAt);
        if (!tell) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("Service task %s resolved: %s", t.taskId, resolution);
        return publish(new ServiceTaskResolved(corr(view), t.taskId, "system", t.resolution, deliveredAt), traceparent);
    }

    private static TaskFact earliest(TaskFact current, TaskFact m) {
        return current == null || m.eventTime.isBefore(current.eventTime) ? m : current;
    }

    private static String where(TaskFact m) {
        return (m.locationName != null ? m.locationName + " " : "") + m.eventTime;
    }

    /** The reason a report gave, canonical and as the source coded it. */
    static String because(TaskFact m) {
        if (m.reasonCode == null) {
            return "";
        }
        String source = m.reasonSourceCode == null ? "" : " (" + (m.reasonCodeList == null ? "" : m.reasonCodeList + " ")
                + m.reasonSourceCode + ")";
        return ": " + m.reasonCode + source + (m.reasonText == null ? "" : " " + m.reasonText);
    }

    /** A task one report opens and a later delivery ends (a refusal, a failed attempt). */
    private Uni<Void> untilDelivered(ShipmentCase view, ServiceTask.Reason reason, ServiceTask.Severity severity,
            String what, TaskFact report, Instant delivered, Map<String, ServiceTask> byId, String traceparent) {
        Instant resolvedAt = delivered != null && delivered.isAfter(report.eventTime) ? delivered : null;
        return openOnce(view, reason, severity, what + where(report) + because(report), report.eventTime, resolvedAt,
                resolvedAt == null ? null : "delivered at " + resolvedAt, byId, traceparent);
    }

    /**
     * A task a single fact opens (a refusal, a failed attempt, damage): one per shipment and reason, opened once
     * at the fact's time; created already resolved when the fact that ends it is known too.
     */
    private Uni<Void> openOnce(ShipmentCase view, ServiceTask.Reason reason, ServiceTask.Severity severity, String detail,
            Instant openedAt, Instant resolvedAt, String resolution, Map<String, ServiceTask> byId, String traceparent) {
        String id = ServiceTask.id(view.shipmentId, reason);
        ServiceTask existing = byId.get(id);
        if (existing != null) {
            if (resolvedAt != null && "OPEN".equals(existing.status)) {
                return resolveBySystem(view, existing, resolvedAt, resolution, true, traceparent);
            }
            return Uni.createFrom().voidItem();
        }
        ServiceTask t = new ServiceTask();
        t.taskId = id;
        t.shipmentId = view.shipmentId;
        t.customerId = view.customerId;
        t.status = "OPEN";
        t.reason = reason.name();
        t.severity = severity.name();
        t.detail = truncate(detail);
        t.openedAt = openedAt;
        t.updatedAt = openedAt;
        byId.put(id, t);
        if (resolvedAt != null) {
            t.status = "RESOLVED";
            t.resolvedAt = resolvedAt;
            t.resolvedBy = "system";
            t.resolution = resolution;
            t.updatedAt = resolvedAt;
            return tasks.persist(t).replaceWithVoid();
        }
        LOG.infof("Service task %s opened (%s): %s", id, severity, t.detail);
        return tasks.persist(t).chain(() -> publish(new ServiceTaskOpened(corr(view), id, t.reason, t.severity, 0, 0,
                t.detail, openedAt), traceparent));
    }

    /**
     * A subscription gave up on one of the shipment's deliveries: a task for a person (call the customer's IT).
     * One per shipment; a later failure adds to its detail.
     */
    public Uni<Void> subscriptionFailing(String shipmentId, String customerId, String failure, Instant at) {
        String id = ServiceTask.id(shipmentId, ServiceTask.Reason.SUBSCRIPTION_FAILING);
        // Whom to call: the customer's notification contacts from its master data.
        Uni<String> contacts = customerId == null ? Uni.createFrom().nullItem()
                : com.logisync.runtime.repository.SessionSql.select("select notification_contacts from customer_preference"
                        + " where customer_id = $1", customerId).map(rows -> rows.isEmpty() ? null : (String) rows.get(0)[0]);
        return contacts.chain(who -> tasks.findById(id).chain(existing -> {
            String detail = who == null ? failure : failure + "; customer contacts: " + who;
            if (existing != null && "OPEN".equals(existing.status)) {
                existing.detail = truncate(existing.detail + "; " + detail);
                existing.updatedAt = later(existing.updatedAt, at);
                return Uni.createFrom().voidItem();
            }
            ServiceTask t = existing != null ? existing : new ServiceTask();
            t.taskId = id;
            t.shipmentId = shipmentId;
            t.customerId = customerId;
            t.status = "OPEN";
            t.reason = ServiceTask.Reason.SUBSCRIPTION_FAILING.name();
            t.severity = ServiceTask.Severity.MEDIUM.name();
            t.detail = truncate(detail);
            t.openedAt = at;
            t.updatedAt = at;
            t.resolvedAt = null;
            t.resolvedBy = null;
            t.resolution = null;
            LOG.infof("Service task %s opened: %s", id, t.detail);
            Correlation c = new Correlation(shipmentId, null, null, null, customerId, null);
            return (existing != null ? Uni.createFrom().item(t) : tasks.persist(t))
                    .chain(() -> publish(new ServiceTaskOpened(c, id, t.reason, t.severity, 0, 0, t.detail, at), null));
        }));
    }

    /**
     * No pickup by the end of the pickup window plus the customer's threshold: a task, resolved by the pickup.
     * Called by {@link TaskSweep} with the case locked.
     */
    public Uni<Void> missedPickup(ShipmentCase view, Instant windowEnd, int threshold, Instant now) {
        String id = ServiceTask.id(view.shipmentId, ServiceTask.Reason.MISSED_PICKUP);
        return tasks.findById(id).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            ServiceTask t = new ServiceTask();
            t.taskId = id;
            t.shipmentId = view.shipmentId;
            t.customerId = view.customerId;
            t.status = "OPEN";
            t.reason = ServiceTask.Reason.MISSED_PICKUP.name();
            long late = java.time.Duration.between(windowEnd, now).toMinutes();
            t.severity = ServiceTask.severity(late, threshold).name();
            t.delayMinutes = late;
            t.thresholdMinutes = threshold;
            t.detail = truncate("no pickup reported" + (view.pickupName == null ? "" : " at " + view.pickupName)
                    + "; the pickup window ended " + windowEnd + " (" + late + " min ago, threshold " + threshold + " min)");
            t.openedAt = windowEnd.plusSeconds(threshold * 60L);
            t.updatedAt = now;
            LOG.infof("Service task %s opened: %s", id, t.detail);
            return tasks.persist(t).chain(() -> publish(new ServiceTaskOpened(corr(view), id, t.reason, t.severity, late,
                    threshold, t.detail, t.openedAt), null));
        });
    }

    /**
     * An open task unchanged for the escalation period rises a level (LOW, MEDIUM, HIGH), once per period:
     * the raise is a change, so the next one waits a whole period again. The CRM is told.
     */
    public Uni<Void> escalateByAge(ServiceTask t, ShipmentCase view, Instant now) {
        ServiceTask.Severity current = ServiceTask.Severity.valueOf(t.severity);
        if (!"OPEN".equals(t.status) || current == ServiceTask.Severity.HIGH
                || t.updatedAt != null && t.updatedAt.isAfter(now.minus(config.taskEscalateAfter()))) {
            return Uni.createFrom().voidItem();
        }
        ServiceTask.Severity aged = ServiceTask.Severity.values()[current.ordinal() + 1];
        t.severity = aged.name();
        t.updatedAt = later(t.updatedAt, now);
        LOG.infof("Service task %s escalated to %s: open since %s, unchanged for %s", t.taskId, aged, t.openedAt,
                config.taskEscalateAfter());
        return publish(new ServiceTaskEscalated(view == null ? new Correlation(t.shipmentId, null, null, null, t.customerId,
                null) : corr(view), t.taskId, aged.name(), t.delayMinutes, t.detail, now), null);
    }

    /** An agent resolves a task (idempotent: resolving a resolved task changes nothing). */
    public Uni<ServiceTask> resolve(String taskId, String agent, String resolution) {
        return Panache.withTransaction(() -> tasks.findById(taskId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .chain(t -> {
                    if (t == null) {
                        return Uni.createFrom().failure(ProblemException.notFound("Service task", taskId));
                    }
                    if (!"OPEN".equals(t.status)) {
                        return Uni.createFrom().item(t);
                    }
                    Instant now = Instant.now();
                    t.status = "RESOLVED";
                    t.resolvedAt = now;
                    t.resolvedBy = agent;
                    t.resolution = resolution;
                    t.updatedAt = later(t.updatedAt, now);
                    LOG.infof("Service task %s resolved by %s: %s", taskId, agent, resolution);
                    return outbox.enqueue(new ServiceTaskResolved(new Correlation(t.shipmentId, null, null, null,
                            t.customerId, null), taskId, agent, resolution, now)).replaceWith(t);
                }));
    }

    /**
     * Loads the tasks of a batch's own task events in one statement, into the session: each event's
     * {@link #onOpened}, {@link #onEscalated} or {@link #onResolved} then finds its task there, without a round trip
     * of its own while the batch holds its cases' locks (a batch of 500 read-back events made 500).
     */
    public Uni<Void> load(java.util.Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tasks.list("taskId in ?1", List.copyOf(taskIds)).replaceWithVoid();
    }

    /**
     * This service's own task events, read back from the service-tasks topic. Live they change nothing (the task
     * already is as they say); in a replay they restore what no other topic holds: the tasks the sweep opened
     * (a missed pickup) or a subscription did, the raises by age, and every resolution, in whatever order the
     * replay meets them and the reports. Without them a replay lowered the tasks raised by age, and the next sweep
     * raised them again and told the CRM a second time. Each only adds: a severity never falls, a time never goes
     * back, a resolution stays (but a subscription failing again after its task was resolved opens it again).
     * The caller holds the case's lock, when there is a case.
     */
    public Uni<Void> onOpened(ServiceTaskOpened o) {
        return tasks.findById(o.taskId()).chain(t -> {
            if (t == null) {
                return tasks.persist(fromEvent(o.taskId(), o.correlation(), o.severity(), o.delayMinutes(), o.detail(),
                        o.openedAt(), o.thresholdMinutes())).replaceWithVoid();
            }
            if (ServiceTask.Reason.SUBSCRIPTION_FAILING.name().equals(t.reason) && !"OPEN".equals(t.status)
                    && t.resolvedAt != null && o.openedAt().isAfter(t.resolvedAt)) {
                t.status = "OPEN";
                t.resolvedAt = null;
                t.resolvedBy = null;
                t.resolution = null;
                t.detail = o.detail();
                t.openedAt = o.openedAt();
            }
            raise(t, o.severity(), o.openedAt());
            return Uni.createFrom().voidItem();
        });
    }

    /** A raise (by a growing delay or by age), read back: see {@link #onOpened}. */
    public Uni<Void> onEscalated(ServiceTaskEscalated e) {
        return tasks.findById(e.taskId()).chain(t -> {
            if (t == null) {
                return tasks.persist(fromEvent(e.taskId(), e.correlation(), e.severity(), e.delayMinutes(), e.detail(),
                        e.escalatedAt(), config.defaultDelayThresholdMinutes())).replaceWithVoid();
            }
            raise(t, e.severity(), e.escalatedAt());
            return Uni.createFrom().voidItem();
        });
    }

    private static void raise(ServiceTask t, String severity, Instant at) {
        if (severity != null && (t.severity == null
                || ServiceTask.Severity.valueOf(severity).ordinal() > ServiceTask.Severity.valueOf(t.severity).ordinal())) {
            t.severity = severity;
        }
        t.updatedAt = later(t.updatedAt, at);
    }

    /** A task known only from one of its events (a replay met it before the report that opened it). */
    private static ServiceTask fromEvent(String taskId, Correlation c, String severity, long delay, String detail,
            Instant at, int threshold) {
        ServiceTask t = new ServiceTask();
        t.taskId = taskId;
        t.shipmentId = c.shipmentId();
        t.customerId = c.customerId();
        t.reason = taskId.substring(taskId.lastIndexOf(':') + 1);
        t.status = "OPEN";
        t.severity = severity == null ? ServiceTask.Severity.LOW.name() : severity;
        t.delayMinutes = delay;
        t.thresholdMinutes = threshold;
        t.detail = detail == null ? null : truncate(detail);
        t.openedAt = at;
        t.updatedAt = at;
        return t;
    }

    /**
     * A resolution, an agent's or the system's, read back (see {@link #onOpened}; in a replay it may come before
     * the report that opened the task): the task ends resolved whatever the order. An agent's resolution wins over
     * the delivery's (the agent can only have acted before it).
     */
    public Uni<Void> onResolved(ServiceTaskResolved r) {
        boolean bySystem = "system".equals(r.resolvedBy());
        return tasks.findById(r.taskId()).chain(t -> {
            if (t == null) {
                ServiceTask resolved = fromEvent(r.taskId(), r.correlation(), null, 0, null, r.resolvedAt(),
                        config.defaultDelayThresholdMinutes());
                apply(resolved, r);
                return tasks.persist(resolved).replaceWithVoid();
            }
            // A subscription's task a later failure opened again (its openedAt is that failure's time) stays open when
            // the resolution of its earlier opening is read back late, behind a lagging consumer.
            boolean ofAnEarlierOpening = ServiceTask.Reason.SUBSCRIPTION_FAILING.name().equals(t.reason)
                    && "OPEN".equals(t.status) && t.openedAt != null && r.resolvedAt().isBefore(t.openedAt);
            if ((!bySystem || "OPEN".equals(t.status)) && !ofAnEarlierOpening) {
                apply(t, r);
            }
            return Uni.createFrom().voidItem();
        });
    }

    private static void apply(ServiceTask t, ServiceTaskResolved r) {
        t.status = "RESOLVED";
        t.resolvedAt = r.resolvedAt();
        t.resolvedBy = r.resolvedBy();
        t.resolution = r.resolution();
        t.updatedAt = later(t.updatedAt, r.resolvedAt());
    }

    private Uni<Void> publish(com.logisync.contracts.LogiSyncEvent event, String traceparent) {
        Context context = Vertx.currentContext();
        if (context != null && Boolean.TRUE.equals(context.getLocal(REPLAYING))) {
            return Uni.createFrom().voidItem();
        }
        String current = com.logisync.runtime.tracing.TraceContexts.currentTraceparent();
        return outbox.enqueue(event, current != null ? current : traceparent).replaceWithVoid();
    }

    private static Correlation corr(ShipmentCase v) {
        return new Correlation(v.shipmentId, v.orderId, v.loadId, v.invoiceId, v.customerId, null);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b != null && b.isAfter(a) ? b : a;
    }

}
