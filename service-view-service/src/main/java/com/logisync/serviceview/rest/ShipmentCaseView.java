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
        Instant eta, Position lastPosition, Billing billing, List<Charge> charges, List<Task> serviceTasks,
        List<StageView> stages) {

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
            Instant receivedAt, String location, long delayMinutes, boolean late, boolean outOfOrder, String source,
            String partnerId, MilestoneReason reason, MilestonePod pod, Boolean voided, String correction) {
    }

    /** Why: the canonical reason, and the source's own code and code list (e.g. AO in X12-1651). */
    public record MilestoneReason(String code, String sourceCode, String codeList) {
    }

    /** The POD a milestone carried; {@code unverifiedReason} says why it does not prove the delivery. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MilestonePod(String signedBy, boolean verified, String unverifiedReason) {
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

    public static ShipmentCaseView of(ShipmentCase c, List<CaseMilestone> timeline, List<TransactionStage> stages,
            List<com.logisync.serviceview.model.ServiceTask> tasks, List<Charge> charges,
            com.logisync.serviceview.service.ShipmentCaseProjection.BillingCaseSnapshot billingCase) {
        return new ShipmentCaseView(c.shipmentId, c.orderId, c.customerId, c.serviceLevel, c.statusMilestone,
                c.statusEventTime, c.orderAmendment,
                c.cancelledAt == null ? null : new Cancellation(c.cancelledAt, c.cancelReason),
                new Route(c.pickupName, c.deliveryName, c.deliveryWindowStart, c.deliveryWindowEnd),
                new Dispatch(c.dispatchStatus, c.loadId, c.routeId, c.carrier, c.driver, c.vehicle, c.plannedPickup,
                        c.plannedDelivery, c.dispatchFailure),
                timeline.stream().map(m -> new Milestone(m.eventId, m.milestone, m.classifier, m.eventTime, m.receivedAt,
                        m.locationName, m.delayMinutes, m.late, m.outOfOrder, m.sourceSystem, m.partnerId,
                        m.reasonCode == null ? null : new MilestoneReason(m.reasonCode, m.reasonSourceCode, m.reasonCodeList),
                        m.podSignedBy == null ? null : new MilestonePod(m.podSignedBy, m.podUnverified == null,
                                m.podUnverified), m.voided ? Boolean.TRUE : null, m.correction)).toList(),
                c.podSignedBy == null ? null : new Pod(c.podSignedBy, c.podSignedAt, c.podDocumentRef),
                c.eta,
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
