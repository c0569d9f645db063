package com.logisync.ordersync.rest;

import com.logisync.contracts.security.Roles;
import com.logisync.ordersync.service.OrderChangeService;
import com.logisync.ordersync.service.OrderReleaseService;
import com.logisync.runtime.rest.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import com.logisync.ordersync.model.OrderStatus;
import com.logisync.runtime.rest.ProblemException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@jakarta.annotation.security.RolesAllowed({Roles.ERP})
@Path("/api/v1/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Orders", description = "Shipment orders released by ERP")
public class OrderResource {

    /** Idempotency-Key handling of the POSTs that create or decide something. */
    @jakarta.inject.Inject
    com.logisync.runtime.rest.IdempotencyKeys keys;

    private final OrderReleaseService releases;
    private final OrderChangeService changes;
    /** Who amends or cancels is the token's subject (the ERP integration's client, or a person). */
    private final io.quarkus.security.identity.SecurityIdentity identity;

    public OrderResource(OrderReleaseService releases, OrderChangeService changes,
            io.quarkus.security.identity.SecurityIdentity identity) {
        this.identity = identity;
        this.releases = releases;
        this.changes = changes;
    }

    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            mediaType = "application/json", schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = OrderRequest.class), 
            examples = @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(name = "an LTL order from Dallas to Houston",
                    value = "{\"orderId\": \"ORD-1001\", \"customerId\": \"CUST-ACME\", \"serviceLevel\": \"LTL_STANDARD\", \"lines\": [{\"pieces\": 4, \"weightKg\": 1200, \"hazmat\": false, \"description\": \"palletised auto parts\"}], \"stops\": [{\"type\": \"PICKUP\", \"name\": \"Acme DC\", \"address\": {\"line1\": \"100 Commerce St\", \"city\": \"Dallas\", \"region\": \"TX\", \"postalCode\": \"75201\", \"country\": \"US\"}, \"zoneId\": \"America/Chicago\", \"window\": {\"start\": \"2027-01-10T08:00:00-06:00\", \"end\": \"2027-01-10T12:00:00-06:00\"}}, {\"type\": \"DELIVERY\", \"name\": \"Store 17\", \"address\": {\"line1\": \"9 Main St\", \"city\": \"Houston\", \"region\": \"TX\", \"postalCode\": \"77002\", \"country\": \"US\"}, \"zoneId\": \"America/Chicago\", \"window\": {\"start\": \"2027-01-11T08:00:00-06:00\", \"end\": \"2027-01-11T17:00:00-06:00\"}}], \"references\": {\"poNumbers\": [\"PO-7781\"], \"bol\": \"BOL-1001\"}}")))
    @POST
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "order-content-differs,business-rule-violation")
    @Operation(operationId = "releaseOrder", summary = "Release an order as a shipment",
            description = "Validates the order, stores it and hands it to the TMS. Idempotent on the ERP order id.")
    @APIResponse(responseCode = "201", description = "Released; the body shows the shipment and its dispatch status",
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "200", description = "Already released with the same content: the order as it stands",
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "400", description = "Malformed request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already released with different content",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Business rules violated; every violation is listed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> release(@Valid @NotNull OrderRequest request, UriInfo uri,
            @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey) {
        return keys.once(idempotencyKey, "releaseOrder", request, () -> releases.release(request).map(r -> {
            OrderView view = OrderView.of(r.order(), r.history());
            if (!r.created()) {
                return Response.ok(view).build();
            }
            return Response.created(uri.getAbsolutePathBuilder().path(r.order().orderId).build()).entity(view).build();
        }));
    }

    @jakarta.annotation.security.RolesAllowed({Roles.ERP, Roles.OPS})
    @GET
    @Operation(operationId = "listOrders", summary = "Orders, newest first, by customer and status, a page at a time",
            description = "The project's paging: `limit` (1-500, 50 by default) and the `cursor` of the previous"
                    + " page's `nextCursor`, absent on the last page. Orders are listed by creation time, so orders"
                    + " released while a client pages are neither skipped nor repeated. `updatedSince` keeps the"
                    + " orders changed since then. `page` and `size` are the deprecated paging of 1.0.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = OrderPage.class)))
    @APIResponse(responseCode = "400", description = "Unknown status, a limit out of range or a cursor this API did not give",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<OrderPage> list(@QueryParam("customerId") @Size(max = 64) String customerId,
            @QueryParam("status") @Schema(implementation = OrderStatus.class) String status,
            @QueryParam("updatedSince") @Schema(description = "ISO-8601 instant") String updatedSince,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor,
            @Parameter(deprecated = true) @QueryParam("page") @Min(0) Integer page,
            @Parameter(deprecated = true) @QueryParam("size") @Min(1) @Max(200) Integer size) {
        OrderStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = OrderStatus.valueOf(status.trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new ProblemException(400, "validation", "Invalid request", "status must be one of "
                        + java.util.Arrays.toString(OrderStatus.values()),
                        java.util.List.of(new Problem.FieldError("status", "unknown-value", "no such status: " + status)),
                        null);
            }
        }
        if (page != null || size != null) {
            return releases.list(customerId, wanted, page == null ? 0 : page, size == null ? 50 : size);
        }
        return releases.list(customerId, wanted, com.logisync.runtime.rest.Paging.updatedSince(updatedSince), cursor,
                com.logisync.runtime.rest.Paging.limit(limit));
    }

    @jakarta.annotation.security.RolesAllowed({Roles.ERP, Roles.OPS})
    @GET
    @Path("/{orderId}")
    @Operation(operationId = "getOrder", summary = "An order with its dispatch reference and status history")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "404", description = "No such order",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<OrderView> get(@PathParam("orderId") String orderId) {
        return releases.find(orderId).map(r -> OrderView.of(r.order(), r.history()));
    }

    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            mediaType = "application/json", schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = OrderRequest.class), 
            examples = @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(name = "the whole order as amended",
                    value = "{\"orderId\": \"ORD-1001\", \"customerId\": \"CUST-ACME\", \"serviceLevel\": \"LTL_STANDARD\", \"lines\": [{\"pieces\": 6, \"weightKg\": 1200, \"hazmat\": false, \"description\": \"palletised auto parts\"}], \"stops\": [{\"type\": \"PICKUP\", \"name\": \"Acme DC\", \"address\": {\"line1\": \"100 Commerce St\", \"city\": \"Dallas\", \"region\": \"TX\", \"postalCode\": \"75201\", \"country\": \"US\"}, \"zoneId\": \"America/Chicago\", \"window\": {\"start\": \"2027-01-10T08:00:00-06:00\", \"end\": \"2027-01-10T12:00:00-06:00\"}}, {\"type\": \"DELIVERY\", \"name\": \"Store 17\", \"address\": {\"line1\": \"9 Main St\", \"city\": \"Houston\", \"region\": \"TX\", \"postalCode\": \"77002\", \"country\": \"US\"}, \"zoneId\": \"America/Chicago\", \"window\": {\"start\": \"2027-01-11T08:00:00-06:00\", \"end\": \"2027-01-11T17:00:00-06:00\"}}], \"references\": {\"poNumbers\": [\"PO-7781\"], \"bol\": \"BOL-1001\"}}")))
    @PUT
    @Path("/{orderId}")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "order-picked-up,order-cancelled,business-rule-violation")
    @Operation(operationId = "amendOrder", summary = "Amend an order before pickup",
            description = "Sends the whole order as amended. It is validated like a release, sent to the TMS"
                    + " (durably, like the first handoff) and published as OrderAmended. Sending the current"
                    + " content again changes nothing.")
    @APIResponse(responseCode = "200", description = "Amended (or already so); the body shows the order",
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "400", description = "Malformed request, or the body names another order",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such order",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Picked up or cancelled: no longer amendable",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The amended order violates business rules; every violation is listed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<OrderView> amend(@PathParam("orderId") String orderId, @Valid @NotNull OrderRequest request) {
        return changes.amend(orderId, request, identity.getPrincipal().getName()).map(r -> OrderView.of(r.order().order(), r.order().history()));
    }

    @POST
    @Path("/{orderId}/cancel")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "order-picked-up,order-cancelled")
    @Operation(operationId = "cancelOrder", summary = "Cancel an order before pickup",
            description = "Published as OrderCancelled at once; the load is cancelled at the TMS durably."
                    + " Cancelling a cancelled order changes nothing.")
    @APIResponse(responseCode = "200", description = "Cancelled (or already so); the body shows the order",
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "400", description = "Missing reason",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such order",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Picked up: too late to cancel",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> cancel(@PathParam("orderId") String orderId, @Valid @NotNull CancelRequest request,
            @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey) {
        return keys.once(idempotencyKey, "cancelOrder", java.util.Map.of("orderId", orderId, "request", request),
                () -> changes.cancel(orderId, request.reason(), identity.getPrincipal().getName())
                        .map(r -> Response.ok(OrderView.of(r.order().order(), r.order().history())).build()));
    }
}
