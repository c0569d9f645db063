package com.logisync.serviceview.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.serviceview.model.CaseMilestone;
import com.logisync.serviceview.model.ShipmentCase;
import com.logisync.serviceview.model.Stage;
import com.logisync.serviceview.model.TransactionStage;

import java.time.Instant;
import java.util.List;

/** The case view: everything an agent needs about one shipment, on one screen. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShipmentCaseView(String shipmentId, String orderId, String customerId, String serviceLevel,
        MilestoneType status, Instant statusAt, int amendment, Cancellation cancellation, Route route, Dispatch dispatch, List<Milestone> milestones, Pod pod,
        Instant eta, EstimatedDelivery estimatedDelivery, Position lastPosition, Billing billing, List<Charge> charges,
        List<Task> serviceTasks, List<StageView> stages) {

    /**
     * When the delivery is expected: the carrier's latest estimate (CARRIER), or, without one, the planned
     * delivery moved by the latest delay measured at a stop (PREDICTED); {@code basis} says which.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "EstimatedDelivery")
    public record EstimatedDelivery(Instant at,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(enumeration = {"CARRIER", "PREDICTED"}) String kind,
            String basis, Instant reportedAt) {
    }

    /** A milestone's time where it happened: the local date-time and the stop's zone. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CaseLocalTime")
    public record LocalTime(
            @org.eclipse.microprofile.openapi.annotations.media.Schema(example = "2026-12-02T09:00:00") String local,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(example = "America/Chicago") String zoneId) {
    }

    /** Where the vehicle carrying the shipment last reported itself (at most every few minutes). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CasePosition")
    public record Position(double latitude, double longitude, Double speedKph, String vehicleId, Instant reportedAt) {
    }

    /** A charge line billing asked ERP to invoice, with its basis. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CaseCharge")
    public record Charge(String code, String description, java.math.BigDecimal quantity, String unit,
            java.math.BigDecimal rate, java.math.BigDecimal amount, String basis) {
    }

    /** A proactive service task of the shipment. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ServiceTask")
    public record Task(String taskId, String reason, String severity, long delayMinutes, int thresholdMinutes,
            String detail, String status, Instant openedAt, Instant resolvedAt, String resolvedBy, String resolution) {

        public static Task of(com.logisync.serviceview.model.ServiceTask t) {
            return new Task(t.taskId, t.reason, t.severity, t.delayMinutes, t.thresholdMinutes, t.detail, t.status,
                    t.openedAt, t.resolvedAt, t.resolvedBy, t.resolution);
        }
    }

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CaseCancellation")
    public record Cancellation(Instant at, String reason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CaseRoute")
    public record Route(String pickup, String delivery, Instant deliveryWindowStart, Instant deliveryWindowEnd) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CaseDispatch")
    public record Dispatch(String status, String loadId, String routeId, String carrier, String driver, String vehicle,
            Instant plannedPickup, Instant plannedDelivery, String failure) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CaseMilestone")
    public record Milestone(String eventId, MilestoneType milestone, Classifier classifier, Instant eventTime,
            LocalTime localEventTime, Instant receivedAt, String location, long delayMinutes, boolean late,
            boolean outOfOrder, String source, String partnerId, MilestoneReason reason, MilestonePod pod, Boolean voided,
            String correction) {
    }

    /** Why: the canonical reason, the source's own code and code list (e.g. AO in X12-1651), and its words. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MilestoneReason(String code, String sourceCode, String codeList, String description) {
    }

    /** The POD a milestone carried; {@code unverifiedReason} says why it does not prove the delivery. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MilestonePod(String signedBy, boolean verified, String unverifiedReason, String osdNotes) {
    }

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CasePod")
    public record Pod(String signedBy, Instant signedAt, String documentRef) {
    }

    /**
     * The invoice's state and, from billing's own case, the checklist of billing rules (each met or
     * not, with why), every accessorial with its decision (PENDING, APPROVED by AUTO or a clerk,
     * REJECTED) and the exceptions that hold billing.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "CaseBilling")
    public record Billing(String state, Instant eligibleAt, String invoiceId, java.math.BigDecimal total,
            String currency, String failure, Boolean rulesMet,
            List<com.logisync.contracts.event.BillingCaseUpdated.Check> checklist,
            List<com.logisync.contracts.event.BillingCaseUpdated.Accessorial> accessorials,
            List<com.logisync.contracts.event.BillingCaseUpdated.BillingIssue> exceptions,
            List<com.logisync.contracts.event.BillingCaseUpdated.Document> documents) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StageView(Stage stage, Instant completedAt, String service, String traceId) {
    }

    /** Where it happened: in the zone the report named, else the stop's (from the order), else none. */
    static LocalTime localTime(ShipmentCase c, CaseMilestone m) {
        if (m.localEventTime != null) {
            return new LocalTime(m.localEventTime, m.zoneId);
        }
        String zone = com.logisync.serviceview.notify.CustomerEventFeed.stopZone(c, m.milestone, null);
        return zone == null ? null : new LocalTime(com.logisync.serviceview.notify.CustomerEventFeed.local(m.eventTime, zone), zone);
    }

    /** The carrier's latest estimate, else the plan moved by the latest delay measured at a stop; none once delivered. */
    static EstimatedDelivery estimate(ShipmentCase c, List<CaseMilestone> timeline) {
        boolean delivered = timeline.stream().anyMatch(m -> !m.voided && m.milestone == MilestoneType.DELIVERED
                && m.classifier == Classifier.ACTUAL);
        if (delivered) {
            return null;
        }
        if (c.eta != null) {
            return new EstimatedDelivery(c.eta, "CARRIER", "the carrier's latest estimate", c.etaReportedAt);
        }
        CaseMilestone latest = null;
        for (CaseMilestone m : timeline) {
            if (!m.voided && m.classifier == Classifier.ACTUAL && m.late && (latest == null || m.eventTime.isAfter(latest.eventTime))) {
                latest = m;
            }
        }
        long delay = latest == null ? 0 : latest.delayMinutes;
        Instant predicted = com.logisync.serviceview.service.EtaPrediction.predicted(c.plannedDelivery, delay);
        if (predicted == null) {
            return null;
        }
        String basis = delay > 0 ? "planned delivery " + c.plannedDelivery + " + " + delay + " min late at "
                + (latest.locationName != null ? latest.locationName : latest.milestone.name()) + " (" + latest.eventTime + ")"
                + (c.positionReportedAt != null ? "; last position " + c.positionReportedAt : "")
                : "planned delivery, no delay measured" + (c.positionReportedAt != null ? "; last position "
                        + c.positionReportedAt : "");
        return new EstimatedDelivery(predicted, "PREDICTED", basis, null);
    }

    public static ShipmentCaseView of(ShipmentCase c, List<CaseMilestone> timeline, List<TransactionStage> stages,
            List<com.logisync.serviceview.model.ServiceTask> tasks, List<Charge> charges,
            com.logisync.serviceview.service.ShipmentCaseProjection.BillingCaseSnapshot billingCase) {
        return new ShipmentCaseView(c.shipmentId, c.orderId, c.customerId, c.serviceLevel, c.statusMilestone,
                c.statusEventTime, c.orderAmendment,
                c.cancelledAt == null ? null : new Cancellation(c.cancelledAt, c.cancelReason),
                new Route(c.pickupName, c.deliveryName, c.deliveryWindowStart, c.deliveryWindowEnd),
                new Dispatch(c.dispatchStatus, c.loadId, c.routeId, c.carrier, c.driver, c.vehicle, c.plannedPickup,
                        c.plannedDelivery, c.dispatchFailure),
                timeline.stream().map(m -> new Milestone(m.eventId, m.milestone, m.classifier, m.eventTime,
                        localTime(c, m), m.receivedAt,
                        m.locationName, m.delayMinutes, m.late, m.outOfOrder, m.sourceSystem, m.partnerId,
                        m.reasonCode == null ? null : new MilestoneReason(m.reasonCode, m.reasonSourceCode, m.reasonCodeList,
                                m.reasonText),
                        m.podSignedBy == null ? null : new MilestonePod(m.podSignedBy, m.podUnverified == null,
                                m.podUnverified, m.podOsdNotes), m.voided ? Boolean.TRUE : null, m.correction)).toList(),
                c.podSignedBy == null ? null : new Pod(c.podSignedBy, c.podSignedAt, c.podDocumentRef),
                c.eta, estimate(c, timeline),
                c.positionReportedAt == null ? null : new Position(c.positionLatitude, c.positionLongitude,
                        c.positionSpeedKph, c.positionVehicle, c.positionReportedAt),
                new Billing(c.billingState == null ? "NOT_ELIGIBLE" : c.billingState, c.eligibleAt, c.invoiceId,
                        c.invoiceTotal, c.invoiceCurrency, c.invoiceFailure,
                        billingCase == null ? null : billingCase.eligible(),
                        billingCase == null ? null : billingCase.checklist(),
                        billingCase == null ? null : billingCase.accessorials(),
                        billingCase == null ? null : billingCase.exceptions(),
                        billingCase == null ? null : billingCase.documents()),
                charges, tasks.stream().map(Task::of).toList(),
                stages.stream().map(s -> new StageView(s.id.stage(), s.completedAt, s.service, s.traceId)).toList());
    }
}
