package com.logisync.ordersync.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.DispatchFailed;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.ordersync.client.DispatchPlatform;
import com.logisync.ordersync.client.RestTmsAdapter;
import com.logisync.ordersync.client.TmsRejectedException;
import com.logisync.ordersync.config.DispatchConfig;
import com.logisync.ordersync.model.OrderStatus;
import com.logisync.ordersync.model.OrderStatusChange;
import com.logisync.ordersync.model.ShipmentOrder;
import com.logisync.ordersync.repository.OrderStatusChangeRepository;
import com.logisync.ordersync.repository.ShipmentOrderRepository;
import com.logisync.runtime.outbox.Outbox;
import com.logisync.runtime.tracing.ShipmentTrace;
import com.logisync.runtime.vertx.SafeContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands released orders to the TMS and never loses one: an order waits durably as
 * DISPATCH_PENDING until the TMS accepts it, across TMS outages and service restarts. The shipment
 * id is the idempotency key, so a retried handoff never creates a second load.
 */
@ApplicationScoped
public class DispatchHandoff {

    private static final Logger LOG = Logger.getLogger(DispatchHandoff.class);

    private final ShipmentOrderRepository orders;
    private final OrderStatusChangeRepository history;
    private final DispatchPlatform platform;
    private final Outbox outbox;
    private final ShipmentTrace trace;
    private final ObjectMapper mapper;
    private final DispatchConfig config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();

    public DispatchHandoff(ShipmentOrderRepository orders, OrderStatusChangeRepository history,
            RestTmsAdapter platform, Outbox outbox, ShipmentTrace trace, ObjectMapper mapper, DispatchConfig config,
            Vertx vertx) {
        this.orders = orders;
        this.history = history;
        this.platform = platform;
        this.outbox = outbox;
        this.trace = trace;
        this.mapper = mapper;
        this.config = config;
        this.vertx = vertx;
    }

    void startRetries(@Observes StartupEvent event) {
        running.set(true);
        scheduleRetryRound();
    }

    void stopRetries(@Observes ShutdownEvent event) {
        running.set(false);
    }

    private void scheduleRetryRound() {
        if (!running.get()) {
            return;
        }
        vertx.setTimer(config.retryInterval().toMillis(), id -> SafeContext.run(vertx, this::retryDue)
                .subscribe().with(n -> scheduleRetryRound(), failure -> {
                    if (running.get()) {
                        LOG.warnf("Dispatch retry round failed: %s", failure.toString());
                    }
                    scheduleRetryRound();
                }));
    }

    /** One round of the durable retry: every pending handoff that is due, one after the other. */
    public Uni<Integer> retryDue() {
        return Panache.withSession(() -> orders.dueForDispatch(Instant.now(), 20))
                .chain(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(this::attempt)
                        .collect().asList()
                        .map(done -> due.size()));
    }

    /** When an order released now may be taken over by the retry worker: after the releasing request's lease. */
    public Instant leaseFrom(Instant now) {
        return now.plus(config.lease());
    }

    /**
     * The releasing request's own first handoff. The order was created holding the lease, so no one
     * else hands it off meanwhile; if this service dies before finishing, the retry worker takes
     * over when the lease expires.
     */
    public Uni<Void> handOffReleased(String shipmentId) {
        return Panache.withSession(() -> orders.findById(shipmentId)).chain(this::handOff);
    }

    /** Tries the handoff of one order now, if it is pending and no one else is handing it off. */
    public Uni<Void> attempt(String shipmentId) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> orders.claimDispatch(shipmentId, now, now.plus(config.lease()))
                .chain(claimed -> claimed ? orders.findById(shipmentId) : Uni.createFrom().nullItem()))
                .chain(order -> order == null ? Uni.createFrom().voidItem() : handOff(order));
    }

    private Uni<Void> handOff(ShipmentOrder order) {
        OrderReleased released = readRelease(order);
        MDC.put("shipmentId", order.shipmentId);
        return trace.inShipmentTrace("dispatch-handoff", order.shipmentId, order.traceparent,
                traceparent -> platform.createLoad(order.shipmentId, released)
                        .onItemOrFailure().transformToUni((reference, failure) -> Panache.withTransaction(
                                () -> record(order.shipmentId, released, reference, failure, traceparent))));
    }

    private Uni<Void> record(String shipmentId, OrderReleased released, DispatchReference reference, Throwable failure,
            String traceparent) {
        Instant now = Instant.now();
        return orders.findById(shipmentId).chain(order -> {
            order.dispatchAttempts++;
            order.updatedAt = now;
            if (failure == null) {
                return accepted(order, released, reference, now, traceparent);
            }
            order.lastDispatchError = truncate(failure.getMessage());
            if (failure instanceof TmsRejectedException) {
                order.dispatchRejections++;
                if (order.dispatchRejections >= config.maxRejections()) {
                    return failed(order, released, now, traceparent);
                }
            }
            order.nextDispatchAt = now.plus(backoff(order.dispatchAttempts));
            LOG.warnf("Dispatch of %s failed (attempt %d), next try at %s: %s", shipmentId, order.dispatchAttempts,
                    order.nextDispatchAt, order.lastDispatchError);
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> accepted(ShipmentOrder order, OrderReleased released, DispatchReference ref, Instant now,
            String traceparent) {
        order.status = OrderStatus.DISPATCHED;
        order.nextDispatchAt = null;
        order.lastDispatchError = null;
        order.loadId = ref.loadId();
        order.routeId = ref.routeId();
        order.carrier = ref.carrier();
        order.driver = ref.driver();
        order.vehicle = ref.vehicle();
        order.plannedPickup = ref.plannedPickup();
        order.plannedDelivery = ref.plannedDelivery();
        order.tmsSystem = ref.tmsSystem();
        LOG.infof("Order %s dispatched as load %s", order.orderId, ref.loadId());
        return history.persist(OrderStatusChange.of(order.shipmentId, OrderStatus.DISPATCHED, "load " + ref.loadId(), now))
                .chain(() -> outbox.enqueue(new DispatchAccepted(released.correlation().withLoadId(ref.loadId()), ref,
                        now), traceparent))
                .replaceWithVoid();
    }

    private Uni<Void> failed(ShipmentOrder order, OrderReleased released, Instant now, String traceparent) {
        order.status = OrderStatus.DISPATCH_FAILED;
        order.nextDispatchAt = null;
        LOG.errorf("Order %s failed dispatch after %d rejections: %s", order.orderId, order.dispatchRejections,
                order.lastDispatchError);
        return history.persist(OrderStatusChange.of(order.shipmentId, OrderStatus.DISPATCH_FAILED, order.lastDispatchError, now))
                .chain(() -> outbox.enqueue(new DispatchFailed(released.correlation(), order.tmsSystem == null
                        ? RestTmsAdapter.SYSTEM : order.tmsSystem, order.lastDispatchError, order.dispatchAttempts, now),
                        traceparent))
                .replaceWithVoid();
    }

    private Duration backoff(int attempts) {
        long factor = 1L << Math.min(attempts - 1, 16);
        Duration d = config.initialBackoff().multipliedBy(factor);
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }

    private OrderReleased readRelease(ShipmentOrder order) {
        try {
            return mapper.readValue(order.releaseJson, OrderReleased.class);
        } catch (Exception e) {
            throw new IllegalStateException("Stored release of " + order.shipmentId + " is unreadable", e);
        }
    }

    private static String truncate(String s) {
        return s == null ? null : s.length() > 500 ? s.substring(0, 500) : s;
    }
}
