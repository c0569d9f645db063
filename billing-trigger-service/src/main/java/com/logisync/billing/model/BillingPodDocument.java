package com.logisync.billing.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The POD document (image or PDF) uploaded to a billing case; the invoice request references it. */
@Entity
@Table(name = "billing_pod_document")
public class BillingPodDocument {

    @Id
    @Column(name = "shipment_id")
    public String shipmentId;
    @Column(name = "content_type")
    public String contentType;
    @Column(name = "file_name")
    public String fileName;
    @Column(name = "size_bytes")
    public int sizeBytes;
    public String sha256;
    public byte[] content;
    @Column(name = "uploaded_by")
    public String uploadedBy;
    @Column(name = "uploaded_at")
    public Instant uploadedAt;
}
