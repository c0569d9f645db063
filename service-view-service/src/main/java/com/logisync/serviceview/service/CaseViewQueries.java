package com.logisync.serviceview.service;

import com.logisync.runtime.rest.ProblemException;
import com.logisync.serviceview.repository.CaseMilestoneRepository;
import com.logisync.serviceview.repository.ShipmentCaseRepository;
import com.logisync.serviceview.repository.TransactionStageRepository;
import com.logisync.serviceview.rest.ShipmentCaseView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads of the case view. */
@ApplicationScoped
public class CaseViewQueries {

    /** One snapshot for all reads of a view, so it never mixes states from before and after a consumer's commit. */
    private static final String SNAPSHOT = "set transaction isolation level repeatable read read only";

    private final ShipmentCaseRepository cases;
    private final CaseMilestoneRepository milestones;
    private final TransactionStageRepository stages;

    private final com.logisync.serviceview.repository.ServiceTaskRepository tasks;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;
    private final CachedCaseViews cached;

    public CaseViewQueries(ShipmentCaseRepository cases, CaseMilestoneRepository milestones,
            TransactionStageRepository stages, com.logisync.serviceview.repository.ServiceTaskRepository tasks,
            com.fasterxml.jackson.databind.ObjectMapper mapper, CachedCaseViews cached) {
        this.cached = cached;
        this.cases = cases;
        this.milestones = milestones;
        this.stages = stages;
        this.tasks = tasks;
        this.mapper = mapper;
    }

    /** The case view, from the cache when it is there (see {@link CachedCaseViews}); 404 when unknown. */
    public Uni<byte[]> caseView(String shipmentId) {
        return cached.view(shipmentId).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("Shipment", shipmentId));
    }

    /** Loads a case view from the database in one snapshot, or null when the shipment is unknown. */
    Uni<ShipmentCaseView> load(String shipmentId) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery(SNAPSHOT).executeUpdate())
                .chain(() -> cases.findById(shipmentId))
                .chain(c -> c == null
                        ? Uni.createFrom().<ShipmentCaseView>nullItem()
                        : milestones.timeline(shipmentId).chain(timeline -> stages.stages(shipmentId)
                                .chain(st -> tasks.ofShipment(shipmentId)
                                        .map(ts -> ShipmentCaseView.of(c, timeline, st, ts, charges(c), billingCase(c)))))));
    }

    public static final String CASE_VIEWS = "case-views";

    private ShipmentCaseProjection.BillingCaseSnapshot billingCase(com.logisync.serviceview.model.ShipmentCase c) {
        if (c.billingCaseJson == null) {
            return null;
        }
        try {
            return mapper.readValue(c.billingCaseJson, ShipmentCaseProjection.BillingCaseSnapshot.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Stored billing case of " + c.shipmentId + " is unreadable", e);
        }
    }

    private java.util.List<ShipmentCaseView.Charge> charges(com.logisync.serviceview.model.ShipmentCase c) {
        if (c.chargesJson == null) {
            return null;
        }
        try {
            return java.util.List.of(mapper.readValue(c.chargesJson, ShipmentCaseView.Charge[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Stored charges of " + c.shipmentId + " are unreadable", e);
        }
    }

    /**
     * How many of the shipments a shared key names a lookup lists: a blanket PO can name thousands, and a lookup reads
     * one more than this at most.
     */
    public static final int MAX_SHIPMENTS_BY_KEY = 20;

    /**
     * The shipments a business key names (any of order, load, invoice id, BOL, PRO, PO, or the shipment id), by id, at
     * most {@link #MAX_SHIPMENTS_BY_KEY} + 1 of them; with a customer, only that customer's (in the statement, so a
     * customer's lookup of a key thousands of other shipments share reads no more than that either).
     */
    public Uni<java.util.List<String>> shipmentsByKey(String key, java.util.Optional<String> customer) {
        String sql = customer.isEmpty()
                ? "select shipment_id from case_key where key_value = :k order by shipment_id limit :n"
                : "select k.shipment_id from case_key k join shipment_case c on c.shipment_id = k.shipment_id"
                        + " where k.key_value = :k and c.customer_id = :c order by k.shipment_id limit :n";
        return Panache.withSession(() -> Panache.getSession().chain(s -> {
            var query = s.createNativeQuery(sql, String.class).setParameter("k", key)
                    .setParameter("n", MAX_SHIPMENTS_BY_KEY + 1);
            customer.ifPresent(c -> query.setParameter("c", c));
            return query.getResultList();
        }));
    }

    /**
     * A customer's shipments in the order they last changed (oldest change first, then shipment id), after
     * {@code after}; {@code limit} rows. A shipment that changes while a client pages moves behind the
     * cursor and is listed again, with its new state, on a later page: never skipped. The order is the change
     * feed's ({@code case_change}, written with each case), so the case's own time is in no index of its table.
     */
    public Uni<java.util.List<com.logisync.serviceview.model.ShipmentCase>> customerShipments(String customerId,
            com.logisync.contracts.milestone.MilestoneType status, java.time.Instant updatedSince,
            com.logisync.runtime.rest.Paging.Position after, int limit) {
        StringBuilder q = new StringBuilder("select c.* from case_change ch join shipment_case c"
                + " on c.shipment_id = ch.shipment_id where ch.customer_id = :c");
        if (status != null) {
            q.append(" and c.status_milestone = :s");
        }
        if (updatedSince != null) {
            q.append(" and ch.changed_at >= :since");
        }
        if (after != null) {
            q.append(" and (ch.changed_at, ch.shipment_id) > (:at, :id)");
        }
        q.append(" order by ch.changed_at, ch.shipment_id limit :n");
        return Panache.withSession(() -> Panache.getSession().chain(s -> {
            var query = s.createNativeQuery(q.toString(), com.logisync.serviceview.model.ShipmentCase.class)
                    .setParameter("c", customerId).setParameter("n", limit);
            if (status != null) {
                query.setParameter("s", status.name());
            }
            if (updatedSince != null) {
                query.setParameter("since", updatedSince);
            }
            if (after != null) {
                query.setParameter("at", after.at()).setParameter("id", after.id());
            }
            return query.getResultList();
        }));
    }
}
