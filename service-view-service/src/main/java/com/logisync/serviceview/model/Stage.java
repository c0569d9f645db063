package com.logisync.serviceview.model;

/** The stages of a shipment's business transaction, in workflow order. */
public enum Stage {
    ORDER_RELEASED, DISPATCH_ACCEPTED, DISPATCH_FAILED, ORDER_CANCELLED, PICKED_UP, DELIVERED, POD_RECEIVED, BILLING_ELIGIBLE,
    INVOICE_REQUESTED, INVOICE_ISSUED, CRM_VIEW_UPDATED
}
