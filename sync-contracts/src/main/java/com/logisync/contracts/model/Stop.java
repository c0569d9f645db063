package com.logisync.contracts.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A stop of the shipment. {@code zoneId} is the IANA zone the stop reports local times in; it
 * resolves EDI times that carry no offset.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Stop(int sequence, StopType type, String name, String locationCode, Address address, String zoneId,
        TimeWindow window) {
}
