package com.logisync.milestone.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.runtime.rest.Problem;

import java.util.List;

/** The answer to a batch: counts, and one result per item in the order sent. */
public record BatchResult(int received, int recorded, int parked, int duplicates, int rejected, int ambiguous,
        List<Item> items) {

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "BatchItemOutcome")
    public enum Outcome {
        RECORDED, PARKED, DUPLICATE, REJECTED, AMBIGUOUS
    }

    /** One item's fate; a rejected item says every reason, the others what happened to the milestone. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "BatchItemResult")
    public record Item(int index, Outcome outcome, String eventId, String shipmentId, Long delayMinutes, Boolean late,
            Boolean outOfOrder, List<Problem.FieldError> errors, List<String> candidates) {

        public Item(int index, Outcome outcome, String eventId, String shipmentId, Long delayMinutes, Boolean late,
                Boolean outOfOrder, List<Problem.FieldError> errors) {
            this(index, outcome, eventId, shipmentId, delayMinutes, late, outOfOrder, errors, null);
        }

        /** The item's answer from what ingestion said of it. */
        public static Item of(int index, MilestoneAccepted a) {
            return new Item(index, Outcome.valueOf(a.outcome().name()), a.eventId(), a.shipmentId(), a.delayMinutes(),
                    a.late(), a.outOfOrder(), null, a.candidates());
        }
    }

    /**
     * The answer's JSON as the services' mapper writes it (its members in declaration order, an item's nulls left
     * out), by hand: Jackson's reflective writing of up to 1,000 items was 2.8 % of milestone-service's CPU on the
     * benchmark (async-profiler, 2026-12-04). {@code BatchResultTest} compares the two on random answers.
     */
    public String toJson() {
        com.logisync.runtime.json.JsonAppender json = com.logisync.runtime.json.JsonAppender.start()
                .always("received", received).always("recorded", recorded).always("parked", parked)
                .always("duplicates", duplicates).always("rejected", rejected).always("ambiguous", ambiguous);
        json.startArray("items");
        for (Item item : items) {
            json.startElementObject().always("index", item.index()).field("outcome", item.outcome())
                    .field("eventId", item.eventId()).field("shipmentId", item.shipmentId())
                    .field("delayMinutes", item.delayMinutes()).field("late", item.late())
                    .field("outOfOrder", item.outOfOrder());
            if (item.errors() != null) {
                json.startArray("errors");
                for (Problem.FieldError e : item.errors()) {
                    json.startElementObject().field("field", e.field()).field("code", e.code())
                            .field("message", e.message()).endObject();
                }
                json.endArray();
            }
            if (item.candidates() != null) {
                json.startArray("candidates");
                item.candidates().forEach(json::element);
                json.endArray();
            }
            json.endObject();
        }
        return json.endArray().finish();
    }

    public static BatchResult of(List<Item> items) {
        int[] counts = new int[Outcome.values().length];
        items.forEach(i -> counts[i.outcome().ordinal()]++);
        return new BatchResult(items.size(), counts[0], counts[1], counts[2], counts[3], counts[4], items);
    }
}
