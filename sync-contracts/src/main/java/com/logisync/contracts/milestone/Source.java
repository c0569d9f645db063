package com.logisync.contracts.milestone;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Who reported the milestone, and in their own terms. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Source(SourceSystem system, String partnerId, String sourceEventId, String sourceStatusCode) {
}
