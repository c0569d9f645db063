package com.logisync.ordersync.service;

import com.logisync.contracts.event.OrderAmended;
import com.logisync.contracts.event.OrderCancelled;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.ordersync.mapping.OrderMapper;
import com.logisync.ordersync.model.OrderStatus;
import com.logisync.ordersync.model.OrderStatusChange;
import com.logisync.ordersync.model.ShipmentOrder;
import com.logisync.ordersync.repository.OrderStatusChangeRepository;
import com.logisync.ordersync.repository.ShipmentOrderRepository;
import com.logisync.ordersync.rest.OrderRequest;
import com.logisync.runtime.outbox.Outbox;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.runtime.tracing.ShipmentTrace;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ERP's changes to a released order before pickup: amendments (re-validated, sent to the TMS,
 * {@code OrderAmended}) and cancellation (cancelled at the TMS, {@code OrderCancelled}). Both are
 * idempotent, both are refused once the goods are picked up, and both run in the shipment's trace.
 */
@ApplicationScoped
public class OrderChangeService {

    private static final Logger LOG = Logger.getLogger(OrderChangeService.class);

    private final ShipmentOrderRepository orders;
    private final OrderStatusChangeRepository history;
    private final Outbox outbox;
    private final DispatchHandoff handoff;
    private final MasterDataService masterData;
    private final OrderReleaseService releases;
    private final ShipmentTrace trace;

    public OrderChangeService(ShipmentOrderRepository orders, OrderStatusChangeRepository history, Outbox outbox,
            DispatchHandoff handoff, MasterDataService masterData, OrderReleaseService releases, ShipmentTrace trace) {
        this.orders = orders;
        this.history = history;
        this.outbox = outbox;
        this.handoff = handoff;
        this.masterData = masterData;
        this.releases = releases;
        this.trace = trace;
    }

    /** Whether the call changed the order (false: a repeat of what is already there). */
    public record ChangeResult(OrderReleaseService.ReleaseResult order, boolean changed) {
    }

    public Uni<ChangeResult> amend(String orderId, OrderRequest request, String actor) {
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();
        if (!orderId.equals(request.orderId())) {
            throw new ProblemException(400, "validation", "Invalid request",
                    "The body's orderId must be the order in the path",
                    List.of(new Problem.FieldError("orderId", "path-mismatch",
                            "is " + request.orderId() + " but the path names " + orderId)), null);
        }
        String hash = OrderReleaseService.sha256(releases.json(request));
        return shipmentOf(orderId).chain(target -> trace.inShipmentTrace("amend-order", target.shipmentId(),
                target.traceparent(), traceparent -> Panache.withTransaction(() -> orders.lockByOrderId(orderId)
                        .chain(order -> {
                            if (order.contentHash.equals(hash)) {
                                return Uni.createFrom().item(false);
                            }
                            refuseAfterPickupOrCancel(order, "amended");
                            if (!order.customerId.equals(request.customerId())) {
                                return Uni.createFrom().failure(ProblemException.unprocessable(
                                        "An amendment cannot move the order to another customer",
                                        List.of(new Problem.FieldError("customerId", "CUSTOMER_CHANGED",
                                                "the order belongs to " + order.customerId))));
                            }
                            Instant now = Instant.now();
                            OrderReleased amended = OrderMapper.toReleased(request, order.createdAt);
                            amended = new OrderReleased(amended.correlation().withLoadId(order.loadId),
                                    amended.serviceLevel(), amended.lines(), amended.stops(), amended.releasedAt());
                            OrderReleased content = amended;
                            return masterData.releaseContext(request.customerId()).chain(ctx -> {
                                List<Problem.FieldError> violations = OrderReleaseRules.violations(content,
                                        ctx.customer(), ctx.contracts(), now);
                                if (!violations.isEmpty()) {
                                    return Uni.createFrom().failure(ProblemException.unprocessable("Amendment of order "
                                            + orderId + " violates " + violations.size() + " rule(s)", violations));
                                }
                                held.set(holdLease(order, now));
                                OrderReleased priced = content.withContract(
                                        OrderReleaseRules.terms(content, ctx.contracts()).orElseThrow());
                                return applyAmendment(order, priced, hash, now, traceparent, actor).replaceWith(true);
                            });
                        }))
                        .call(changed -> changed ? handOff(target.shipmentId(), held.get()) : Uni.createFrom().voidItem())))
                .chain(changed -> releases.find(orderId).map(r -> new ChangeResult(r, changed)));
    }

    private Uni<Void> applyAmendment(ShipmentOrder order, OrderReleased content, String hash, Instant now,
            String traceparent, String actor) {
        order.amendment++;
        order.contentHash = hash;
        order.releaseJson = releases.json(content);
        order.serviceLevel = content.serviceLevel();
        order.status = OrderStatus.AMENDED;
        order.dispatchRejections = 0;
        order.consecutiveFailures = 0;
        order.lastDispatchError = null;
        order.nextDispatchAt = now;
        order.updatedAt = now;
        LOG.infof("Order %s amended (amendment %d)", order.orderId, order.amendment);
        return history.persist(OrderStatusChange.of(order.shipmentId, OrderStatus.AMENDED,
                        "amendment " + order.amendment + " by " + actor, now))
                .chain(() -> outbox.enqueue(new OrderAmended(content.correlation(), order.amendment,
                        content.serviceLevel(), content.lines(), content.stops(), now, content.contract()), traceparent))
                .replaceWithVoid();
    }

    public Uni<ChangeResult> cancel(String orderId, String reason, String actor) {
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();
        return shipmentOf(orderId).chain(target -> trace.inShipmentTrace("cancel-order", target.shipmentId(),
                target.traceparent(), traceparent -> Panache.withTransaction(() -> orders.lockByOrderId(orderId)
                        .chain(order -> {
                            if (order.cancelledAt != null) {
                                return Uni.createFrom().item(false);
                            }
                            refuseAfterPickupOrCancel(order, "cancelled");
                            Instant now = Instant.now();
                            order.cancelledAt = now;
                            order.cancelReason = reason;
                            order.status = OrderStatus.CANCELLED;
                            order.dispatchRejections = 0;
                            order.consecutiveFailures = 0;
                            order.nextDispatchAt = now;
                            order.updatedAt = now;
                            held.set(holdLease(order, now));
                            LOG.infof("Order %s cancelled by %s: %s", orderId, actor, reason);
                            OrderReleased content = releases.read(order);
                            return history.persist(OrderStatusChange.of(order.shipmentId, OrderStatus.CANCELLED,
                                            "cancelled by " + actor + ": " + reason, now))
                                    .chain(() -> outbox.enqueue(new OrderCancelled(
                                            content.correlation().withLoadId(order.loadId), reason, now), traceparent))
                                    .replaceWith(true);
                        }))
                        .call(changed -> changed ? handOff(target.shipmentId(), held.get()) : Uni.createFrom().voidItem())))
                .chain(changed -> releases.find(orderId).map(r -> new ChangeResult(r, changed)));
    }

    /**
     * Takes the order's TMS lease in the changing transaction when no worker holds it, so this
     * request tells the TMS itself (and answers with the TMS's confirmation) instead of racing the
     * retry worker for the due order. True when this request holds it.
     */
    private boolean holdLease(com.logisync.ordersync.model.ShipmentOrder order, Instant now) {
        if (order.claimedUntil != null && order.claimedUntil.isAfter(now)) {
            return false; // a worker is talking to the TMS about the order; it syncs the change next
        }
        order.claimedUntil = handoff.leaseFrom(now);
        return true;
    }

    private Uni<Void> handOff(String shipmentId, boolean held) {
        return held ? handoff.handOffReleased(shipmentId) : handoff.attempt(shipmentId);
    }

    private static void refuseAfterPickupOrCancel(ShipmentOrder order, String what) {
        if (order.pickedUpAt != null) {
            throw ProblemException.conflict("order-picked-up", "Order " + order.orderId
                    + " was picked up at " + order.pickedUpAt + " and can no longer be " + what,
                    Map.of("shipmentId", order.shipmentId, "pickedUpAt", order.pickedUpAt.toString()));
        }
        if (order.cancelledAt != null) {
            throw ProblemException.conflict("order-cancelled", "Order " + order.orderId + " was cancelled at "
                    + order.cancelledAt + " and can no longer be " + what,
                    Map.of("shipmentId", order.shipmentId, "cancelledAt", order.cancelledAt.toString()));
        }
    }

    private record Target(String shipmentId, String traceparent) {
    }

    private Uni<Target> shipmentOf(String orderId) {
        return Panache.withSession(() -> orders.findByOrderId(orderId)).map(order -> {
            if (order == null) {
                throw ProblemException.notFound("Order", orderId);
            }
            MDC.put("shipmentId", order.shipmentId);
            return new Target(order.shipmentId, order.traceparent);
        });
    }
}
