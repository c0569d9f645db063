package com.logisync.contracts.milestone;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.model.TimeWindow;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Order context milestone-service adds: the stop the milestone belongs to, its window, and how
 * late the milestone is against it.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Enrichment(String customerId, Integer stopSequence, TimeWindow plannedWindow, long delayMinutes,
        boolean late) {
}
