package com.logisync.serviceview.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A proactive service task: one per shipment and reason ({@code <shipmentId>:<reason>}). */
@Entity
@Table(name = "service_task")
public class ServiceTask {

    /**
     * Delay reasons, a refused delivery and a failed delivery attempt are resolved by the delivery; a
     * missed pickup by the pickup; UNVERIFIED_POD only by a POD that proves it; DAMAGE_OSD,
     * CORRECTED_AFTER_INVOICE and SUBSCRIPTION_FAILING only by an agent.
     */
    public enum Reason {
        DELAYED, ETA_PAST_WINDOW, LATE_ARRIVAL, MISSED_PICKUP, REFUSED_DELIVERY, DELIVERY_ATTEMPTED, DAMAGE_OSD,
        UNVERIFIED_POD, CORRECTED_AFTER_INVOICE, SUBSCRIPTION_FAILING
    }

    public enum Severity { LOW, MEDIUM, HIGH }

    @Id
    @Column(name = "task_id")
    public String taskId;
    @Column(name = "shipment_id")
    public String shipmentId;
    @Column(name = "customer_id")
    public String customerId;
    public String reason;
    public String severity;
    @Column(name = "delay_minutes")
    public long delayMinutes;
    @Column(name = "threshold_minutes")
    public int thresholdMinutes;
    public String detail;
    /** OPEN or RESOLVED. */
    public String status;
    /** The event time of the report that opened it (not when it was processed: a replay gives the same task). */
    @Column(name = "opened_at")
    public Instant openedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "resolved_at")
    public Instant resolvedAt;
    @Column(name = "resolved_by")
    public String resolvedBy;
    public String resolution;

    public static String id(String shipmentId, Reason reason) {
        return shipmentId + ":" + reason.name();
    }

    public static Severity severity(long delayMinutes, int thresholdMinutes) {
        if (delayMinutes >= 4L * thresholdMinutes) {
            return Severity.HIGH;
        }
        return delayMinutes >= 2L * thresholdMinutes ? Severity.MEDIUM : Severity.LOW;
    }
}
