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
    public record Summary(String shipmentId, String orderId, String loadId, MilestoneType status, Instant statusAt,
            String delivery, Instant deliveryWindowEnd, Instant eta, String billingState, String invoiceId,
            Instant updatedAt) {

        static Summary of(ShipmentCase c) {
            return new Summary(c.shipmentId, c.orderId, c.loadId, c.statusMilestone, c.statusEventTime, c.deliveryName,
                    c.deliveryWindowEnd, c.eta, c.billingState == null ? "NOT_ELIGIBLE" : c.billingState, c.invoiceId,
                    c.updatedAt);
        }
    }

    public record Page(String customerId, int page, int size, List<Summary> items) {
    }

    private final CaseViewQueries queries;

    private final CustomerScope scope;

    public CustomerShipmentsResource(CaseViewQueries queries, CustomerScope scope) {
        this.scope = scope;
        this.queries = queries;
    }

    @GET
    @Operation(summary = "A customer's shipments, most recently updated first, optionally in one status")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Page.class)))
    @APIResponse(responseCode = "403", description = "The token is limited to another customer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "Unknown status, or page/size out of range",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Page> list(@PathParam("customerId") String customerId,
            @QueryParam("status") @Schema(description = "A milestone status such as IN_TRANSIT or DELIVERED") String status,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        scope.require(customerId);
        MilestoneType s = Params.optionalEnum("status", status, MilestoneType.class);
        int p = Params.page(page);
        int n = Params.size(size);
        return queries.customerShipments(customerId, s, p, n)
                .map(cases -> new Page(customerId, p, n, cases.stream().map(Summary::of).toList()));
    }
}
