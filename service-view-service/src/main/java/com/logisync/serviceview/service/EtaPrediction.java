package com.logisync.serviceview.service;

import java.time.Instant;

/**
 * The delivery estimate when the carrier gave none: the planned delivery moved by the delay the latest
 * report at a stop measured. Stops carry no coordinates, so the last position cannot give a distance
 * to go; the position only says the shipment is moving. Always labelled PREDICTED beside the carrier's.
 */
public final class EtaPrediction {

    private EtaPrediction() {
    }

    /** The planned delivery plus the latest delay, or null without a plan. */
    public static Instant predicted(Instant plannedDelivery, long latestDelayMinutes) {
        if (plannedDelivery == null) {
            return null;
        }
        return plannedDelivery.plusSeconds(Math.max(0, latestDelayMinutes) * 60);
    }
}
