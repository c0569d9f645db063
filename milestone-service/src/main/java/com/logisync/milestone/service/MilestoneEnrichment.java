package com.logisync.milestone.service;

import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.milestone.model.ShipmentContext;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** Adds order context to a milestone: which stop's window it is measured against, and how late it is. */
public final class MilestoneEnrichment {

    private static final Set<MilestoneType> AT_PICKUP = EnumSet.of(MilestoneType.ARRIVED_PICKUP,
            MilestoneType.LOADING_COMPLETED, MilestoneType.DEPARTED_PICKUP);
    private static final Set<MilestoneType> AT_DELIVERY = EnumSet.of(MilestoneType.ARRIVED_DELIVERY,
            MilestoneType.DELIVERED, MilestoneType.DEPARTED_DELIVERY, MilestoneType.DELIVERY_ATTEMPTED,
            MilestoneType.DELIVERY_NOT_COMPLETED, MilestoneType.REFUSED, MilestoneType.ETA_UPDATED,
            MilestoneType.OUT_FOR_DELIVERY);

    private MilestoneEnrichment() {
    }

    public static Enrichment enrich(ShipmentContext ctx, MilestoneType milestone, Instant eventTime) {
        TimeWindow window = null;
        Integer stop = null;
        if (AT_PICKUP.contains(milestone) && ctx.pickupWindowEnd != null) {
            window = new TimeWindow(ctx.pickupWindowStart, ctx.pickupWindowEnd);
            stop = 1;
        } else if (AT_DELIVERY.contains(milestone) && ctx.deliveryWindowEnd != null) {
            window = new TimeWindow(ctx.deliveryWindowStart, ctx.deliveryWindowEnd);
            stop = ctx.deliveryStopSequence;
        }
        long delay = window == null ? 0 : window.minutesLate(eventTime);
        return new Enrichment(ctx.customerId, stop, window, delay, delay > 0);
    }
}
