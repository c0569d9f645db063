package com.logisync.serviceview.rest;

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

@Path("/api/v1/shipments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Case view", description = "The agent's single view of a shipment")
public class ShipmentCaseResource {

    private final CaseViewQueries queries;

    public ShipmentCaseResource(CaseViewQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("/{shipmentId}")
    @Operation(summary = "The case view of a shipment",
            description = "Order, dispatch reference, milestone timeline in event-time order, POD, billing state and"
                    + " the business-transaction stages with the trace id each ran under.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentCaseView.class)))
    @APIResponse(responseCode = "404", description = "No such shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ShipmentCaseView> get(@PathParam("shipmentId") String shipmentId) {
        return queries.caseView(shipmentId);
    }
}
