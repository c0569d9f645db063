package com.logisync.contracts.milestone;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.time.LocalDateTime;

/**
 * When the event happened. Never the time LogiSync received it: late and out-of-order events are
 * normal (backfills, store-and-forward devices).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventTime(Instant utc, LocalDateTime local, String zoneId, TimeResolution resolution) {

    public static EventTime ofUtc(Instant utc) {
        return new EventTime(utc, null, null, TimeResolution.SOURCE_UTC);
    }
}
