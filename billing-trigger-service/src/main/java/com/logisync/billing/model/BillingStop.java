package com.logisync.billing.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A stop of the order as released or last amended, with its appointment (the window start). */
@Entity
@Table(name = "billing_stop")
public class BillingStop {

    @Id
    @Column(name = "stop_id")
    public String stopId;
    @Column(name = "shipment_id")
    public String shipmentId;
    @Column(name = "stop_sequence")
    public int stopSequence;
    @Column(name = "stop_type")
    public String stopType;
    @Column(name = "window_start")
    public Instant windowStart;
}
