package com.logisync.milestone.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.runtime.rest.Problem;

import java.util.List;

/** The answer to a batch: counts, and one result per item in the order sent. */
public record BatchResult(int received, int recorded, int parked, int duplicates, int rejected, List<Item> items) {

    public enum Outcome {
        RECORDED, PARKED, DUPLICATE, REJECTED
    }

    /** One item's fate; a rejected item says every reason, the others what happened to the milestone. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, Outcome outcome, String eventId, String shipmentId, Long delayMinutes, Boolean late,
            Boolean outOfOrder, List<Problem.FieldError> errors) {
    }

    public static BatchResult of(List<Item> items) {
        int[] counts = new int[Outcome.values().length];
        items.forEach(i -> counts[i.outcome().ordinal()]++);
        return new BatchResult(items.size(), counts[0], counts[1], counts[2], counts[3], items);
    }
}
