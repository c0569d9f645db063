package com.logisync.milestone.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A milestone that matched no shipment, or several, with the keys it carried ({@code |}-separated). */
@Entity
@Table(name = "parked_milestone")
public class ParkedMilestone {

    @Id
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "ref_keys")
    public String refKeys;
    public String request;
    @Column(name = "received_at")
    public Instant receivedAt;
    /** UNMATCHED (no shipment known yet: released when the order arrives) or AMBIGUOUS (several: for ops). */
    public String status = "UNMATCHED";
    /** For AMBIGUOUS: the shipments its keys name, {@code |}-separated. */
    public String candidates;
    @Column(name = "partner_id")
    public String partnerId;
}
