package com.logisync.milestone.service;

import com.logisync.contracts.event.ContractUpdated;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.OrderAmended;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.milestone.model.ShipmentContext;
import com.logisync.milestone.repository.ShipmentContextRepository;
import com.logisync.milestone.repository.ShipmentReferenceRepository;
import com.logisync.runtime.messaging.IncomingEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps milestone-service's copy of each shipment's order context (keys, stop windows, trace) from
 * the orders topic, and releases milestones that were parked waiting for it.
 */
@ApplicationScoped
public class OrderContextProjection {

    private static final String ADD_REFERENCE = "insert into shipment_reference (ref_key, shipment_id)"
            + " values (:refKey, :shipmentId) on conflict (ref_key, shipment_id) do nothing";

    private static final Logger LOG = Logger.getLogger(OrderContextProjection.class);

    private final ShipmentContextRepository contexts;
    private final ShipmentReferenceRepository references;
    private final MilestoneIngestion ingestion;
    private final MilestoneCorrections corrections;

    public OrderContextProjection(ShipmentContextRepository contexts, ShipmentReferenceRepository references,
            MilestoneIngestion ingestion, MilestoneCorrections corrections) {
        this.contexts = contexts;
        this.references = references;
        this.ingestion = ingestion;
        this.corrections = corrections;
    }

    /** Applies one orders-topic event, in the consumer's transaction. */
    public Uni<Void> apply(IncomingEvent event) {
        String shipmentId = event.shipmentId();
        if (event.payload() instanceof ContractUpdated) {
            return Uni.createFrom().voidItem(); // contracts are billing's: detention is priced there
        }
        if (shipmentId == null) {
            return Uni.createFrom().voidItem();
        }
        return contexts.lockOrCreate(shipmentId)
                .chain(ctx -> {
                    if (event.payload() instanceof OrderReleased released) {
                        ctx.orderId = released.correlation().orderId();
                        ctx.customerId = released.correlation().customerId();
                        if (ctx.orderAmendment == 0) {
                            applyStops(ctx, released.stops());
                        }
                    } else if (event.payload() instanceof OrderAmended amended) {
                        // New windows change how late a milestone is; an older amendment arriving late is ignored.
                        if (amended.amendment() > ctx.orderAmendment) {
                            ctx.orderAmendment = amended.amendment();
                            ctx.orderId = amended.correlation().orderId();
                            ctx.customerId = amended.correlation().customerId();
                            applyStops(ctx, amended.stops());
                        }
                    } else if (event.payload() instanceof DispatchAccepted accepted) {
                        boolean carrierNamed = ctx.carrier == null && accepted.dispatch().carrier() != null;
                        ctx.loadId = accepted.dispatch().loadId();
                        ctx.carrier = accepted.dispatch().carrier();
                        Uni<Void> assigned = accepted.dispatch().vehicle() == null ? Uni.createFrom().voidItem()
                                : assignVehicle(accepted.dispatch().vehicle(), shipmentId, accepted.acceptedAt());
                        // A POD the carrier's partner reported while this dispatch was still on its way is
                        // judged again now that the carrier is known.
                        return assigned.chain(() -> afterApply(ctx, event, shipmentId))
                                .chain(() -> carrierNamed ? corrections.verifyPodsAwaitingCarrier(ctx, ctx.traceparent)
                                        : Uni.createFrom().voidItem());
                    }
                    return afterApply(ctx, event, shipmentId);
                });
    }

    /** Keeps the shipment's trace and keys, and releases the milestones parked for any of the keys. */
    private Uni<Void> afterApply(ShipmentContext ctx, IncomingEvent event, String shipmentId) {
        if (ctx.traceparent == null) {
            ctx.traceparent = event.traceparent();
        }
        ctx.updatedAt = event.time();
        List<String> keys = refKeys(event.shipmentEvent().correlation());
        return addReferences(shipmentId, keys)
                .chain(() -> ingestion.releaseParked(ctx, keys))
                .replaceWithVoid();
    }

    private static final String ASSIGN = "insert into vehicle_assignment (vehicle_id, shipment_id, assigned_at)"
            + " values (:v, :s, :at) on conflict (vehicle_id) do update set shipment_id = excluded.shipment_id,"
            + " assigned_at = excluded.assigned_at where vehicle_assignment.assigned_at <= excluded.assigned_at";

    /** The vehicle now serves this shipment (a later dispatch of the vehicle wins over an older one). */
    private Uni<Void> assignVehicle(String vehicle, String shipmentId, java.time.Instant at) {
        return Panache.getSession().chain(s -> s.createNativeQuery(ASSIGN).setParameter("v", vehicle)
                .setParameter("s", shipmentId)
                .setParameter("at", (at == null ? java.time.Instant.now() : at).atOffset(java.time.ZoneOffset.UTC))
                .executeUpdate()).replaceWithVoid();
    }

    private static void applyStops(ShipmentContext ctx, List<Stop> stops) {
        boolean firstPickup = true;
        for (Stop stop : stops) {
            if (stop.type() == StopType.PICKUP && firstPickup) {
                firstPickup = false;
                ctx.pickupWindowStart = stop.window().start();
                ctx.pickupWindowEnd = stop.window().end();
                ctx.pickupZone = stop.zoneId();
            } else if (stop.type() == StopType.DELIVERY) {
                ctx.deliveryWindowStart = stop.window().start();
                ctx.deliveryWindowEnd = stop.window().end();
                ctx.deliveryZone = stop.zoneId();
                ctx.deliveryStopSequence = stop.sequence();
            }
        }
    }

    private static List<String> refKeys(Correlation c) {
        List<String> keys = new ArrayList<>();
        keys.add("SHIPMENT:" + c.shipmentId());
        if (c.orderId() != null) {
            keys.add("ORDER:" + c.orderId());
        }
        if (c.loadId() != null) {
            keys.add("LOAD:" + c.loadId());
        }
        for (ExternalReference r : c.references()) {
            keys.add(r.type().name() + ":" + r.value());
        }
        return keys;
    }

    /**
     * Registers the shipment's keys. A key never moves from one shipment to another: one that already
     * names another shipment (a PO split over loads, a reused BOL) now names both, and a report that
     * resolves only through it is parked AMBIGUOUS for ops instead of being attached to either.
     */
    private Uni<Void> addReferences(String shipmentId, List<String> keys) {
        // Parking takes the same key locks, so a report is either parked before we look (and released
        // below) or sees these keys and is recorded: never missed by both.
        Uni<Void> chain = references.lockKeys(keys);
        for (String key : keys) {
            chain = chain.chain(() -> Panache.getSession().chain(session -> session.createNativeQuery(ADD_REFERENCE)
                    .setParameter("refKey", key).setParameter("shipmentId", shipmentId).executeUpdate()))
                    .chain(inserted -> inserted == 0 ? Uni.createFrom().voidItem()
                            : references.shipmentsOf(key).invoke(shipments -> {
                                if (shipments.size() > 1) {
                                    LOG.infof("Key %s names %d shipments %s: a report by it alone is AMBIGUOUS", key,
                                            shipments.size(), shipments);
                                }
                            }).replaceWithVoid());
        }
        return chain;
    }
}
