package com.logisync.contracts;

import com.logisync.contracts.event.AccessorialCaptured;
import com.logisync.contracts.event.BillingCaseUpdated;
import com.logisync.contracts.event.BillingEligible;
import com.logisync.contracts.event.ContractUpdated;
import com.logisync.contracts.event.CustomerUpdated;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.DispatchFailed;
import com.logisync.contracts.event.InvoiceFailed;
import com.logisync.contracts.event.InvoiceIssued;
import com.logisync.contracts.event.InvoiceRequested;
import com.logisync.contracts.event.ServiceTaskEscalated;
import com.logisync.contracts.event.ServiceTaskOpened;
import com.logisync.contracts.event.ServiceTaskResolved;
import com.logisync.contracts.event.MilestoneCorrected;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderAmended;
import com.logisync.contracts.event.OrderCancelled;
import com.logisync.contracts.event.OrderCancellationReverted;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.event.PositionReported;

import java.util.Arrays;
import java.util.Optional;

/**
 * The CloudEvents {@code type} of every LogiSync event, the topic it travels on and the Java
 * payload it carries. Consumers look the payload class up by the {@code ce_type} header.
 */
public enum EventType {
    CUSTOMER_UPDATED("com.logisync.masterdata.customer-updated.v1", Topics.MASTER_DATA, CustomerUpdated.class),
    CONTRACT_UPDATED("com.logisync.masterdata.contract-updated.v1", Topics.MASTER_DATA, ContractUpdated.class),
    ORDER_RELEASED("com.logisync.order.released.v1", Topics.ORDERS, OrderReleased.class),
    DISPATCH_ACCEPTED("com.logisync.order.dispatch-accepted.v1", Topics.ORDERS, DispatchAccepted.class),
    DISPATCH_FAILED("com.logisync.order.dispatch-failed.v1", Topics.ORDERS, DispatchFailed.class),
    ORDER_AMENDED("com.logisync.order.amended.v1", Topics.ORDERS, OrderAmended.class),
    ORDER_CANCELLED("com.logisync.order.cancelled.v1", Topics.ORDERS, OrderCancelled.class),
    ORDER_CANCELLATION_REVERTED("com.logisync.order.cancellation-reverted.v1", Topics.ORDERS,
            OrderCancellationReverted.class),
    MILESTONE_RECORDED("com.logisync.milestone.recorded.v1", Topics.MILESTONES, MilestoneRecorded.class),
    ACCESSORIAL_CAPTURED("com.logisync.milestone.accessorial-captured.v1", Topics.MILESTONES,
            AccessorialCaptured.class),
    POSITION_REPORTED("com.logisync.milestone.position-reported.v1", Topics.MILESTONES, PositionReported.class),
    MILESTONE_CORRECTED("com.logisync.milestone.corrected.v1", Topics.MILESTONES, MilestoneCorrected.class),
    MILESTONE_PARKED("com.logisync.milestone.parked.v1", Topics.MILESTONES,
            com.logisync.contracts.event.MilestoneParked.class),
    BILLING_ELIGIBLE("com.logisync.billing.eligible.v1", Topics.BILLING, BillingEligible.class),
    INVOICE_ISSUED("com.logisync.billing.invoice-issued.v1", Topics.BILLING, InvoiceIssued.class),
    INVOICE_FAILED("com.logisync.billing.invoice-failed.v1", Topics.BILLING, InvoiceFailed.class),
    INVOICE_REQUESTED("com.logisync.billing.invoice-requested.v1", Topics.BILLING, InvoiceRequested.class),
    BILLING_CASE_UPDATED("com.logisync.billing.case-updated.v1", Topics.BILLING, BillingCaseUpdated.class),
    SERVICE_TASK_OPENED("com.logisync.service.task-opened.v1", Topics.SERVICE_TASKS, ServiceTaskOpened.class),
    SERVICE_TASK_ESCALATED("com.logisync.service.task-escalated.v1", Topics.SERVICE_TASKS, ServiceTaskEscalated.class),
    SERVICE_TASK_RESOLVED("com.logisync.service.task-resolved.v1", Topics.SERVICE_TASKS, ServiceTaskResolved.class);

    private final String ceType;
    private final String topic;
    private final Class<? extends LogiSyncEvent> payloadType;

    EventType(String ceType, String topic, Class<? extends LogiSyncEvent> payloadType) {
        this.ceType = ceType;
        this.topic = topic;
        this.payloadType = payloadType;
    }

    public String ceType() {
        return ceType;
    }

    public String topic() {
        return topic;
    }

    public Class<? extends LogiSyncEvent> payloadType() {
        return payloadType;
    }

    /** Every type by its CloudEvents type: looked up once per consumed record. */
    private static final java.util.Map<String, EventType> BY_CE_TYPE;
    static {
        java.util.Map<String, EventType> byCeType = new java.util.HashMap<>();
        for (EventType t : values()) {
            byCeType.put(t.ceType, t);
        }
        BY_CE_TYPE = java.util.Map.copyOf(byCeType);
    }

    public static Optional<EventType> ofCeType(String ceType) {
        return ceType == null ? Optional.empty() : Optional.ofNullable(BY_CE_TYPE.get(ceType));
    }

    public static EventType of(LogiSyncEvent event) {
        return Arrays.stream(values()).filter(t -> t.payloadType == event.getClass()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No event type for " + event.getClass().getName()));
    }
}
