package com.logisync.serviceview.model;

import com.logisync.contracts.milestone.MilestoneType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One shipment as a service agent sees it. */
@Entity
@Table(name = "shipment_case")
public class ShipmentCase {

    @Id
    @Column(name = "shipment_id")
    public String shipmentId;
    @Column(name = "order_id")
    public String orderId;
    @Column(name = "customer_id")
    public String customerId;
    @Column(name = "service_level")
    public String serviceLevel;
    @Column(name = "pickup_name")
    public String pickupName;
    @Column(name = "delivery_name")
    public String deliveryName;
    /** The end of the first pickup's window: no pickup by then (plus the customer's threshold) is a missed pickup. */
    @Column(name = "pickup_window_end")
    public Instant pickupWindowEnd;
    /** The stops' IANA zones, from the order. */
    @Column(name = "pickup_zone")
    public String pickupZone;
    @Column(name = "delivery_zone")
    public String deliveryZone;
    @Column(name = "delivery_window_start")
    public Instant deliveryWindowStart;
    @Column(name = "delivery_window_end")
    public Instant deliveryWindowEnd;
    @Column(name = "dispatch_status")
    public String dispatchStatus;
    @Column(name = "dispatch_failure")
    public String dispatchFailure;
    @Column(name = "load_id")
    public String loadId;
    @Column(name = "route_id")
    public String routeId;
    public String carrier;
    public String driver;
    public String vehicle;
    @Column(name = "planned_pickup")
    public Instant plannedPickup;
    @Column(name = "planned_delivery")
    public Instant plannedDelivery;
    @Enumerated(EnumType.STRING)
    @Column(name = "status_milestone")
    public MilestoneType statusMilestone;
    @Column(name = "status_event_time")
    public Instant statusEventTime;
    @Column(name = "pod_signed_by")
    public String podSignedBy;
    @Column(name = "pod_signed_at")
    public Instant podSignedAt;
    @Column(name = "pod_document_ref")
    public String podDocumentRef;
    @Column(name = "billing_state")
    public String billingState;
    @Column(name = "eligible_at")
    public Instant eligibleAt;
    @Column(name = "invoice_id")
    public String invoiceId;
    @Column(name = "invoice_total")
    public java.math.BigDecimal invoiceTotal;
    @Column(name = "invoice_currency")
    public String invoiceCurrency;
    /** Why ERP refused the invoice, while it is refused. */
    @Column(name = "invoice_failure")
    public String invoiceFailure;
    /** The latest amendment applied (0 = as released): an older one arriving late is ignored. */
    @Column(name = "order_amendment")
    public int orderAmendment;
    @Column(name = "cancelled_at")
    public Instant cancelledAt;
    @Column(name = "cancel_reason")
    public String cancelReason;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** The rating revision the charges below are from (InvoiceRequested). */
    @Column(name = "invoice_revision")
    public int invoiceRevision;
    /** The charge lines billing asked ERP to invoice, as JSON. */
    @Column(name = "charges_json")
    public String chargesJson;
    /** The latest estimated delivery (ETA_UPDATED / ESTIMATED DELIVERED). */
    public Instant eta;
    /** When that estimate was reported: the latest report wins, whatever the arrival order. */
    @Column(name = "eta_reported_at")
    public Instant etaReportedAt;
    /** The last known position of the vehicle carrying the shipment (PositionReported). */
    @Column(name = "position_latitude")
    public Double positionLatitude;
    @Column(name = "position_longitude")
    public Double positionLongitude;
    @Column(name = "position_speed_kph")
    public Double positionSpeedKph;
    @Column(name = "position_vehicle")
    public String positionVehicle;
    @Column(name = "position_reported_at")
    public Instant positionReportedAt;
    /** The version of the billing case snapshot below (BillingCaseUpdated). */
    @Column(name = "billing_case_version")
    public long billingCaseVersion;
    /** Billing's checklist, accessorials with their decisions and exceptions, as JSON. */
    @Column(name = "billing_case_json")
    public String billingCaseJson;
    /**
     * The view's last update (stage CRM_VIEW_UPDATED, at {@link #updatedAt}): the trace it ran under and the
     * event it applied. Null until the first event is applied.
     */
    @Column(name = "view_trace_id")
    public String viewTraceId;
    @Column(name = "view_event_id")
    public String viewEventId;
}
