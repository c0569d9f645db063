package com.logisync.billing.model;

public enum BillingStatus {
    /** Waiting for what the checklist says is missing. */
    OPEN,
    /** Every rule met; BillingEligible published. */
    ELIGIBLE,
    INVOICE_REQUESTED,
    INVOICED,
    CANCELLED
}
