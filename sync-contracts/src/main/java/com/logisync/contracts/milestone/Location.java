package com.logisync.contracts.milestone;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.StopType;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Where a milestone happened: a UN/LOCODE or facility code, an address, coordinates and the stop. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Location(String name, String locationCode, Address address, Double latitude, Double longitude,
        Integer stopSequence, StopType stopType) {
}
