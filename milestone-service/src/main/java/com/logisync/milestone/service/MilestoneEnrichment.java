package com.logisync.milestone.service;

import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.milestone.model.ShipmentContext;

import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.TimeResolution;
import com.logisync.contracts.model.StopType;
import com.logisync.milestone.rest.MilestoneRequest;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    /**
     * The event's UTC instant and how it was obtained. A time with an offset is taken as given. A
     * local time without offset (EDI {@code LT}, many telematics feeds) is resolved, in this order,
     * with the zone of the place it was reported from (coordinates or city, where the channel resolved
     * it), with the stop's zone for a milestone at a stop, and otherwise with an assumed zone (the
     * partner's, else the shipment's delivery or pickup stop), flagged ASSUMED and named in zoneId.
     * Without any zone the local time is taken as UTC and marked UNKNOWN.
     */
    public static EventTime resolveTime(ShipmentContext ctx, MilestoneRequest request, String partnerZone) {
        OffsetDateTime t = request.eventTime();
        if (t != null) {
            return new EventTime(t.toInstant(), t.toLocalDateTime(), t.getOffset().getId(),
                    t.getOffset().getTotalSeconds() == 0 ? TimeResolution.SOURCE_UTC : TimeResolution.SOURCE_OFFSET);
        }
        LocalDateTime local = request.localEventTime();
        if (request.localTimeZone() != null && validZone(request.localTimeZone())) {
            return at(local, request.localTimeZone(), TimeResolution.REPORTING_LOCATION);
        }
        StopType stop = request.location() != null && request.location().stopType() != null
                ? request.location().stopType()
                : AT_PICKUP.contains(request.milestone()) ? StopType.PICKUP
                : AT_DELIVERY.contains(request.milestone()) ? StopType.DELIVERY : null;
        String stopZone = stop == StopType.PICKUP ? ctx.pickupZone : stop == StopType.DELIVERY ? ctx.deliveryZone : null;
        if (stopZone != null) {
            return at(local, stopZone, TimeResolution.STOP_ZONE);
        }
        String assumed = partnerZone != null ? partnerZone : ctx.deliveryZone != null ? ctx.deliveryZone : ctx.pickupZone;
        if (assumed != null) {
            return at(local, assumed, TimeResolution.ASSUMED);
        }
        return new EventTime(local.toInstant(ZoneOffset.UTC), local, null, TimeResolution.UNKNOWN);
    }

    private static EventTime at(LocalDateTime local, String zone, TimeResolution resolution) {
        return new EventTime(local.atZone(ZoneId.of(zone)).toInstant(), local, zone, resolution);
    }

    private static boolean validZone(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
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
