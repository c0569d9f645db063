package com.logisync.serviceview.repository;

import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.runtime.repository.SessionSql;
import com.logisync.serviceview.model.ShipmentCase;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The case views. The projection reads and writes a batch's cases as rows, a statement each for the whole
 * batch ({@link #lockAll}, {@link #updateAll}), not as managed entities: a flush writes one statement per
 * changed case, and with many active shipments a batch changes up to one case per event. Reads for the API go
 * through Hibernate as before.
 */
@ApplicationScoped
public class ShipmentCaseRepository implements PanacheRepositoryBase<ShipmentCase, String> {

    /**
     * One column of {@code shipment_case} besides the key: its SQL array type for binding, how it is selected and
     * assigned, and the case's field it holds.
     */
    record Column(String name, String arrayType, String select, String assign, IntFunction<Object[]> newArray,
            Function<ShipmentCase, Object> get, BiConsumer<ShipmentCase, Object> set) {
    }

    private static Column text(String name, Function<ShipmentCase, String> get, BiConsumer<ShipmentCase, String> set) {
        return new Column(name, "text[]", name, "u." + name, String[]::new, get::apply, (c, v) -> set.accept(c, (String) v));
    }

    private static Column instant(String name, Function<ShipmentCase, Instant> get, BiConsumer<ShipmentCase, Instant> set) {
        return new Column(name, "timestamptz[]", name, "u." + name, OffsetDateTime[]::new,
                c -> SessionSql.utc(get.apply(c)), (c, v) -> set.accept(c, v == null ? null : ((OffsetDateTime) v).toInstant()));
    }

    private static Column int4(String name, Function<ShipmentCase, Integer> get, BiConsumer<ShipmentCase, Integer> set) {
        return new Column(name, "int4[]", name, "u." + name, Integer[]::new, get::apply,
                (c, v) -> set.accept(c, v == null ? 0 : ((Number) v).intValue()));
    }

    private static Column int8(String name, Function<ShipmentCase, Long> get, BiConsumer<ShipmentCase, Long> set) {
        return new Column(name, "int8[]", name, "u." + name, Long[]::new, get::apply,
                (c, v) -> set.accept(c, v == null ? 0L : ((Number) v).longValue()));
    }

    private static Column float8(String name, Function<ShipmentCase, Double> get, BiConsumer<ShipmentCase, Double> set) {
        return new Column(name, "float8[]", name, "u." + name, Double[]::new, get::apply,
                (c, v) -> set.accept(c, v == null ? null : ((Number) v).doubleValue()));
    }

    /** Bound and read as text, exactly (the client's own numeric type is not a {@link BigDecimal}). */
    private static Column numeric(String name, Function<ShipmentCase, BigDecimal> get,
            BiConsumer<ShipmentCase, BigDecimal> set) {
        return new Column(name, "text[]", name + "::text", "u." + name + "::numeric", String[]::new,
                c -> get.apply(c) == null ? null : get.apply(c).toPlainString(),
                (c, v) -> set.accept(c, v == null ? null : new BigDecimal((String) v)));
    }

    /** Every column but the key, in the table's terms; {@code ShipmentCaseRowsTest} holds it to the table and the entity. */
    static final List<Column> COLUMNS = List.of(
            text("order_id", c -> c.orderId, (c, v) -> c.orderId = v),
            text("customer_id", c -> c.customerId, (c, v) -> c.customerId = v),
            text("service_level", c -> c.serviceLevel, (c, v) -> c.serviceLevel = v),
            text("pickup_name", c -> c.pickupName, (c, v) -> c.pickupName = v),
            text("delivery_name", c -> c.deliveryName, (c, v) -> c.deliveryName = v),
            instant("pickup_window_end", c -> c.pickupWindowEnd, (c, v) -> c.pickupWindowEnd = v),
            text("pickup_zone", c -> c.pickupZone, (c, v) -> c.pickupZone = v),
            text("delivery_zone", c -> c.deliveryZone, (c, v) -> c.deliveryZone = v),
            instant("delivery_window_start", c -> c.deliveryWindowStart, (c, v) -> c.deliveryWindowStart = v),
            instant("delivery_window_end", c -> c.deliveryWindowEnd, (c, v) -> c.deliveryWindowEnd = v),
            text("dispatch_status", c -> c.dispatchStatus, (c, v) -> c.dispatchStatus = v),
            text("dispatch_failure", c -> c.dispatchFailure, (c, v) -> c.dispatchFailure = v),
            text("load_id", c -> c.loadId, (c, v) -> c.loadId = v),
            text("route_id", c -> c.routeId, (c, v) -> c.routeId = v),
            text("carrier", c -> c.carrier, (c, v) -> c.carrier = v),
            text("driver", c -> c.driver, (c, v) -> c.driver = v),
            text("vehicle", c -> c.vehicle, (c, v) -> c.vehicle = v),
            instant("planned_pickup", c -> c.plannedPickup, (c, v) -> c.plannedPickup = v),
            instant("planned_delivery", c -> c.plannedDelivery, (c, v) -> c.plannedDelivery = v),
            text("status_milestone", c -> c.statusMilestone == null ? null : c.statusMilestone.name(),
                    (c, v) -> c.statusMilestone = v == null ? null : MilestoneType.valueOf(v)),
            instant("status_event_time", c -> c.statusEventTime, (c, v) -> c.statusEventTime = v),
            text("pod_signed_by", c -> c.podSignedBy, (c, v) -> c.podSignedBy = v),
            instant("pod_signed_at", c -> c.podSignedAt, (c, v) -> c.podSignedAt = v),
            text("pod_document_ref", c -> c.podDocumentRef, (c, v) -> c.podDocumentRef = v),
            text("billing_state", c -> c.billingState, (c, v) -> c.billingState = v),
            instant("eligible_at", c -> c.eligibleAt, (c, v) -> c.eligibleAt = v),
            text("invoice_id", c -> c.invoiceId, (c, v) -> c.invoiceId = v),
            numeric("invoice_total", c -> c.invoiceTotal, (c, v) -> c.invoiceTotal = v),
            text("invoice_currency", c -> c.invoiceCurrency, (c, v) -> c.invoiceCurrency = v),
            text("invoice_failure", c -> c.invoiceFailure, (c, v) -> c.invoiceFailure = v),
            int4("order_amendment", c -> c.orderAmendment, (c, v) -> c.orderAmendment = v),
            instant("cancelled_at", c -> c.cancelledAt, (c, v) -> c.cancelledAt = v),
            text("cancel_reason", c -> c.cancelReason, (c, v) -> c.cancelReason = v),
            instant("updated_at", c -> c.updatedAt, (c, v) -> c.updatedAt = v),
            int4("invoice_revision", c -> c.invoiceRevision, (c, v) -> c.invoiceRevision = v),
            text("charges_json", c -> c.chargesJson, (c, v) -> c.chargesJson = v),
            instant("eta", c -> c.eta, (c, v) -> c.eta = v),
            instant("eta_reported_at", c -> c.etaReportedAt, (c, v) -> c.etaReportedAt = v),
            float8("position_latitude", c -> c.positionLatitude, (c, v) -> c.positionLatitude = v),
            float8("position_longitude", c -> c.positionLongitude, (c, v) -> c.positionLongitude = v),
            float8("position_speed_kph", c -> c.positionSpeedKph, (c, v) -> c.positionSpeedKph = v),
            text("position_vehicle", c -> c.positionVehicle, (c, v) -> c.positionVehicle = v),
            instant("position_reported_at", c -> c.positionReportedAt, (c, v) -> c.positionReportedAt = v),
            int8("billing_case_version", c -> c.billingCaseVersion, (c, v) -> c.billingCaseVersion = v),
            text("billing_case_json", c -> c.billingCaseJson, (c, v) -> c.billingCaseJson = v),
            text("view_trace_id", c -> c.viewTraceId, (c, v) -> c.viewTraceId = v),
            text("view_event_id", c -> c.viewEventId, (c, v) -> c.viewEventId = v));

    static final String LOCK_ALL = "select shipment_id, " + COLUMNS.stream().map(Column::select)
            .collect(Collectors.joining(", ")) + " from shipment_case c join unnest($1::text[]) as k(id)"
            + " on c.shipment_id = k.id order by c.shipment_id for update of c"; // a join: ShipmentRows#lockAll says why

    static final String UPDATE_ALL;

    static {
        StringBuilder sql = new StringBuilder("update shipment_case c set ");
        sql.append(COLUMNS.stream().map(col -> col.name() + " = " + col.assign()).collect(Collectors.joining(", ")));
        // The arrays unnested in the select list (a ProjectSet, rows handed on one by one), not in from, where
        // PostgreSQL first copies a function's rows whole into a tuplestore; the plan is the same nested loop over
        // the case's primary key (ShipmentCaseProjection#INSERT_MILESTONES).
        sql.append(" from (select unnest($1::text[]) as shipment_id");
        for (int i = 0; i < COLUMNS.size(); i++) {
            sql.append(", unnest($").append(i + 2).append("::").append(COLUMNS.get(i).arrayType()).append(") as ")
                    .append(COLUMNS.get(i).name());
        }
        sql.append(") as u where c.shipment_id = u.shipment_id");
        sql.append(" returning c.shipment_id, c.customer_id, c.updated_at)");
        UPDATE_ALL = "with changed as (" + sql + " insert into case_change (shipment_id, customer_id, changed_at)"
                + " select shipment_id, customer_id, updated_at from changed where customer_id is not null"
                + " on conflict (shipment_id) do update set customer_id = excluded.customer_id,"
                + " changed_at = excluded.changed_at";
    }

    /**
     * The cases of these shipments, locked for this transaction in shipment id order (as every writer locks
     * them), as plain objects the session does not manage: {@link #updateAll} writes them back.
     */
    public Uni<List<ShipmentCase>> lockAll(String[] shipmentIds) {
        return SessionSql.select(LOCK_ALL, (Object) shipmentIds).map(rows -> rows.stream().map(ShipmentCaseRepository::of)
                .toList());
    }

    /**
     * A case from its row, as a plain object: no session ever manages it ({@link #updateAll} writes it back). The entity
     * class is enhanced by Hibernate, and every field written into an instance (here each column, then what the batch's
     * events change) would record the field's name in its dirty tracker, an array copied per field: that tracking is
     * suspended for this instance.
     */
    static ShipmentCase of(Object[] row) {
        ShipmentCase c = new ShipmentCase();
        if ((Object) c instanceof org.hibernate.engine.spi.SelfDirtinessTracker tracked) {
            tracked.$$_hibernate_suspendDirtyTracking(true);
        }
        c.shipmentId = (String) row[0];
        for (int i = 0; i < COLUMNS.size(); i++) {
            COLUMNS.get(i).set().accept(c, row[i + 1]);
        }
        return c;
    }

    /**
     * Writes every column of these cases (read by {@link #lockAll} in the same transaction), and moves each case
     * with a customer to its new place in the customer's change feed ({@code case_change}), in one statement.
     * The feed's position is not in an index of {@code shipment_case}, so the case's own update can be HOT.
     */
    public Uni<Integer> updateAll(Collection<ShipmentCase> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int n = changed.size();
        Object[] params = new Object[COLUMNS.size() + 1];
        String[] ids = new String[n];
        params[0] = ids;
        for (int i = 0; i < COLUMNS.size(); i++) {
            params[i + 1] = COLUMNS.get(i).newArray().apply(n);
        }
        int r = 0;
        for (ShipmentCase c : changed) {
            ids[r] = c.shipmentId;
            for (int i = 0; i < COLUMNS.size(); i++) {
                ((Object[]) params[i + 1])[r] = COLUMNS.get(i).get().apply(c);
            }
            r++;
        }
        return SessionSql.update(UPDATE_ALL, params);
    }
}
