package com.logisync.milestone.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.AccessorialCaptured;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.model.StopType;
import com.logisync.milestone.model.ShipmentContext;
import com.logisync.runtime.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Captures accessorials with their evidence, each once (deterministic id, {@code accessorial} table):
 * detention when a stop's actual arrival and departure are both known and the time on site exceeds
 * the customer's contracted free time ({@code DTL} at pickup, {@code DTU} at delivery; the billable
 * minutes are the quantity), whichever of the two reports arrives last; and accessorials the driver
 * reports from the app. Runs in the caller's transaction, so the capture commits with its cause.
 */
@ApplicationScoped
public class AccessorialCapture {

    private static final Logger LOG = Logger.getLogger(AccessorialCapture.class);
    private static final String INSERT = "insert into accessorial (accessorial_id, shipment_id, charge_code, quantity,"
            + " captured_at, payload) values (:id, :shipment, :code, :quantity, :at, :payload) on conflict do nothing";
    private static final String COUNTERPART = "select case when :wantArrival then min(event_time) else max(event_time) end"
            + " from milestone where shipment_id = :shipment and milestone = :milestone and classifier = 'ACTUAL'";
    private static final String FREE_MINUTES = "select free_detention_minutes from customer_terms where customer_id = :c";

    private final Outbox outbox;
    private final ObjectMapper mapper;

    public AccessorialCapture(Outbox outbox, ObjectMapper mapper) {
        this.outbox = outbox;
        this.mapper = mapper;
    }

    /** Whether the milestone is one end of a stay at the pickup or delivery stop. */
    public static boolean mayStartOrEndDetention(MilestoneRecorded m) {
        return m.classifier() == Classifier.ACTUAL && switch (m.milestone()) {
            case ARRIVED_PICKUP, DEPARTED_PICKUP, ARRIVED_DELIVERY, DEPARTED_DELIVERY -> true;
            default -> false;
        };
    }

    /** After an actual arrival or departure at the pickup or delivery stop: detention, if both ends are known. */
    public Uni<Void> detention(ShipmentContext ctx, MilestoneRecorded m, String traceparent) {
        if (m.classifier() != Classifier.ACTUAL) {
            return Uni.createFrom().voidItem();
        }
        StopType stop;
        boolean arrival;
        MilestoneType counterpart;
        switch (m.milestone()) {
            case ARRIVED_PICKUP -> { stop = StopType.PICKUP; arrival = true; counterpart = MilestoneType.DEPARTED_PICKUP; }
            case DEPARTED_PICKUP -> { stop = StopType.PICKUP; arrival = false; counterpart = MilestoneType.ARRIVED_PICKUP; }
            case ARRIVED_DELIVERY -> { stop = StopType.DELIVERY; arrival = true; counterpart = MilestoneType.DEPARTED_DELIVERY; }
            case DEPARTED_DELIVERY -> { stop = StopType.DELIVERY; arrival = false; counterpart = MilestoneType.ARRIVED_DELIVERY; }
            default -> {
                return Uni.createFrom().voidItem();
            }
        }
        // Milestone rows are written with native statements, so one recorded earlier in this same
        // transaction (the same batch) is already visible here.
        return Panache.getSession().chain(s -> s.createNativeQuery(COUNTERPART, OffsetDateTime.class)
                        .setParameter("wantArrival", !arrival).setParameter("shipment", ctx.shipmentId)
                        .setParameter("milestone", counterpart.name()).getSingleResultOrNull()
                        .chain(other -> other == null ? Uni.createFrom().voidItem()
                                : s.createNativeQuery(FREE_MINUTES, Integer.class).setParameter("c", ctx.customerId)
                                        .getSingleResultOrNull()
                                        .chain(free -> {
                                            Instant arrivedAt = arrival ? m.eventTime().utc() : other.toInstant();
                                            Instant departedAt = arrival ? other.toInstant() : m.eventTime().utc();
                                            return capture(ctx, m, stop, arrivedAt, departedAt, free, traceparent);
                                        })));
    }

    private Uni<Void> capture(ShipmentContext ctx, MilestoneRecorded m, StopType stop, Instant arrivedAt,
            Instant departedAt, Integer freeMinutes, String traceparent) {
        if (freeMinutes == null) {
            LOG.warnf("No contract terms known for customer %s: detention at %s of %s not assessed", ctx.customerId,
                    stop, ctx.shipmentId);
            return Uni.createFrom().voidItem();
        }
        long onSite = Duration.between(arrivedAt, departedAt).toMinutes();
        long billable = onSite - freeMinutes;
        if (billable <= 0) {
            return Uni.createFrom().voidItem();
        }
        String code = stop == StopType.PICKUP ? "DTL" : "DTU";
        String evidence = "arrived " + arrivedAt + ", departed " + departedAt + ": " + onSite + " min on site, "
                + freeMinutes + " free, " + billable + " billable";
        AccessorialCaptured event = new AccessorialCaptured("DETENTION:" + ctx.shipmentId + ":" + stop, m.correlation(),
                code, BigDecimal.valueOf(billable), "MINUTES", stop, arrivedAt, departedAt, evidence, null, m.source(),
                Instant.now());
        return store(event, traceparent);
    }

    /** An accessorial the driver reported, already validated by the caller. */
    public Uni<Boolean> driverReported(AccessorialCaptured event, String traceparent) {
        return store(event, traceparent).replaceWith(true);
    }

    private Uni<Void> store(AccessorialCaptured event, String traceparent) {
        String payload;
        try {
            payload = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return Panache.getSession().chain(s -> s.createNativeQuery(INSERT)
                        .setParameter("id", event.accessorialId())
                        .setParameter("shipment", event.correlation().shipmentId())
                        .setParameter("code", event.chargeCode())
                        .setParameter("quantity", event.quantity())
                        .setParameter("at", event.capturedAt().atOffset(ZoneOffset.UTC))
                        .setParameter("payload", payload)
                        .executeUpdate())
                .chain(inserted -> {
                    if (inserted == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.infof("Captured %s %s %s for %s: %s", event.chargeCode(), event.quantity(), event.unit(),
                            event.correlation().shipmentId(), event.evidence());
                    return outbox.enqueue(event, traceparent).replaceWithVoid();
                });
    }
}
