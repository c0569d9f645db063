package com.logisync.billing.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** What billing knows of one shipment: the facts its eligibility rules look at, and where it stands. */
@Entity
@Table(name = "billing_case")
public class BillingCase {

    @Id
    @Column(name = "shipment_id")
    public String shipmentId;
    @Column(name = "order_id")
    public String orderId;
    @Column(name = "customer_id")
    public String customerId;
    @Column(name = "load_id")
    public String loadId;
    @Enumerated(EnumType.STRING)
    public BillingStatus status;
    public boolean cancelled;
    @Column(name = "delivered_at")
    public Instant deliveredAt;
    @Column(name = "delivered_event")
    public String deliveredEvent;
    @Column(name = "pod_signed_by")
    public String podSignedBy;
    @Column(name = "pod_signed_at")
    public Instant podSignedAt;
    @Column(name = "pod_document_ref")
    public String podDocumentRef;
    @Column(name = "pod_received_at")
    public Instant podReceivedAt;
    @Column(name = "eligible_at")
    public Instant eligibleAt;
    /** The lane the shipment is rated on, from its order (as released or last amended). */
    @Column(name = "origin_region")
    public String originRegion;
    @Column(name = "destination_region")
    public String destinationRegion;
    @Column(name = "order_amendment")
    public int orderAmendment;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
