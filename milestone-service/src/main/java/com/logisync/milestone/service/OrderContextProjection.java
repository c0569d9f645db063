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
import com.logisync.runtime.repository.SessionSql;
import com.logisync.runtime.repository.ShipmentRows;
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

    /** Applies one orders-topic event, in the consumer's transaction (a redrive: {@link #applyAll} of one). */
    public Uni<Void> apply(IncomingEvent event) {
        return applyAll(List.of(event));
    }

    private static final String CREATE_ALL = "insert into shipment_context (shipment_id, updated_at)"
            + " select unnest($1::text[]), now() on conflict (shipment_id) do nothing";

    /** Which of these keys an unmatched parked milestone carries: one scan of the parked reports per batch. */
    private static final String PARKED_KEYS = "select distinct k from parked_milestone p,"
            + " unnest(string_to_array(p.ref_keys, '|')) k where p.status = 'UNMATCHED' and k = any($1::text[])";

    /**
     * Applies a polled batch of orders-topic events in order, in the consumer's transaction. Until 2026-12-03 each
     * record was a transaction of its own with about ten statements (the context's lock, a lock and an insert per
     * key, a scan of the parked reports), and seeding 10,000 orders kept the suite busy for minutes
     * (docs/benchmarks.md). Now, for the whole batch: the contexts are created if missing and locked in one
     * statement each, in shipment id order; then the batch's keys are locked in one statement (after the rows, keys
     * sorted, as every holder takes them: {@link ShipmentReferenceRepository#lockKeys}) and registered in one; then
     * each event changes its context in order, and only an event one of whose keys a parked report carries
     * looks for its release ({@link MilestoneIngestion#releaseParked}), as before. The keys are
     * registered before the events' changes instead of after each one: within one transaction nobody sees the
     * difference, and a key is never removed.
     */
    public Uni<Void> applyAll(List<IncomingEvent> events) {
        java.util.TreeSet<String> shipmentIds = new java.util.TreeSet<>();
        java.util.Map<String, java.util.Set<String>> keysByShipment = new java.util.TreeMap<>();
        List<IncomingEvent> applicable = new ArrayList<>(events.size());
        for (IncomingEvent event : events) {
            // Contracts are billing's (detention is priced there); an event without a shipment changes no context.
            if (event.payload() instanceof ContractUpdated || event.shipmentId() == null || event.shipmentEvent() == null) {
                continue;
            }
            applicable.add(event);
            shipmentIds.add(event.shipmentId());
            keysByShipment.computeIfAbsent(event.shipmentId(), id -> new java.util.LinkedHashSet<>())
                    .addAll(refKeys(event.shipmentEvent().correlation()));
        }
        if (applicable.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        java.util.Set<String> allKeys = new java.util.TreeSet<>();
        keysByShipment.values().forEach(allKeys::addAll);
        java.util.Map<String, ShipmentContext> locked = new java.util.HashMap<>();
        java.util.Set<String> parkedKeys = new java.util.HashSet<>();
        return SessionSql.update(CREATE_ALL, (Object) shipmentIds.toArray(String[]::new))
                .chain(() -> ShipmentRows.lockAll(ShipmentContext.class, "shipment_context", shipmentIds))
                .invoke(found -> found.forEach(c -> locked.put(c.shipmentId, c)))
                .chain(() -> references.lockKeys(allKeys))
                .chain(() -> addReferences(keysByShipment))
                .chain(() -> SessionSql.select(PARKED_KEYS, (Object) allKeys.toArray(String[]::new)))
                .invoke(rows -> rows.forEach(r -> parkedKeys.add((String) r[0])))
                .chain(() -> com.logisync.runtime.vertx.Sequential.each(applicable, event -> {
                    ShipmentContext ctx = locked.get(event.shipmentId());
                    boolean releases = !parkedKeys.isEmpty() && refKeys(event.shipmentEvent().correlation()).stream()
                            .anyMatch(parkedKeys::contains);
                    return (ctx != null ? Uni.createFrom().item(ctx) : contexts.lockOrCreate(event.shipmentId()))
                            .chain(c -> applyOne(c, event, releases));
                }));
    }

    /** One event's change of its (locked) context. */
    private Uni<Void> applyOne(ShipmentContext ctx, IncomingEvent event, boolean releaseParked) {
        String shipmentId = ctx.shipmentId;
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
            return assigned.chain(() -> afterApply(ctx, event, releaseParked))
                    .chain(() -> carrierNamed ? corrections.verifyPodsAwaitingCarrier(ctx, ctx.traceparent)
                            : Uni.createFrom().voidItem());
        }
        return afterApply(ctx, event, releaseParked);
    }

    /** Keeps the shipment's trace, and releases the milestones parked for any of the event's keys. */
    private Uni<Void> afterApply(ShipmentContext ctx, IncomingEvent event, boolean releaseParked) {
        if (ctx.traceparent == null) {
            ctx.traceparent = event.traceparent();
        }
        ctx.updatedAt = event.time();
        if (!releaseParked) {
            return Uni.createFrom().voidItem();
        }
        return ingestion.releaseParked(ctx, refKeys(event.shipmentEvent().correlation())).replaceWithVoid();
    }

    private static final String ASSIGN = "insert into vehicle_assignment (vehicle_id, shipment_id, assigned_at)"
            + " values ($1, $2, $3) on conflict (vehicle_id) do update set shipment_id = excluded.shipment_id,"
            + " assigned_at = excluded.assigned_at where vehicle_assignment.assigned_at <= excluded.assigned_at";

    /** The vehicle now serves this shipment (a later dispatch of the vehicle wins over an older one). */
    private Uni<Void> assignVehicle(String vehicle, String shipmentId, java.time.Instant at) {
        // A plain statement: Hibernate's native query would flush the batch's whole session first, per dispatch.
        return SessionSql.update(ASSIGN, vehicle, shipmentId, SessionSql.utc(at == null ? java.time.Instant.now() : at))
                .replaceWithVoid();
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

    private static final String ADD_REFERENCES = "insert into shipment_reference (ref_key, shipment_id)"
            + " select * from unnest($1::text[], $2::text[]) on conflict (ref_key, shipment_id) do nothing returning ref_key";
    /**
     * The keys just registered that name another shipment too, with the first five shipments each names ("..." when
     * there are more): a blanket PO names thousands, and listing them all would read them all for every order that
     * carries it.
     */
    private static final String SHARED = "select ref_key, array_to_string(first[1:5], ',')"
            + " || case when cardinality(first) > 5 then ',...' else '' end from (select k.ref_key, array(select shipment_id"
            + " from shipment_reference s where s.ref_key = k.ref_key order by shipment_id limit 6)::text[] first"
            + " from unnest($1::text[]) k(ref_key)) f where cardinality(first) > 1";

    /**
     * Registers the batch's keys in one statement, with the keys' locks held ({@link #applyAll}). A key never moves
     * from one shipment to another: one that already names another shipment (a PO split over loads, a reused BOL)
     * now names both, and a report that resolves only through it is parked AMBIGUOUS for ops instead of being
     * attached to either. Parking takes the same key locks, so a report is either parked before we look (and
     * released by its event) or sees these keys and is recorded: never missed by both.
     */
    private Uni<Void> addReferences(java.util.Map<String, java.util.Set<String>> keysByShipment) {
        List<String> keys = new ArrayList<>();
        List<String> shipments = new ArrayList<>();
        keysByShipment.forEach((shipmentId, shipmentKeys) -> shipmentKeys.forEach(key -> {
            keys.add(key);
            shipments.add(shipmentId);
        }));
        return SessionSql.select(ADD_REFERENCES, keys.toArray(String[]::new), shipments.toArray(String[]::new))
                .chain(inserted -> inserted.isEmpty() ? Uni.createFrom().voidItem()
                        : SessionSql.select(SHARED, (Object) inserted.stream().map(r -> (String) r[0]).distinct()
                                .toArray(String[]::new)).invoke(shared -> shared.forEach(r -> LOG.infof(
                                        "Key %s names shipments %s: a report by it alone is AMBIGUOUS", r[0], r[1])))
                                .replaceWithVoid());
    }
}
