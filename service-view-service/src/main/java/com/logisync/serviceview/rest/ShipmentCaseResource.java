package com.logisync.serviceview.rest;

import com.logisync.contracts.security.Roles;
import com.logisync.runtime.rest.Problem;
import com.logisync.serviceview.service.CaseViewQueries;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@jakarta.annotation.security.RolesAllowed({Roles.SERVICE_AGENT})
@Path("/api/v1/shipments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Case view", description = "The agent's single view of a shipment")
public class ShipmentCaseResource {

    private final CaseViewQueries queries;
    private final CustomerScope scope;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    private final CustomerShipmentsResource lists;

    public ShipmentCaseResource(CaseViewQueries queries, CustomerScope scope,
            com.fasterxml.jackson.databind.ObjectMapper mapper, CustomerShipmentsResource lists) {
        this.lists = lists;
        this.queries = queries;
        this.scope = scope;
        this.mapper = mapper;
    }

    /** The view, or 404 when the caller's token is limited to another customer (as if it did not exist). */
    private Uni<byte[]> visible(String shipmentId) {
        Uni<byte[]> view = queries.caseView(shipmentId);
        if (scope.customer().isEmpty()) {
            return view;
        }
        return view.invoke(bytes -> {
            if (!scope.allows(customerOf(bytes))) {
                throw com.logisync.runtime.rest.ProblemException.notFound("Shipment", shipmentId);
            }
        });
    }

    private String customerOf(byte[] view) {
        try {
            return mapper.readTree(view).path("customerId").asText(null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cached case view unreadable", e);
        }
    }

    @GET
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "customer-scope,customer-claim-invalid")
    @Operation(operationId = "listShipments", summary = "A customer's shipments, in the order they last changed",
            description = "The project's paging: `limit` (1-500, 50 by default) and the `cursor` of the previous page's"
                    + " `nextCursor`. Shipments are listed by their last change (oldest first, then id), so a shipment"
                    + " that changes while a client pages is listed again, with its new state, on a later page: never"
                    + " skipped. `updatedSince` keeps the shipments changed since then (a sync client passes the"
                    + " `updatedAt` of the last shipment it saw). A portal token lists only its own customer's.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CustomerShipmentsResource.Page.class)))
    @APIResponse(responseCode = "400", description = "customerId missing, unknown status, a limit out of range or a cursor this"
            + " API did not give",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The token is limited to another customer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<CustomerShipmentsResource.Page> list(
            @jakarta.ws.rs.QueryParam("customerId") @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(
                    required = true) String customerId,
            @jakarta.ws.rs.QueryParam("status") @Schema(implementation = com.logisync.contracts.milestone.MilestoneType.class) String status,
            @jakarta.ws.rs.QueryParam("updatedSince") @Schema(description = "ISO-8601 instant") String updatedSince,
            @jakarta.ws.rs.QueryParam("limit") Integer limit, @jakarta.ws.rs.QueryParam("cursor") String cursor) {
        return lists.page(customerId, status, updatedSince, limit, cursor);
    }

    @GET
    @Path("/{shipmentId}")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "customer-claim-invalid")
    @Operation(operationId = "getShipmentCase", summary = "The case view of a shipment",
            description = "Order, dispatch reference, milestone timeline in event-time order, POD, billing state and"
                    + " the business-transaction stages with the trace id each ran under.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentCaseView.class)))
    @APIResponse(responseCode = "404", description = "No such shipment (or, for a customer-portal token, another customer's)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<jakarta.ws.rs.core.Response> get(@PathParam("shipmentId") String shipmentId) {
        return visible(shipmentId).map(ShipmentCaseResource::json);
    }

    /** The cached view is already the JSON the API answers with. */
    private static jakarta.ws.rs.core.Response json(byte[] view) {
        return jakarta.ws.rs.core.Response.ok(view, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/lookup")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "ambiguous-key,customer-scope,customer-claim-invalid")
    @Operation(operationId = "lookupShipmentCase", summary = "The case view of the shipment any business key names",
            description = "The key may be the shipment id, ERP order id, TMS load id, ERP invoice id, BOL, PRO or PO number.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentCaseView.class)))
    @APIResponse(responseCode = "400", description = "No key given",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No shipment is known by that key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Several shipments share that key (a PO split into loads): "
            + "\"shipmentIds\" lists them (the first 20 by id)", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    public Uni<jakarta.ws.rs.core.Response> lookup(@jakarta.ws.rs.QueryParam("key") String key) {
        if (key == null || key.isBlank()) {
            return Uni.createFrom().failure(Params.invalid("key", "REQUIRED", "is required"));
        }
        String k = key.trim();
        return queries.shipmentsByKey(k, scope.customer()).chain(ids -> {
            if (ids.isEmpty()) {
                return Uni.createFrom().failure(com.logisync.runtime.rest.ProblemException.notFound("Shipment with key", k));
            }
            if (ids.size() > 1) {
                // Unprocessable as asked: the client picks one of shipmentIds (a read never answers 409).
                int max = CaseViewQueries.MAX_SHIPMENTS_BY_KEY;
                return Uni.createFrom().failure(new com.logisync.runtime.rest.ProblemException(422, "ambiguous-key",
                        "Ambiguous key", ids.size() > max
                                ? "Key " + k + " names more than " + max + " shipments; the first " + max + " by id are listed"
                                : "Key " + k + " names " + ids.size() + " shipments", null,
                        java.util.Map.of("shipmentIds", ids.subList(0, Math.min(ids.size(), max)))));
            }
            return queries.caseView(ids.get(0)).map(ShipmentCaseResource::json);
        });
    }
}
