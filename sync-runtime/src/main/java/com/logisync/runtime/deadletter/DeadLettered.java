package com.logisync.runtime.deadletter;

import java.time.Instant;

/**
 * A record this service sent to a dead-letter topic (a CDI event fired by {@link DeadLetters}): its
 * topic, key (the shipment id, for shipment events), event id and why. service-view records those of
 * its own consumers: a shipment whose event the case view could not apply is stuck (CRM_VIEW_NOT_UPDATED).
 */
public record DeadLettered(String topic, String key, String eventId, String reason, Instant at) {
}
