package com.logisync.milestone.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.StopType;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.runtime.rest.Problem;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TRUCKSTREAM webhooks: one event per call.
 * <pre>
 * {"event": {"id": "ts-8812", "type": "ARRIVAL", "occurredAt": "2026-12-02T15:42:00-06:00",
 *   "stop": {"type": "DELIVERY", "sequence": 2, "name": "Store 17", "code": "USHOU", "lat": 29.76, "lng": -95.36},
 *   "shipment": {"loadNumber": "LD-1", "bol": "BOL-1", "pro": "PRO-1", "po": "PO-1"},
 *   "pod": {"signer": "J. Doe", "signedAt": "…", "documentUrl": "…"},
 *   "delay": {"reasonCode": "WEATHER", "description": "…"}, "classifier": "ESTIMATED"}}
 * </pre>
 * Types: ARRIVAL, LOADED, DEPARTURE (at the stop's type), DELIVERED, DELAY, ETA, EXCEPTION.
 */
public final class TruckstreamMapper {

    private static final Map<String, String> REASONS = Map.of("WEATHER", "WEATHER", "TRAFFIC", "TRAFFIC",
            "BREAKDOWN", "MECHANICAL", "CUSTOMER", "CONSIGNEE_RELATED", "DRIVER", "DRIVER_RELATED");

    private TruckstreamMapper() {
    }

    public static List<MilestoneRequest> map(String partnerId, JsonNode body) throws WebhookMappingException {
        List<Problem.FieldError> errors = new ArrayList<>();
        JsonNode e = body.path("event");
        if (!e.isObject()) {
            throw new WebhookMappingException(List.of(new Problem.FieldError("$.event", "required", "must be an object")));
        }
        String id = text(e, "id", "$.event.id", errors);
        String type = text(e, "type", "$.event.type", errors);
        OffsetDateTime at = time(e.path("occurredAt"), "$.event.occurredAt", errors);
        JsonNode stop = e.path("stop");
        StopType stopType = null;
        if (stop.hasNonNull("type")) {
            try {
                stopType = StopType.valueOf(stop.get("type").asText());
            } catch (IllegalArgumentException ex) {
                errors.add(new Problem.FieldError("$.event.stop.type", "unknown-value", "no such stop type: "
                        + stop.get("type").asText()));
            }
        }
        MilestoneType milestone = type == null ? null : milestone(type, stopType, errors);
        JsonNode s = e.path("shipment");
        MilestoneRequest.Keys keys = new MilestoneRequest.Keys(null, null, opt(s, "loadNumber"), opt(s, "bol"),
                opt(s, "pro"), opt(s, "po"));
        if (!keys.isAnyKey()) {
            errors.add(new Problem.FieldError("$.event.shipment", "required",
                    "must carry loadNumber, bol, pro or po"));
        }
        MilestoneRequest.Pod pod = null;
        JsonNode p = e.path("pod");
        if (p.isObject()) {
            OffsetDateTime signedAt = time(p.path("signedAt"), "$.event.pod.signedAt", errors);
            pod = new MilestoneRequest.Pod(text(p, "signer", "$.event.pod.signer", errors), signedAt,
                    opt(p, "documentUrl"), opt(p, "exceptions"));
        }
        if (!errors.isEmpty()) {
            throw new WebhookMappingException(errors);
        }
        Reason reason = null;
        JsonNode d = e.path("delay");
        if (d.isObject()) {
            String code = opt(d, "reasonCode");
            reason = new Reason(code == null ? null : REASONS.getOrDefault(code, "OTHER"), code, "TRUCKSTREAM",
                    opt(d, "description"));
        }
        Location location = stop.isObject() ? new Location(opt(stop, "name"), opt(stop, "code"), null,
                stop.hasNonNull("lat") ? stop.get("lat").asDouble() : null,
                stop.hasNonNull("lng") ? stop.get("lng").asDouble() : null,
                stop.hasNonNull("sequence") ? stop.get("sequence").asInt() : null, stopType) : null;
        Classifier classifier = "ETA".equals(type) ? Classifier.ESTIMATED : Classifier.ACTUAL;
        return List.of(new MilestoneRequest(id, SourceSystem.TMS_WEBHOOK, partnerId, milestone, classifier, at, type,
                keys, location, reason, pod, null));
    }

    private static MilestoneType milestone(String type, StopType stop, List<Problem.FieldError> errors) {
        boolean pickup = stop == StopType.PICKUP;
        switch (type) {
            case "ARRIVAL":
                return pickup ? MilestoneType.ARRIVED_PICKUP : stop == StopType.TERMINAL ? MilestoneType.ARRIVED_TERMINAL
                        : MilestoneType.ARRIVED_DELIVERY;
            case "LOADED":
                return MilestoneType.LOADING_COMPLETED;
            case "DEPARTURE":
                return pickup ? MilestoneType.DEPARTED_PICKUP : stop == StopType.TERMINAL ? MilestoneType.DEPARTED_TERMINAL
                        : MilestoneType.DEPARTED_DELIVERY;
            case "DELIVERED":
                return MilestoneType.DELIVERED;
            case "DELAY":
                return MilestoneType.DELAYED;
            case "ETA":
                return MilestoneType.ETA_UPDATED;
            case "EXCEPTION":
                return MilestoneType.EXCEPTION;
            default:
                errors.add(new Problem.FieldError("$.event.type", "unknown-value", "unknown TRUCKSTREAM event type '"
                        + type + "'"));
                return null;
        }
    }

    static String text(JsonNode node, String field, String path, List<Problem.FieldError> errors) {
        String v = opt(node, field);
        if (v == null) {
            errors.add(new Problem.FieldError(path, "required", "is required"));
        }
        return v;
    }

    static String opt(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static OffsetDateTime time(JsonNode v, String path, List<Problem.FieldError> errors) {
        if (v.isMissingNode() || v.isNull()) {
            errors.add(new Problem.FieldError(path, "required", "is required"));
            return null;
        }
        try {
            return OffsetDateTime.parse(v.asText());
        } catch (DateTimeParseException ex) {
            errors.add(new Problem.FieldError(path, "invalid-format", "is not an ISO-8601 time with offset"));
            return null;
        }
    }
}
