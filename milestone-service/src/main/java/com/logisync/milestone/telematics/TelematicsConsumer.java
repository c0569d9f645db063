package com.logisync.milestone.telematics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.PositionReported;
import com.logisync.milestone.config.TelematicsConfig;
import com.logisync.runtime.outbox.Outbox;
import com.logisync.contracts.event.AccessorialCaptured;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.StopType;
import com.logisync.milestone.model.ShipmentContext;
import com.logisync.milestone.repository.ShipmentContextRepository;
import com.logisync.milestone.repository.ShipmentReferenceRepository;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.milestone.service.AccessorialCapture;
import com.logisync.milestone.service.MilestoneIngestion;
import com.logisync.runtime.messaging.IdempotentConsumer;
import com.logisync.runtime.messaging.PoisonEventException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Driver-app and telematics events from {@code logisync.telematics.v1}, keyed by vehicle, JSON with a
 * {@code type}:
 * <ul>
 * <li>{@code GEOFENCE} (enter/exit at a stop) becomes ARRIVED_/DEPARTED_PICKUP or _DELIVERY;</li>
 * <li>{@code POD} (captured in the driver app) becomes DELIVERED with the proof of delivery;</li>
 * <li>{@code POSITION} only updates the vehicle's last known position (the ETA input); it is not
 * published;</li>
 * <li>{@code ACCESSORIAL} (liftgate, lumper with its receipt, …) becomes {@code AccessorialCaptured}.</li>
 * </ul>
 * The shipment is the event's {@code loadId} (an unknown one parks the milestone until its order
 * arrives), or else the vehicle's current dispatch. Without a load reference, a record whose vehicle has
 * no known dispatch yet (the orders consumer lags), a pickup-stop record after the vehicle's last known
 * shipment was delivered, or a second driver-app POD for a single-drop shipment (in both cases its next
 * load, not known yet), is parked ({@code telematics_parked},
 * transient, never poison) and tried again until the vehicle's dispatch is known
 * ({@link TelematicsParking}): a new load's geofence or POD never lands on the previous shipment. A record
 * that can never be processed (not JSON, unknown type, missing fields) goes to the DLQ with the reason;
 * a transient failure is retried with backoff.
 */
@ApplicationScoped
public class TelematicsConsumer implements com.logisync.runtime.deadletter.Redrivable {

    private static final Logger LOG = Logger.getLogger(TelematicsConsumer.class);
    private static final Set<String> RECEIPT_REQUIRED = Set.of("UNL", "LMP");
    private static final String LAST_ASSIGNMENT = "select shipment_id from vehicle_assignment where vehicle_id = :v";
    /** Whether this vehicle's driver app has given the shipment a POD (another one than this record). */
    private static final String DRIVER_POD_GIVEN = "select count(*) from milestone where shipment_id = :s"
            + " and milestone = 'DELIVERED' and event_id like :prefix and event_id <> :id";

    /** What a record without a load reference tells about the vehicle's next load. */
    private enum Hint {
        /** Nothing: it belongs to the vehicle's current shipment. */
        NONE,
        /** A pickup-stop event: after the last shipment's delivery, it is the next load's. */
        PICKUP,
        /** A POD: after this driver app's POD for a single-drop shipment, it is the next load's. */
        POD
    }
    private static final String PARK = "insert into telematics_parked (vehicle_id, event_id, record, reported_at,"
            + " seen_shipment, reason) values (:v, :e, :r, :at, :seen, :why) on conflict (vehicle_id, event_id) do update"
            + " set seen_shipment = excluded.seen_shipment, reason = excluded.reason, parked_at = now()";

    /** Runs {@code then} with the record's keys, unless the record was parked (no keys). */
    private static Uni<Void> whenKnown(Uni<MilestoneRequest.Keys> keys,
            java.util.function.Function<MilestoneRequest.Keys, Uni<?>> then) {
        return keys.chain(k -> k == null ? Uni.createFrom().voidItem() : then.apply(k).replaceWithVoid());
    }
    private static final String POSITION = "insert into vehicle_position (vehicle_id, shipment_id, latitude, longitude,"
            + " speed_kph, heading_deg, reported_at, received_at) values (:v, :s, :lat, :lon, :speed, :heading, :at, now())"
            + " on conflict (vehicle_id) do update set shipment_id = excluded.shipment_id, latitude = excluded.latitude,"
            + " longitude = excluded.longitude, speed_kph = excluded.speed_kph, heading_deg = excluded.heading_deg,"
            + " reported_at = excluded.reported_at, received_at = excluded.received_at,"
            // a vehicle dispatched for another shipment: that shipment's first position is published at once
            + " published_reported_at = case when vehicle_position.shipment_id is distinct from excluded.shipment_id"
            + " then null else vehicle_position.published_reported_at end"
            + " where vehicle_position.reported_at < excluded.reported_at";
    /** Claims the vehicle's current position for publication when the last published one is old enough. */
    private static final String CLAIM_FOR_PUBLICATION = "update vehicle_position set published_reported_at = reported_at"
            + " where vehicle_id = :v and shipment_id is not null and (published_reported_at is null"
            + " or reported_at >= published_reported_at + make_interval(secs => :every))"
            + " returning shipment_id, latitude, longitude, speed_kph, heading_deg, reported_at";

    private final ObjectMapper mapper;
    private final MilestoneIngestion ingestion;
    private final AccessorialCapture accessorials;
    private final ShipmentReferenceRepository references;
    private final ShipmentContextRepository contexts;
    private final IdempotentConsumer consumer;
    private final Outbox outbox;
    private final java.time.Duration positionEvery;

    public TelematicsConsumer(ObjectMapper mapper, MilestoneIngestion ingestion, AccessorialCapture accessorials,
            ShipmentReferenceRepository references, ShipmentContextRepository contexts, IdempotentConsumer consumer,
            Outbox outbox, TelematicsConfig config) {
        this.outbox = outbox;
        this.positionEvery = config.positionEvery();
        this.mapper = mapper;
        this.ingestion = ingestion;
        this.accessorials = accessorials;
        this.references = references;
        this.contexts = contexts;
        this.consumer = consumer;
    }

    @Incoming("telematics-in")
    public Uni<Void> onTelematics(ConsumerRecord<String, String> record) {
        return consumer.deadLetterOnFailure(record, process(record));
    }

    @Override
    public java.util.List<String> topics() {
        return java.util.List.of(com.logisync.contracts.Topics.TELEMATICS);
    }

    @Override
    public Uni<Void> redrive(ConsumerRecord<String, String> record) {
        return process(record);
    }

    private Uni<Void> process(ConsumerRecord<String, String> record) {
        JsonNode json;
        try {
            json = mapper.readTree(record.value() == null ? "" : record.value());
        } catch (Exception e) {
            return poison("Unreadable telematics record (not JSON): " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            return poison("Unreadable telematics record: not a JSON object");
        }
        String type = text(json, "type");
        String vehicle = text(json, "vehicleId") != null ? text(json, "vehicleId") : record.key();
        Instant at = instant(json, "at");
        if (type == null || vehicle == null || at == null) {
            return poison("Telematics record needs type, vehicleId (or the record key) and at (ISO-8601)");
        }
        return consumer.retrying("telematics " + type + " of " + vehicle, () -> switch (type) {
                    case "GEOFENCE" -> geofence(json, vehicle, at);
                    case "POD" -> pod(json, vehicle, at);
                    case "POSITION" -> position(json, vehicle, at);
                    case "ACCESSORIAL" -> accessorial(json, vehicle, at);
                    default -> poison("Unknown telematics type '" + type + "'");
                });
    }

    private Uni<Void> geofence(JsonNode json, String vehicle, Instant at) {
        JsonNode fence = json.path("fence");
        String transition = text(fence, "transition");
        StopType stop = stopType(text(fence, "stopType"));
        String eventId = text(json, "eventId");
        if (eventId == null || stop == null || !("ENTER".equals(transition) || "EXIT".equals(transition))
                || !(stop == StopType.PICKUP || stop == StopType.DELIVERY)) {
            return poison("GEOFENCE needs eventId, fence.stopType PICKUP|DELIVERY and fence.transition ENTER|EXIT");
        }
        boolean enter = "ENTER".equals(transition);
        MilestoneType milestone = stop == StopType.PICKUP
                ? (enter ? MilestoneType.ARRIVED_PICKUP : MilestoneType.DEPARTED_PICKUP)
                : (enter ? MilestoneType.ARRIVED_DELIVERY : MilestoneType.DEPARTED_DELIVERY);
        Location location = new Location(text(fence, "name"), text(fence, "locationCode"), null,
                json.hasNonNull("lat") ? json.get("lat").asDouble() : null,
                json.hasNonNull("lon") ? json.get("lon").asDouble() : null,
                fence.hasNonNull("stopSequence") ? fence.get("stopSequence").asInt() : null, stop);
        return whenKnown(keys(json, vehicle, eventId, at, stop == StopType.PICKUP ? Hint.PICKUP : Hint.NONE), keys -> ingestion.ingestCounted(new MilestoneRequest(eventId,
                SourceSystem.TELEMATICS, vehicle, milestone, Classifier.ACTUAL, at.atOffset(ZoneOffset.UTC),
                "GEOFENCE_" + transition, keys, location, null, null, null)));
    }

    private Uni<Void> pod(JsonNode json, String vehicle, Instant at) {
        String eventId = text(json, "eventId");
        String signedBy = text(json, "signedBy");
        if (eventId == null || signedBy == null) {
            return poison("POD needs eventId and signedBy");
        }
        OffsetDateTime time = at.atOffset(ZoneOffset.UTC);
        return whenKnown(keys(json, vehicle, eventId, at, Hint.POD), keys -> ingestion.ingestCounted(new MilestoneRequest(eventId, SourceSystem.DRIVER_APP,
                vehicle, MilestoneType.DELIVERED, Classifier.ACTUAL, time, "POD", keys,
                new Location(null, null, null, null, null, null, StopType.DELIVERY), null,
                new MilestoneRequest.Pod(signedBy, time, text(json, "documentRef"), text(json, "osdNotes")), null)))
                .replaceWithVoid();
    }

    private Uni<Void> position(JsonNode json, String vehicle, Instant at) {
        if (!json.path("lat").isNumber() || !json.path("lon").isNumber()) {
            return poison("POSITION needs numeric lat and lon");
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(LAST_ASSIGNMENT,
                        String.class).setParameter("v", vehicle).getSingleResultOrNull()
                .chain(shipment -> s.createNativeQuery(POSITION).setParameter("v", vehicle).setParameter("s", shipment)
                        .setParameter("lat", json.get("lat").asDouble()).setParameter("lon", json.get("lon").asDouble())
                        .setParameter("speed", json.hasNonNull("speedKph") ? json.get("speedKph").asDouble() : null)
                        .setParameter("heading", json.hasNonNull("headingDeg") ? json.get("headingDeg").asDouble() : null)
                        .setParameter("at", at.atOffset(ZoneOffset.UTC))
                        .executeUpdate())
                .chain(() -> s.createNativeQuery(CLAIM_FOR_PUBLICATION, Object[].class).setParameter("v", vehicle)
                        .setParameter("every", (double) positionEvery.toSeconds()).getResultList())
                .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().voidItem()
                        : publishPosition(vehicle, claimed.get(0))))).replaceWithVoid();
    }

    /**
     * Publishes the claimed position in the shipment's trace, in the caller's transaction, holding the
     * shipment's lock like every other writer of its events: its outbox rows commit in the shipment's order.
     */
    private Uni<Void> publishPosition(String vehicle, Object[] row) {
        String shipmentId = (String) row[0];
        return contexts.lock(shipmentId).chain(ctx -> {
            if (ctx == null) {
                return Uni.createFrom().voidItem();
            }
            Instant reportedAt = row[5] instanceof OffsetDateTime odt ? odt.toInstant() : (Instant) row[5];
            PositionReported event = new PositionReported(correlation(ctx), vehicle, ((Number) row[1]).doubleValue(),
                    ((Number) row[2]).doubleValue(), row[3] == null ? null : ((Number) row[3]).doubleValue(),
                    row[4] == null ? null : ((Number) row[4]).doubleValue(), reportedAt);
            return outbox.enqueue(event, ctx.traceparent).replaceWithVoid();
        });
    }

    private Uni<Void> accessorial(JsonNode json, String vehicle, Instant at) {
        String eventId = text(json, "eventId");
        String code = text(json, "chargeCode");
        String receipt = text(json, "receiptRef");
        if (eventId == null || code == null) {
            return poison("ACCESSORIAL needs eventId and chargeCode");
        }
        if (RECEIPT_REQUIRED.contains(code) && receipt == null) {
            return poison("ACCESSORIAL " + code + " (lumper) needs a receiptRef");
        }
        BigDecimal quantity = json.path("quantity").isNumber() ? json.get("quantity").decimalValue() : BigDecimal.ONE;
        StopType stop = stopType(text(json, "stopType"));
        return whenKnown(keys(json, vehicle, eventId, at, Hint.NONE), keys -> Panache.withTransaction(() -> references.resolve(keys.refKeys())
                .map(ShipmentReferenceRepository.Resolution::shipmentId)
                .chain(shipmentId -> {
                    if (shipmentId == null) {
                        // The order (or its dispatch) has not reached this service yet: wait for it.
                        return Panache.getSession().chain(s -> park(s, vehicle, eventId, json, at, null,
                                "ACCESSORIAL " + eventId + ": no shipment known yet for " + keys.refKeys()))
                                .replaceWithVoid();
                    }
                    return contexts.lock(shipmentId).chain(ctx -> { // the shipment's lock, like every writer
                        MDC.put("shipmentId", shipmentId);
                        AccessorialCaptured event = new AccessorialCaptured("DRIVER_APP:" + vehicle + ":" + eventId,
                                correlation(ctx), code, quantity, text(json, "unit") == null ? "EACH" : text(json, "unit"),
                                stop, at, null, text(json, "note"), receipt,
                                new Source(SourceSystem.DRIVER_APP, vehicle, eventId, code), Instant.now());
                        return accessorials.driverReported(event, ctx.traceparent);
                    });
                }))).replaceWithVoid();
    }

    private static Correlation correlation(ShipmentContext ctx) {
        return new Correlation(ctx.shipmentId, ctx.orderId, ctx.loadId, null, ctx.customerId, null);
    }

    /**
     * The shipment's keys: the event's load id, or else the shipment the vehicle is dispatched for. The
     * record is parked when no dispatch of the vehicle is known yet; a pickup-stop event when the vehicle's
     * last known shipment was delivered before it happened (a truck at a pickup after its delivery is on its
     * next load, whose dispatch has not reached this service yet); and a POD when this vehicle's driver app
     * already gave the POD of its last known shipment and that shipment has a single delivery stop (a driver
     * signs a drop once: a second POD is the next load's). A POD for a multi-drop shipment without a load
     * reference still goes to the current shipment: nothing tells its drops from the next load's.
     */
    private Uni<MilestoneRequest.Keys> keys(JsonNode json, String vehicle, String eventId, Instant at, Hint hint) {
        String loadId = text(json, "loadId");
        if (loadId != null) {
            return Uni.createFrom().item(new MilestoneRequest.Keys(null, null, loadId, null, null, null));
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(LAST_ASSIGNMENT, String.class)
                        .setParameter("v", vehicle).getSingleResultOrNull()
                        .chain(shipmentId -> shipmentId == null ? Uni.createFrom().<ShipmentContext>nullItem()
                                : contexts.findById(shipmentId))
                        .chain(ctx -> {
                            if (ctx == null) {
                                return park(s, vehicle, eventId, json, at, null, "vehicle " + vehicle
                                        + " is dispatched for no known shipment yet and the record names no loadId");
                            }
                            MilestoneRequest.Keys current = new MilestoneRequest.Keys(ctx.shipmentId, null, null,
                                    null, null, null);
                            if (hint == Hint.PICKUP && ctx.statusMilestone == MilestoneType.DELIVERED
                                    && ctx.statusEventTime != null && at.isAfter(ctx.statusEventTime)) {
                                return park(s, vehicle, eventId, json, at, ctx.shipmentId, "vehicle " + vehicle
                                        + "'s last known shipment " + ctx.shipmentId + " was delivered at "
                                        + ctx.statusEventTime + ", before this record: its next load is not known yet");
                            }
                            boolean singleDrop = ctx.deliveryStopSequence == null || ctx.deliveryStopSequence <= 2;
                            if (hint == Hint.POD && singleDrop && ctx.statusMilestone == MilestoneType.DELIVERED) {
                                String prefix = "DRIVER_APP:" + vehicle + ":";
                                return s.createNativeQuery(DRIVER_POD_GIVEN, Long.class).setParameter("s", ctx.shipmentId)
                                        .setParameter("prefix", prefix.replace("_", "\\_") + "%")
                                        .setParameter("id", prefix + eventId).getSingleResult()
                                        .chain(given -> given > 0 ? park(s, vehicle, eventId, json, at, ctx.shipmentId,
                                                "vehicle " + vehicle + "'s driver already gave the POD of its last known"
                                                        + " shipment " + ctx.shipmentId + ": this POD is its next load's,"
                                                        + " not known yet")
                                                : Uni.createFrom().item(current));
                            }
                            return Uni.createFrom().item(current);
                        })));
    }

    private Uni<MilestoneRequest.Keys> park(org.hibernate.reactive.mutiny.Mutiny.Session s, String vehicle,
            String eventId, JsonNode json, Instant at, String seenShipment, String why) {
        LOG.infof("Telematics %s of %s parked until the vehicle's dispatch is known: %s", eventId, vehicle, why);
        return s.createNativeQuery(PARK).setParameter("v", vehicle).setParameter("e", eventId)
                .setParameter("r", json.toString()).setParameter("at", at.atOffset(ZoneOffset.UTC))
                .setParameter("seen", seenShipment).setParameter("why", why.length() > 300 ? why.substring(0, 300) : why)
                .executeUpdate().replaceWith((MilestoneRequest.Keys) null);
    }

    private static <T> Uni<T> poison(String reason) {
        LOG.warnf("Telematics record sent to the DLQ: %s", reason);
        return Uni.createFrom().failure(new PoisonEventException(reason));
    }

    private static StopType stopType(String s) {
        try {
            return s == null ? null : StopType.valueOf(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String v = text(node, field);
        try {
            return v == null ? null : OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
