package com.logisync.serviceview.rest;

import com.logisync.contracts.security.Roles;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.runtime.rest.Problem;
import com.logisync.serviceview.model.ShipmentCase;
import com.logisync.serviceview.service.CaseViewQueries;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

@jakarta.annotation.security.RolesAllowed({Roles.SERVICE_AGENT})
@Path("/api/v1/customers/{customerId}/shipments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Shipment cases")
public class CustomerShipmentsResource {

    /** One line of a customer's shipment list. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ShipmentSummary")
    public record Summary(String shipmentId, String orderId, String loadId, MilestoneType status, Instant statusAt,
            String delivery, Instant deliveryWindowEnd, Instant eta, String billingState, String invoiceId,
            Instant updatedAt) {

        static Summary of(ShipmentCase c) {
            return new Summary(c.shipmentId, c.orderId, c.loadId, c.statusMilestone, c.statusEventTime, c.deliveryName,
                    c.deliveryWindowEnd, c.eta, c.billingState == null ? "NOT_ELIGIBLE" : c.billingState, c.invoiceId,
                    c.updatedAt);
        }
    }

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ShipmentPage")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Page(String customerId, List<Summary> items,
            @Schema(description = "The cursor of the next page; absent on the last") String nextCursor) {
    }

    private final CaseViewQueries queries;

    private final CustomerScope scope;

    public CustomerShipmentsResource(CaseViewQueries queries, CustomerScope scope) {
        this.scope = scope;
        this.queries = queries;
    }

    /** The list behind {@code GET /api/v1/shipments?customerId=} and its deprecated alias. */
    Uni<Page> page(String customerId, String status, String updatedSince, Integer limit, String cursor) {
        if (customerId == null || customerId.isBlank()) {
            throw Params.invalid("customerId", "REQUIRED", "is required");
        }
        scope.require(customerId);
        MilestoneType s = Params.optionalEnum("status", status, MilestoneType.class);
        Instant since = com.logisync.runtime.rest.Paging.updatedSince(updatedSince);
        int n = com.logisync.runtime.rest.Paging.limit(limit);
        com.logisync.runtime.rest.Paging.Position after = com.logisync.runtime.rest.Paging.position(cursor);
        return queries.customerShipments(customerId, s, since, after, n + 1)
                .map(cases -> new Page(customerId, cases.stream().limit(n).map(Summary::of).toList(),
                        com.logisync.runtime.rest.Paging.next(cases, n,
                                c -> com.logisync.runtime.rest.Paging.cursor(c.updatedAt, c.shipmentId))));
    }

    @GET
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "customer-scope,customer-claim-invalid")
    @Operation(operationId = "listCustomerShipments", deprecated = true,
            summary = "Deprecated alias of GET /api/v1/shipments?customerId= (the gateway routes /api/v1/customers to order-sync)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Page.class)))
    @APIResponse(responseCode = "403", description = "The token is limited to another customer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "Unknown status, a limit out of range or a cursor this API did not give",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Page> list(@PathParam("customerId") String customerId,
            @QueryParam("status") @Schema(implementation = MilestoneType.class) String status,
            @QueryParam("updatedSince") @Schema(description = "ISO-8601 instant") String updatedSince,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return page(customerId, status, updatedSince, limit, cursor);
    }
}
