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

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ROADWISE webhooks: several updates per call for one shipment reference.
 * <pre>
 * {"carrier_scac": "RDWS", "shipment_ref": "BOL-1", "ref_type": "BOL",
 *  "updates": [{"uid": "u-1", "code": "AD", "ts": 1764694920, "lat": 29.76, "lng": -95.36,
 *               "stop_seq": 2, "signed_by": "J. Doe", "reason": "WX"}]}
 * </pre>
 * Codes: AP/LD/DP at pickup, AD/DL/DD at delivery, DY delayed, EA estimated arrival, EX exception.
 * {@code ref_type} is BOL, PRO, LOAD or PO; {@code ts} is Unix seconds (UTC).
 */
public final class RoadwiseMapper {

    private record Code(MilestoneType milestone, StopType stop) {
    }

    private static final Map<String, Code> CODES = Map.of(
            "AP", new Code(MilestoneType.ARRIVED_PICKUP, StopType.PICKUP),
            "LD", new Code(MilestoneType.LOADING_COMPLETED, StopType.PICKUP),
            "DP", new Code(MilestoneType.DEPARTED_PICKUP, StopType.PICKUP),
            "AD", new Code(MilestoneType.ARRIVED_DELIVERY, StopType.DELIVERY),
            "DL", new Code(MilestoneType.DELIVERED, StopType.DELIVERY),
            "DD", new Code(MilestoneType.DEPARTED_DELIVERY, StopType.DELIVERY),
            "DY", new Code(MilestoneType.DELAYED, null),
            "EA", new Code(MilestoneType.ETA_UPDATED, StopType.DELIVERY),
            "EX", new Code(MilestoneType.EXCEPTION, null));
    private static final Map<String, String> REASONS = Map.of("WX", "WEATHER", "TR", "TRAFFIC", "MB", "MECHANICAL",
            "CC", "CONSIGNEE_RELATED", "DR", "DRIVER_RELATED");

    private RoadwiseMapper() {
    }

    public static List<MilestoneRequest> map(String partnerId, JsonNode body) throws WebhookMappingException {
        List<Problem.FieldError> errors = new ArrayList<>();
        String ref = TruckstreamMapper.text(body, "shipment_ref", "$.shipment_ref", errors);
        String refType = TruckstreamMapper.text(body, "ref_type", "$.ref_type", errors);
        MilestoneRequest.Keys keys = null;
        if (ref != null && refType != null) {
            keys = switch (refType) {
                case "BOL" -> new MilestoneRequest.Keys(null, null, null, ref, null, null);
                case "PRO" -> new MilestoneRequest.Keys(null, null, null, null, ref, null);
                case "LOAD" -> new MilestoneRequest.Keys(null, null, ref, null, null, null);
                case "PO" -> new MilestoneRequest.Keys(null, null, null, null, null, ref);
                default -> {
                    errors.add(new Problem.FieldError("$.ref_type", "unknown-value",
                            "must be BOL, PRO, LOAD or PO, not '" + refType + "'"));
                    yield null;
                }
            };
        }
        JsonNode updates = body.path("updates");
        if (!updates.isArray() || updates.isEmpty()) {
            errors.add(new Problem.FieldError("$.updates", "required", "must be a non-empty array"));
        }
        List<MilestoneRequest> out = new ArrayList<>();
        for (int i = 0; updates.isArray() && i < updates.size(); i++) {
            JsonNode u = updates.get(i);
            String at = "$.updates[" + i + "]";
            String uid = TruckstreamMapper.text(u, "uid", at + ".uid", errors);
            String codeText = TruckstreamMapper.text(u, "code", at + ".code", errors);
            Code code = codeText == null ? null : CODES.get(codeText);
            if (codeText != null && code == null) {
                errors.add(new Problem.FieldError(at + ".code", "unknown-value", "unknown ROADWISE code '" + codeText
                        + "'"));
            }
            if (!u.path("ts").canConvertToLong()) {
                errors.add(new Problem.FieldError(at + ".ts", "required", "must be Unix seconds"));
            }
            if (code == null || uid == null || !u.path("ts").canConvertToLong() || keys == null) {
                continue;
            }
            OffsetDateTime time = Instant.ofEpochSecond(u.get("ts").asLong()).atOffset(ZoneOffset.UTC);
            String signer = TruckstreamMapper.opt(u, "signed_by");
            String reasonCode = TruckstreamMapper.opt(u, "reason");
            Location location = u.hasNonNull("lat") || u.hasNonNull("stop_seq")
                    ? new Location(null, null, null, u.hasNonNull("lat") ? u.get("lat").asDouble() : null,
                            u.hasNonNull("lng") ? u.get("lng").asDouble() : null,
                            u.hasNonNull("stop_seq") ? u.get("stop_seq").asInt() : null, code.stop())
                    : null;
            out.add(new MilestoneRequest(uid, SourceSystem.TMS_WEBHOOK, partnerId, code.milestone(),
                    "EA".equals(codeText) ? Classifier.ESTIMATED : Classifier.ACTUAL, time, codeText, keys, location,
                    reasonCode == null ? null : new Reason(REASONS.getOrDefault(reasonCode, "OTHER"), reasonCode,
                            "ROADWISE", null),
                    signer == null ? null : new MilestoneRequest.Pod(signer, time, null, null), null));
        }
        if (!errors.isEmpty()) {
            throw new WebhookMappingException(errors);
        }
        return out;
    }
}
