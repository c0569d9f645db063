package com.logisync.serviceview.model;

import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;

import java.time.Instant;

/**
 * A timeline row a service task may depend on, as the task derivation reads it: the columns of {@link CaseMilestone}
 * it needs, in a plain object. Not the entity: a batch reads thousands of facts, and each field written into an
 * entity class goes through Hibernate's dirty tracking (a tracker and its array of field names per object: 13 % of
 * service-view's allocations on the benchmark's lifecycle mix, async-profiler, 2026-12-03).
 */
public final class TaskFact {

    public String eventId;
    public String shipmentId;
    public MilestoneType milestone;
    public Classifier classifier;
    public Instant eventTime;
    public String locationName;
    public long delayMinutes;
    public String partnerId;
    /** The canonical reason, the source's own code and the code list it comes from (X12-1651 …). */
    public String reasonCode;
    public String reasonSourceCode;
    public String reasonCodeList;
    public String reasonText;
    /** Who signed the POD this milestone carried, verified or not; why it does not prove the delivery. */
    public String podSignedBy;
    public String podUnverified;
    /** Over/short/damage notes written on the POD. */
    public String podOsdNotes;
    /** Voided by a correction: no longer counted. */
    public boolean voided;
}
