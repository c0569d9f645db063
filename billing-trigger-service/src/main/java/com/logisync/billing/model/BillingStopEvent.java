package com.logisync.billing.model;

import java.time.Instant;

/**
 * An actual arrival or departure reported at a stop (sequence 0 when the report named none); a
 * correction re-times or voids it. A row of {@code billing_stop_event}, written and read by
 * {@code StopDetention} with plain statements (not an entity).
 */
public class BillingStopEvent {

    public static final String ARRIVAL = "ARRIVAL";
    public static final String DEPARTURE = "DEPARTURE";

    public String eventId;
    public String shipmentId;
    public int stopSequence;
    public String stopType;
    public String kind;
    public Instant at;
    public boolean voided;
}
