package com.logisync.contracts.milestone;

/**
 * Canonical milestones. {@link #progressRank()} orders the ones that move a shipment forward;
 * informational milestones (rank 0) never become the shipment's status.
 */
public enum MilestoneType {
    DISPATCHED(10),
    APPOINTMENT_SET(0),
    ARRIVED_PICKUP(20),
    LOADING_COMPLETED(30),
    DEPARTED_PICKUP(40),
    IN_TRANSIT(50),
    ARRIVED_TERMINAL(50),
    DEPARTED_TERMINAL(50),
    OUT_FOR_DELIVERY(60),
    ARRIVED_DELIVERY(70),
    DELIVERY_ATTEMPTED(75),
    DELIVERY_NOT_COMPLETED(75),
    REFUSED(75),
    DELIVERED(90),
    DEPARTED_DELIVERY(95),
    CANCELLED(100),
    DELAYED(0),
    ETA_UPDATED(0),
    EXCEPTION(0),
    POD_RECEIVED(0),
    POSITION(0);

    private final int progressRank;

    MilestoneType(int progressRank) {
        this.progressRank = progressRank;
    }

    public int progressRank() {
        return progressRank;
    }

    public boolean movesStatus() {
        return progressRank > 0;
    }
}
