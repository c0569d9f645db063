package com.logisync.billing.model;

import java.time.Instant;

/**
 * A stop of the order as released or last amended, with its appointment (the window start): a row of
 * {@code billing_stop}, written and read by {@code StopDetention} with plain statements (not an entity).
 */
public class BillingStop {

    public String stopId;
    public String shipmentId;
    public int stopSequence;
    public String stopType;
    public Instant windowStart;
}
