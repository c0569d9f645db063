package com.logisync.serviceview.model;

import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A milestone on a case's timeline. */
@Entity
@Table(name = "case_milestone")
public class CaseMilestone {

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
    @Column(name = "location_name")
    public String locationName;
    @Column(name = "delay_minutes")
    public long delayMinutes;
    public boolean late;
    @Column(name = "out_of_order")
    public boolean outOfOrder;
    @Column(name = "source_system")
    public String sourceSystem;
    @Column(name = "partner_id")
    public String partnerId;
}
