package com.logisync.ordersync.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.ordersync.client.DispatchPlatforms;
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
import com.logisync.runtime.tracing.TraceContexts;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Releases ERP orders as shipments: validate, persist with OrderReleased in one transaction, hand off. */
@ApplicationScoped
public class OrderReleaseService {

    private static final Logger LOG = Logger.getLogger(OrderReleaseService.class);

    /** The order as stored, and whether this call created it. */
    public record ReleaseResult(ShipmentOrder order, List<OrderStatusChange> history, boolean created) {
    }

    private final ShipmentOrderRepository orders;
    private final OrderStatusChangeRepository history;
    private final Outbox outbox;
    private final DispatchHandoff handoff;
    private final MasterDataService masterData;
    private final ObjectMapper mapper;
    private final DispatchPlatforms platforms;

    public OrderReleaseService(ShipmentOrderRepository orders, OrderStatusChangeRepository history, Outbox outbox,
            DispatchHandoff handoff, MasterDataService masterData, DispatchPlatforms platforms, ObjectMapper mapper) {
        this.platforms = platforms;
        this.orders = orders;
        this.history = history;
        this.outbox = outbox;
        this.handoff = handoff;
        this.masterData = masterData;
        this.mapper = mapper;
    }

    @WithSpan("release-order")
    public Uni<ReleaseResult> release(OrderRequest request) {
        Instant now = Instant.now();
        OrderReleased released = OrderMapper.toReleased(request, now);
        MDC.put("shipmentId", released.correlation().shipmentId());
        String hash = sha256(json(request));
        String traceparent = TraceContexts.currentTraceparent();
        return Panache.withTransaction(() -> orders.findByOrderId(request.orderId()).chain(existing -> {
            if (existing != null) {
                // A repeat is answered from what was released, whatever master data says now.
                if (!existing.contentHash.equals(hash)) {
                    return Uni.createFrom().failure(ProblemException.conflict("order-content-differs",
                            "Order " + request.orderId() + " was already released with different content;"
                                    + " send changes as an amendment",
                            Map.of("shipmentId", existing.shipmentId)));
                }
                return Uni.createFrom().item(false);
            }
            return masterData.releaseContext(request.customerId()).chain(ctx -> {
                List<Problem.FieldError> violations = OrderReleaseRules.violations(released, ctx.customer(),
                        ctx.contracts(), now);
                if (!violations.isEmpty()) {
                    return Uni.createFrom().failure(ProblemException.unprocessable(
                            "Order " + request.orderId() + " violates " + violations.size() + " rule(s)", violations));
                }
                OrderReleased priced = released.withContract(OrderReleaseRules.terms(released, ctx.contracts()).orElseThrow());
                return create(priced, hash, json(priced), traceparent, now).replaceWith(true);
            });
        })).chain(created -> (created ? handoff.handOffReleased(released.correlation().shipmentId()) : Uni.createFrom().voidItem())
                .chain(() -> find(request.orderId()))
                .map(r -> new ReleaseResult(r.order(), r.history(), created)));
    }

    /** A page of orders after the cursor's position (the project's paging), with the next page's cursor. */
    public Uni<com.logisync.ordersync.rest.OrderPage> list(String customerId, OrderStatus status, Instant updatedSince,
            String cursor, int limit) {
        com.logisync.runtime.rest.Paging.Position after = com.logisync.runtime.rest.Paging.position(cursor);
        return Panache.withSession(() -> orders.after(customerId, status, updatedSince, after, limit + 1)
                .chain(items -> orders.countFiltered(customerId, status).map(total -> {
                    String next = com.logisync.runtime.rest.Paging.next(items, limit,
                            o -> com.logisync.runtime.rest.Paging.cursor(o.createdAt, o.shipmentId));
                    return new com.logisync.ordersync.rest.OrderPage(items.stream().limit(limit)
                            .map(com.logisync.ordersync.rest.OrderPage.Summary::of).toList(), 0, limit, total, next);
                })));
    }

    /** The page of the deprecated {@code page}/{@code size} paging. */
    public Uni<com.logisync.ordersync.rest.OrderPage> list(String customerId, OrderStatus status, int page, int size) {
        return Panache.withSession(() -> orders.page(customerId, status, page, size)
                .chain(items -> orders.countFiltered(customerId, status).map(total -> new com.logisync.ordersync.rest.OrderPage(
                        items.stream().map(com.logisync.ordersync.rest.OrderPage.Summary::of).toList(), page, size, total, null))));
    }

    public Uni<ReleaseResult> find(String orderId) {
        return Panache.withSession(() -> orders.findByOrderId(orderId).chain(order -> order == null
                ? Uni.createFrom().failure(ProblemException.notFound("Order", orderId))
                : history.history(order.shipmentId).map(h -> new ReleaseResult(order, h, false))));
    }

    private Uni<Void> create(OrderReleased released, String hash, String releaseJson, String traceparent, Instant now) {
        ShipmentOrder order = new ShipmentOrder();
        order.shipmentId = released.correlation().shipmentId();
        order.orderId = released.correlation().orderId();
        order.customerId = released.correlation().customerId();
        order.serviceLevel = released.serviceLevel();
        order.status = OrderStatus.DISPATCH_PENDING;
        order.contentHash = hash;
        order.releaseJson = releaseJson;
        order.traceparent = traceparent;
        // Due at once, but held by this request's own handoff until the lease ends.
        order.nextDispatchAt = now;
        order.claimedUntil = handoff.leaseFrom(now);
        order.tmsSystem = platforms.route(order.customerId, OrderReleaseRules.region(released.stops().get(0)));
        order.createdAt = now;
        order.updatedAt = now;
        LOG.infof("Releasing order %s as shipment %s", order.orderId, order.shipmentId);
        return orders.persist(order)
                .chain(() -> history.persist(List.of(
                        OrderStatusChange.of(order.shipmentId, OrderStatus.RELEASED, "released by ERP", now),
                        OrderStatusChange.of(order.shipmentId, OrderStatus.DISPATCH_PENDING, "awaiting TMS", now))))
                .chain(() -> outbox.enqueue(released, traceparent))
                .replaceWithVoid();
    }

    /** The order's current content (as released, or as last amended). */
    OrderReleased read(ShipmentOrder order) {
        try {
            return mapper.readValue(order.releaseJson, OrderReleased.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored content of " + order.shipmentId + " is unreadable", e);
        }
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
