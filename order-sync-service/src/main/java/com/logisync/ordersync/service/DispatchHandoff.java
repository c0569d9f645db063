package com.logisync.ordersync.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.DispatchFailed;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.ordersync.client.DispatchPlatform;
import com.logisync.ordersync.client.DispatchPlatforms;
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
 * Keeps the TMS in step with what ERP wants and never loses a step: the load, each amendment and
 * the cancellation wait durably ({@code next_dispatch_at}) until the TMS confirms them, across TMS
 * outages and service restarts. One holder at a time talks to the TMS about an order (a lease in
 * {@code claimed_until}); every call is idempotent for the shipment and amendment, so a retry after a
 * lost answer never creates a second load.
 */
@ApplicationScoped
public class DispatchHandoff {

    private static final Logger LOG = Logger.getLogger(DispatchHandoff.class);

    /** What the TMS has to be told next about an order. */
    enum Action {
        CREATE, UPDATE, CANCEL, NOTHING;

        static Action next(ShipmentOrder o) {
            if (o.cancelledAt != null) {
                if (o.tmsCancelled) {
                    return NOTHING;
                }
                // A load may exist although we never heard the TMS accept it (an answer lost in an
                // outage): unless every attempt was a definite rejection, learn it first (the same
                // idempotency key returns the existing load rather than creating one), then cancel.
                boolean mayHaveLoad = o.loadId != null || o.dispatchAttempts > o.dispatchRejections;
                return o.loadId == null && mayHaveLoad ? CREATE : CANCEL;
            }
            if (o.status == OrderStatus.DISPATCH_FAILED) {
                return NOTHING;
            }
            if (o.loadId == null) {
                return CREATE;
            }
            return o.tmsAmendment < o.amendment ? UPDATE : NOTHING;
        }
    }

    private final ShipmentOrderRepository orders;
    private final OrderStatusChangeRepository history;
    private final DispatchPlatforms platforms;
    private final Outbox outbox;
    private final ShipmentTrace trace;
    private final ObjectMapper mapper;
    private final DispatchConfig config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();

    public DispatchHandoff(ShipmentOrderRepository orders, OrderStatusChangeRepository history,
            DispatchPlatforms platforms, Outbox outbox, ShipmentTrace trace, ObjectMapper mapper, DispatchConfig config,
            Vertx vertx) {
        this.orders = orders;
        this.history = history;
        this.platforms = platforms;
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

    /** One round of the durable retry: every order that is due and not held, one after the other. */
    public Uni<Integer> retryDue() {
        return Panache.withSession(() -> orders.dueForSync(Instant.now(), 20))
                .chain(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(this::attempt)
                        .collect().asList()
                        .map(done -> due.size()));
    }

    /** The lease a new order is created with: its releasing request hands it off first. */
    public Instant leaseFrom(Instant now) {
        return now.plus(config.lease());
    }

    /**
     * The releasing request's own first handoff. The order was created holding the lease, so no one
     * else talks to the TMS about it meanwhile; if this service dies before finishing, the retry
     * worker takes over when the lease expires.
     */
    public Uni<Void> handOffReleased(String shipmentId) {
        return Panache.withSession(() -> orders.findById(shipmentId)).chain(this::sync);
    }

    /** Tells the TMS what it is missing about one order now, if that is due and no one else is at it. */
    public Uni<Void> attempt(String shipmentId) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> orders.claim(shipmentId, now, now.plus(config.lease()))
                .chain(claimed -> claimed ? orders.findById(shipmentId) : Uni.createFrom().nullItem()))
                .chain(order -> order == null ? Uni.createFrom().voidItem() : sync(order));
    }

    private Uni<Void> sync(ShipmentOrder order) {
        Action action = Action.next(order);
        String shipmentId = order.shipmentId;
        if (action == Action.NOTHING) {
            return Panache.withTransaction(() -> orders.lock(shipmentId).invoke(o -> {
                o.claimedUntil = null;
                o.nextDispatchAt = o.tmsOutOfSync() ? Instant.now() : null;
            })).replaceWithVoid();
        }
        OrderReleased content = readRelease(order);
        int amendment = order.amendment;
        DispatchPlatform platform = platforms.forSystem(order.tmsSystem);
        MDC.put("shipmentId", shipmentId);
        return trace.inShipmentTrace("tms-" + action.name().toLowerCase(), shipmentId, order.traceparent,
                traceparent -> call(platform, action, order, content)
                        .onItemOrFailure().transformToUni((reference, failure) -> Panache.withTransaction(
                                () -> record(shipmentId, action, amendment, content, reference, failure, traceparent))));
    }

    private static Uni<DispatchReference> call(DispatchPlatform platform, Action action, ShipmentOrder order,
            OrderReleased content) {
        return switch (action) {
            case CREATE -> platform.createLoad(content);
            case UPDATE -> platform.updateLoad(order.loadId, order.amendment, content);
            case CANCEL -> order.loadId == null ? Uni.createFrom().nullItem()
                    : platform.cancelLoad(order.loadId, order.shipmentId, order.cancelReason).replaceWith((DispatchReference) null);
            case NOTHING -> throw new IllegalStateException("nothing to tell the TMS"); // sync() returns before
        };
    }

    private Uni<Void> record(String shipmentId, Action action, int amendment, OrderReleased content,
            DispatchReference reference, Throwable failure, String traceparent) {
        Instant now = Instant.now();
        return orders.lock(shipmentId).chain(order -> {
            order.claimedUntil = null;
            order.updatedAt = now;
            return failure == null
                    ? succeeded(order, action, amendment, content, reference, now, traceparent)
                    : failed(order, action, amendment, content, failure, now, traceparent);
        });
    }

    private Uni<Void> succeeded(ShipmentOrder order, Action action, int amendment, OrderReleased content,
            DispatchReference ref, Instant now, String traceparent) {
        order.dispatchAttempts++;
        order.dispatchRejections = 0;
        order.consecutiveFailures = 0;
        order.lastDispatchError = null;
        if (action == Action.CANCEL) {
            order.tmsCancelled = true;
            String reason = order.loadId == null ? "nothing to cancel at the TMS" : "load " + order.loadId
                    + " cancelled at the TMS";
            LOG.infof("Order %s: %s", order.orderId, reason);
            order.nextDispatchAt = null;
            return history.persist(OrderStatusChange.of(order.shipmentId, OrderStatus.CANCELLED, reason, now))
                    .replaceWithVoid();
        }
        boolean newLoad = order.loadId == null;
        store(order, ref);
        order.tmsAmendment = Math.max(order.tmsAmendment, amendment);
        order.nextDispatchAt = order.tmsOutOfSync() ? now : null;
        if (order.cancelledAt != null) {
            // Only learnt the load to cancel it: not dispatched, nothing to announce.
            return Uni.createFrom().voidItem();
        }
        boolean inSync = order.tmsAmendment >= order.amendment;
        if (inSync) {
            order.status = OrderStatus.DISPATCHED;
        }
        String reason = newLoad ? "load " + ref.loadId() : "load " + ref.loadId() + " updated to amendment " + amendment;
        if (!inSync) {
            reason += " (amendment " + order.amendment + " still to send)";
        }
        LOG.infof("Order %s: %s at %s", order.orderId, reason, ref.tmsSystem());
        return history.persist(OrderStatusChange.of(order.shipmentId, OrderStatus.DISPATCHED, reason, now))
                .chain(() -> outbox.enqueue(new DispatchAccepted(content.correlation().withLoadId(ref.loadId()), ref, now),
                        traceparent))
                .replaceWithVoid();
    }

    private Uni<Void> failed(ShipmentOrder order, Action action, int amendment, OrderReleased content,
            Throwable failure, Instant now, String traceparent) {
        order.dispatchAttempts++;
        order.consecutiveFailures++;
        order.lastDispatchError = truncate(failure.getMessage());
        if (failure instanceof TmsRejectedException && action == Action.CREATE && order.cancelledAt != null) {
            // Asked only to learn a load to cancel: an idempotent TMS refusing it has none.
            order.tmsCancelled = true;
            order.nextDispatchAt = null;
            return history.persist(OrderStatusChange.of(order.shipmentId, OrderStatus.CANCELLED,
                    "nothing to cancel at the TMS (it has no load)", now)).replaceWithVoid();
        }
        if (failure instanceof TmsRejectedException && action == Action.CANCEL && pickedUp(failure)) {
            return cancellationUndone(order, content, failure, now, traceparent);
        }
        if (failure instanceof TmsRejectedException) {
            order.dispatchRejections++;
            if (order.dispatchRejections >= config.maxRejections()) {
                order.nextDispatchAt = null;
                return action == Action.CANCEL ? cancelRefused(order, now)
                        : dispatchFailed(order, action, amendment, content, now, traceparent);
            }
        }
        order.nextDispatchAt = now.plus(backoff(order.consecutiveFailures));
        LOG.warnf("TMS %s of order %s failed (attempt %d), next try at %s: %s", action.name().toLowerCase(),
                order.orderId, order.dispatchAttempts, order.nextDispatchAt, order.lastDispatchError);
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> dispatchFailed(ShipmentOrder order, Action action, int amendment, OrderReleased content,
            Instant now, String traceparent) {
        order.status = OrderStatus.DISPATCH_FAILED;
        String reason = (action == Action.UPDATE ? "TMS refused amendment " + amendment + ": " : "")
                + order.lastDispatchError;
        LOG.errorf("Order %s failed dispatch after %d rejections: %s", order.orderId, order.dispatchRejections, reason);
        return history.persist(OrderStatusChange.of(order.shipmentId, OrderStatus.DISPATCH_FAILED, truncate(reason), now))
                .chain(() -> outbox.enqueue(new DispatchFailed(content.correlation(), order.tmsSystem, truncate(reason),
                        order.dispatchAttempts, now), traceparent))
                .replaceWithVoid();
    }

    private static final java.util.regex.Pattern PICKED_UP = java.util.regex.Pattern.compile(
            "(?i).*(picked[ -]?up|in transit|already (loaded|departed|delivered)).*", java.util.regex.Pattern.DOTALL);

    /** Whether the TMS refused a cancellation because the goods already left. */
    static boolean pickedUp(Throwable failure) {
        return failure.getMessage() != null && PICKED_UP.matcher(failure.getMessage()).matches();
    }

    /**
     * The TMS refuses the cancellation because the load is already picked up (our pickup guard read a
     * lagging consumer): the cancellation is undone, reported in the order's history and to every
     * service as {@code OrderCancellationReverted}, so billing never strands the delivered shipment.
     */
    private Uni<Void> cancellationUndone(ShipmentOrder order, OrderReleased content, Throwable failure, Instant now,
            String traceparent) {
        String reason = truncate("cancellation undone: the TMS refused to cancel load " + order.loadId + " ("
                + failure.getMessage() + ")");
        LOG.errorf("Order %s: %s", order.orderId, reason);
        order.cancelledAt = null;
        order.cancelReason = null;
        order.tmsCancelled = false;
        order.status = OrderStatus.DISPATCHED;
        order.nextDispatchAt = null;
        order.dispatchRejections = 0;
        order.consecutiveFailures = 0;
        return history.persist(OrderStatusChange.of(order.shipmentId, OrderStatus.DISPATCHED, reason, now))
                .chain(() -> outbox.enqueue(new com.logisync.contracts.event.OrderCancellationReverted(
                        content.correlation().withLoadId(order.loadId), truncate(failure.getMessage()), now), traceparent))
                .replaceWithVoid();
    }

    /** The TMS refuses the cancellation for good: the order stays cancelled for us; someone must call the carrier. */
    private Uni<Void> cancelRefused(ShipmentOrder order, Instant now) {
        String reason = truncate("TMS refused to cancel load " + order.loadId + ": " + order.lastDispatchError);
        LOG.errorf("Order %s: %s", order.orderId, reason);
        return history.persist(OrderStatusChange.of(order.shipmentId, OrderStatus.CANCELLED, reason, now))
                .replaceWithVoid();
    }

    private static void store(ShipmentOrder order, DispatchReference ref) {
        order.loadId = ref.loadId();
        order.routeId = ref.routeId();
        order.carrier = ref.carrier();
        order.driver = ref.driver();
        order.vehicle = ref.vehicle();
        order.plannedPickup = ref.plannedPickup();
        order.plannedDelivery = ref.plannedDelivery();
        order.tmsSystem = ref.tmsSystem();
    }

    private Duration backoff(int failures) {
        return com.logisync.runtime.retry.Backoff.exponential(config.initialBackoff(), config.maxBackoff(), failures);
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
