package com.logisync.serviceview.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** When a stage of a shipment's business transaction completed, in which service, under which trace. */
@Entity
@Table(name = "transaction_stage")
public class TransactionStage {

    @Embeddable
    public record Key(@Column(name = "shipment_id") String shipmentId,
            @Enumerated(EnumType.STRING) @Column(name = "stage") Stage stage) implements Serializable {
    }

    @EmbeddedId
    public Key id;
    @Column(name = "completed_at")
    public Instant completedAt;
    public String service;
    @Column(name = "trace_id")
    public String traceId;
    @Column(name = "event_id")
    public String eventId;
}
