package com.logisync.contracts.security;

/**
 * The roles a LogiSync bearer token carries in its {@code groups} claim, and the claims that narrow
 * what a caller sees. Every API except {@code /q/health}, {@code /q/metrics} and {@code /q/openapi}
 * names the roles it admits; partner webhooks are authenticated by HMAC instead.
 */
public final class Roles {

    /** ERP: orders, customers, contracts. */
    public static final String ERP = "erp";
    /** Carriers and their systems: milestones, batches, X12 214. */
    public static final String CARRIER = "carrier";
    /** Billing clerks: accessorial and exception decisions, the diesel index, re-invoicing. */
    public static final String BILLING_CLERK = "billing-clerk";
    /** Service agents (and customer-portal users, narrowed by {@link #CUSTOMER_CLAIM}): case views, service tasks. */
    public static final String SERVICE_AGENT = "service-agent";
    /** Operations: the transaction monitor, replay. */
    public static final String OPS = "ops";

    /** A token with this claim is a customer-portal user's: it sees only that customer's shipments. */
    public static final String CUSTOMER_CLAIM = "customer";
    /** The partner a carrier token speaks for (rate limits are per partner); defaults to the subject. */
    public static final String PARTNER_CLAIM = "partner";

    public static final String[] ALL = {ERP, CARRIER, BILLING_CLERK, SERVICE_AGENT, OPS};

    private Roles() {
    }
}
