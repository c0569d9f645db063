package com.logisync.billing.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * An actual arrival or departure reported at a stop (sequence 0 when the report named none); a
 * correction re-times or voids it.
 */
@Entity
@Table(name = "billing_stop_event")
public class BillingStopEvent {

    public static final String ARRIVAL = "ARRIVAL";
    public static final String DEPARTURE = "DEPARTURE";

    @Id
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "shipment_id")
    public String shipmentId;
    @Column(name = "stop_sequence")
    public int stopSequence;
    @Column(name = "stop_type")
    public String stopType;
    public String kind;
    public Instant at;
    public boolean voided;
}
