package com.logisync.milestone.model;

import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A recorded milestone; the primary key is the deterministic event id, which is what deduplicates. */
@Entity
@Table(name = "milestone")
public class MilestoneEntry {

    @Id
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "shipment_id")
    public String shipmentId;
    @Enumerated(EnumType.STRING)
    public MilestoneType milestone;
    @Enumerated(EnumType.STRING)
    public Classifier classifier;
    @Column(name = "event_time")
    public Instant eventTime;
    @Column(name = "received_at")
    public Instant receivedAt;
    @Column(name = "delay_minutes")
    public long delayMinutes;
    public boolean late;
    @Column(name = "out_of_order")
    public boolean outOfOrder;
    /** The published MilestoneRecorded payload. */
    public String payload;
    /**
     * The row is its own publication log entry (V13): the CloudEvents id the record is published under (a
     * time-ordered UUID, {@code Outbox#fastUuid}) and the trace it continues. Written by
     * {@code MilestoneRepository#insertAll}; this entity is never persisted or loaded through Hibernate.
     */
    @jakarta.persistence.Transient
    public String ceId;
    @jakarta.persistence.Transient
    public String traceparent;
}
