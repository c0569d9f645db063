package com.logisync.billing.model;

public enum BillingStatus {
    /** Waiting for what the checklist says is missing. */
    OPEN,
    /** Every rule met; BillingEligible published. */
    ELIGIBLE,
    /** Rated and frozen; ERP is being asked for the invoice (retried through outages). */
    INVOICE_REQUESTED,
    /** ERP issued the invoice; InvoiceIssued published. Final. */
    INVOICED,
    /** ERP refused the invoice for good; InvoiceFailed published; a clerk may re-invoice. */
    INVOICE_FAILED,
    CANCELLED
}
