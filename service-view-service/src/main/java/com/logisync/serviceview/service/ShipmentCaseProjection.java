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
import com.logisync.runtime.config.LogiSyncConfig;
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
    private final String serviceName;

    public ShipmentCaseProjection(ShipmentCaseRepository cases, CaseMilestoneRepository milestones,
            TransactionStageRepository stages, ServiceTasks tasks, com.fasterxml.jackson.databind.ObjectMapper mapper,
            LogiSyncConfig config) {
        this.cases = cases;
        this.milestones = milestones;
        this.stages = stages;
        this.tasks = tasks;
        this.mapper = mapper;
        this.serviceName = config.serviceName();
    }

    private static final String UPSERT_PREFERENCE = "insert into customer_preference (customer_id,"
            + " delay_threshold_minutes, erp_version) values (:c, :t, :v) on conflict (customer_id) do update set"
            + " delay_threshold_minutes = excluded.delay_threshold_minutes, erp_version = excluded.erp_version"
            + " where customer_preference.erp_version < excluded.erp_version";

    /** The customer's delay threshold, the newest ERP version winning. */
    private Uni<Void> customerPreference(com.logisync.contracts.masterdata.Customer customer) {
        if (customer.servicePreferences() == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery(UPSERT_PREFERENCE)
                .setParameter("c", customer.customerId())
                .setParameter("t", customer.servicePreferences().delayThresholdMinutes())
                .setParameter("v", customer.erpVersion()).executeUpdate()).replaceWithVoid();
    }

    /** A customer's threshold changed: derive again the tasks of its shipments that reported a delay. */
    private Uni<Void> recomputeCustomer(String customerId) {
        return Panache.getSession().chain(s -> s.createNativeQuery("select distinct c.shipment_id from shipment_case c"
                + " join case_milestone m on m.shipment_id = c.shipment_id where c.customer_id = :c"
                + " and m.delay_minutes > 0 order by c.shipment_id", String.class).setParameter("c", customerId)
                .getResultList())
                .chain(ids -> threshold(customerId).chain(threshold -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (String id : ids) {
                        chain = chain.chain(() -> cases.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                                .chain(view -> tasks.recompute(view, threshold)));
                    }
                    return chain;
                }));
    }

    private Uni<Integer> threshold(String customerId) {
        if (customerId == null) {
            return Uni.createFrom().nullItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select delay_threshold_minutes from customer_preference where customer_id = :c", Integer.class)
                .setParameter("c", customerId).getSingleResultOrNull());
    }

    /** Every business key the event names for the shipment, for lookup by any of them. */
    private Uni<Void> keys(Correlation c) {
        java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put(c.shipmentId(), "SHIPMENT");
        if (c.orderId() != null) {
            keys.putIfAbsent(c.orderId(), "ORDER");
        }
        if (c.loadId() != null) {
            keys.putIfAbsent(c.loadId(), "LOAD");
        }
        if (c.invoiceId() != null) {
            keys.putIfAbsent(c.invoiceId(), "INVOICE");
        }
        if (c.references() != null) {
            c.references().forEach(r -> keys.putIfAbsent(r.value(), r.type().name()));
        }
        StringBuilder sql = new StringBuilder("insert into case_key (key_value, key_type, shipment_id) values ");
        int i = 0;
        for (String ignored : keys.keySet()) {
            sql.append(i == 0 ? "" : ", ").append("(:k").append(i).append(", :t").append(i).append(", :s)");
            i++;
        }
        sql.append(" on conflict do nothing");
        return Panache.getSession().chain(s -> {
            var q = s.createNativeQuery(sql.toString()).setParameter("s", c.shipmentId());
            int j = 0;
            for (java.util.Map.Entry<String, String> e : keys.entrySet()) {
                q.setParameter("k" + j, e.getKey()).setParameter("t" + j, e.getValue());
                j++;
            }
            return q.executeUpdate();
        }).replaceWithVoid();
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

    /** Applies one consumed event, in the consumer's transaction. */
    public Uni<Void> apply(IncomingEvent event) {
        Object payload = event.payload();
        if (payload instanceof CustomerUpdated updated) {
            return customerPreference(updated.customer()).chain(() -> recomputeCustomer(updated.customer().customerId()));
        }
        if (payload instanceof ServiceTaskResolved resolved) {
            return tasks.onResolved(resolved);
        }
        if (event.shipmentEvent() == null || payload instanceof ServiceTaskOpened
                || payload instanceof ServiceTaskEscalated) {
            return Uni.createFrom().voidItem(); // our own task events: the tasks are already as they say
        }
        Correlation c = event.shipmentEvent().correlation();
        List<Completion> completions = new ArrayList<>();
        return cases.lockOrCreate(c.shipmentId())
                .call(view -> keys(c))
                .chain(view -> {
                    String customerBefore = view.customerId;
                    absorbCorrelation(view, c);
                    view.updatedAt = Instant.now();
                    Object p = event.payload();
                    if (p instanceof OrderReleased released) {
                        if (view.orderAmendment == 0) {
                            applyOrder(view, released.serviceLevel(), released.stops());
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
                            view.billingCaseVersion = billingCase.caseVersion();
                            view.billingCaseJson = json(new BillingCaseSnapshot(billingCase.eligible(),
                                    billingCase.checklist(), billingCase.accessorials(), billingCase.exceptions(),
                                    billingCase.documents()));
                        }
                    } else if (p instanceof MilestoneCorrected corrected) {
                        return correct(view, corrected, completions)
                                .chain(() -> threshold(view.customerId))
                                .chain(threshold -> tasks.recompute(view, threshold))
                                .chain(() -> complete(view, event, completions));
                    } else if (p instanceof MilestoneRecorded m) {
                        applyMilestone(view, m, completions);
                        return recordMilestone(m)
                                .chain(() -> threshold(view.customerId))
                                .chain(threshold -> tasks.recompute(view, threshold))
                                .chain(() -> complete(view, event, completions));
                    }
                    if (view.customerId != null && !view.customerId.equals(customerBefore)) {
                        // Now the customer (and so its delay threshold) is known: derive the tasks again.
                        return threshold(view.customerId).chain(threshold -> tasks.recompute(view, threshold))
                                .chain(() -> complete(view, event, completions));
                    }
                    return complete(view, event, completions);
                });
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
            } else if (s.type() == StopType.DELIVERY) {
                v.deliveryName = s.name();
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
    private Uni<Void> correct(ShipmentCase view, MilestoneCorrected c, List<Completion> completions) {
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
                    if (c.pod() != null) {
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
                if (c.action() == MilestoneCorrected.Action.RECORD_POD && c.pod() != null) {
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
                    withdrawn = withdrawn.chain(() -> stages.deleteById(new TransactionStage.Key(view.shipmentId,
                            Stage.DELIVERED)).replaceWithVoid());
                }
                if (proof == null && c.action() != MilestoneCorrected.Action.RECORD_POD) {
                    withdrawn = withdrawn.chain(() -> stages.deleteById(new TransactionStage.Key(view.shipmentId,
                            Stage.POD_RECEIVED)).replaceWithVoid());
                }
                boolean afterInvoice = "INVOICE_REQUESTED".equals(view.billingState) || "INVOICED".equals(view.billingState);
                boolean matters = c.milestone() == MilestoneType.DELIVERED && c.action() != MilestoneCorrected.Action.RECORD_POD;
                return afterInvoice && matters ? withdrawn.chain(() -> tasks.correctedAfterInvoice(view, c)) : withdrawn;
            });
        });
    }

    private Uni<Void> recordMilestone(MilestoneRecorded m) {
        return milestones.findById(m.eventId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            CaseMilestone cm = new CaseMilestone();
            cm.eventId = m.eventId();
            cm.shipmentId = m.correlation().shipmentId();
            cm.milestone = m.milestone();
            cm.classifier = m.classifier();
            cm.eventTime = m.eventTime().utc();
            cm.receivedAt = m.receivedAt();
            cm.locationName = m.location() == null ? null : m.location().name();
            cm.delayMinutes = m.enrichment() == null ? 0 : m.enrichment().delayMinutes();
            cm.late = m.enrichment() != null && m.enrichment().late();
            cm.outOfOrder = m.outOfOrder();
            cm.sourceSystem = m.source() == null ? null : String.valueOf(m.source().system());
            cm.partnerId = m.source() == null ? null : m.source().partnerId();
            if (m.reason() != null) {
                cm.reasonCode = m.reason().code();
                cm.reasonSourceCode = m.reason().sourceCode();
                cm.reasonCodeList = m.reason().sourceCodeList();
            }
            if (m.pod() != null && m.pod().isSigned()) {
                cm.podSignedBy = m.pod().signedBy();
                cm.podUnverified = m.pod().countsForBilling() ? null
                        : m.pod().unverifiedReason() == null ? "unverified" : m.pod().unverifiedReason();
            }
            return milestones.persist(cm).replaceWithVoid();
        });
    }

    private Uni<Void> complete(ShipmentCase view, IncomingEvent event, List<Completion> completions) {
        String producer = event.source() == null ? null : event.source().substring(event.source().lastIndexOf('/') + 1);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Completion c : completions) {
            chain = chain.chain(() -> stage(view.shipmentId, c.stage(), c.at(), producer, event.traceId(),
                    event.eventId(), false));
        }
        String viewTrace = TraceContexts.currentTraceId() != null ? TraceContexts.currentTraceId() : event.traceId();
        return chain.chain(() -> stage(view.shipmentId, Stage.CRM_VIEW_UPDATED, view.updatedAt, serviceName, viewTrace,
                event.eventId(), true));
    }

    /** Records a stage: the earliest completion wins, except the view update, which keeps the latest. */
    private Uni<Void> stage(String shipmentId, Stage stage, Instant at, String service, String traceId, String eventId,
            boolean latestWins) {
        Instant when = at == null ? Instant.now() : at;
        return stages.findById(new TransactionStage.Key(shipmentId, stage)).chain(existing -> {
            if (existing == null) {
                TransactionStage s = new TransactionStage();
                s.id = new TransactionStage.Key(shipmentId, stage);
                s.completedAt = when;
                s.service = service;
                s.traceId = traceId;
                s.eventId = eventId;
                return stages.persist(s).replaceWithVoid();
            }
            boolean replace = latestWins ? when.isAfter(existing.completedAt) : when.isBefore(existing.completedAt);
            if (replace) {
                existing.completedAt = when;
                existing.service = service;
                existing.traceId = traceId;
                existing.eventId = eventId;
            }
            return Uni.createFrom().voidItem();
        });
    }
}
