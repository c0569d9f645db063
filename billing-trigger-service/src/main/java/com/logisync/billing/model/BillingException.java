package com.logisync.billing.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An exception that holds a shipment's invoice until it is resolved (by a milestone or a clerk). */
@Entity
@Table(name = "billing_exception")
public class BillingException {

    @Id
    @Column(name = "exception_id")
    public String exceptionId;
    @Column(name = "shipment_id")
    public String shipmentId;
    /** EXCEPTION, DAMAGE, REFUSED or DELIVERY_NOT_COMPLETED. */
    public String kind;
    @Column(name = "opened_at")
    public Instant openedAt;
    public String detail;
    @Column(name = "resolved_at")
    public Instant resolvedAt;
    public String resolution;
}
