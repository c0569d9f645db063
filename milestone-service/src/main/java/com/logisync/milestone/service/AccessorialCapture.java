package com.logisync.milestone.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.AccessorialCaptured;
import com.logisync.runtime.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.ZoneOffset;

/**
 * Captures the accessorials the driver reports from the app with their evidence, each once
 * (deterministic id, {@code accessorial} table), in the caller's transaction, so the capture commits
 * with its cause. Detention is not captured here: billing-trigger-service prices each stop's stay
 * from the arrivals and departures (with the appointment, free time and cap of the order's contract).
 */
@ApplicationScoped
public class AccessorialCapture {

    private static final Logger LOG = Logger.getLogger(AccessorialCapture.class);
    private static final String INSERT = "insert into accessorial (accessorial_id, shipment_id, charge_code, quantity,"
            + " captured_at, payload) values (:id, :shipment, :code, :quantity, :at, :payload) on conflict do nothing";

    private final Outbox outbox;
    private final ObjectMapper mapper;

    public AccessorialCapture(Outbox outbox, ObjectMapper mapper) {
        this.outbox = outbox;
        this.mapper = mapper;
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
