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
    /** The canonical reason, the source's own code and the code list it comes from (X12-1651 …). */
    @Column(name = "reason_code")
    public String reasonCode;
    @Column(name = "reason_source_code")
    public String reasonSourceCode;
    @Column(name = "reason_code_list")
    public String reasonCodeList;
    /** Who signed the POD this milestone carried, verified or not. */
    @Column(name = "pod_signed_by")
    public String podSignedBy;
    /** Why the POD it carried does not prove the delivery; null when it does, or when it carried none. */
    @Column(name = "pod_unverified")
    public String podUnverified;
    /** The event time in its stop's zone, as reported or resolved (ISO local date-time). */
    @Column(name = "local_event_time")
    public String localEventTime;
    @Column(name = "zone_id")
    public String zoneId;
    /** The reason in words, as the source gave it. */
    @Column(name = "reason_text")
    public String reasonText;
    /** Over/short/damage notes written on the POD. */
    @Column(name = "pod_osd_notes")
    public String podOsdNotes;
    /** Voided by a correction: shown, no longer counted. */
    public boolean voided;
    /** What corrections said of it: who, what and why. */
    public String correction;
}
