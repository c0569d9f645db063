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
    public Uni<jakarta.ws.rs.core.Response> get(@PathParam("shipmentId") String shipmentId) {
        return queries.caseView(shipmentId).map(ShipmentCaseResource::json);
    }

    /** The cached view is already the JSON the API answers with. */
    private static jakarta.ws.rs.core.Response json(byte[] view) {
        return jakarta.ws.rs.core.Response.ok(view, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/lookup")
    @Operation(summary = "The case view of the shipment any business key names",
            description = "The key may be the shipment id, ERP order id, TMS load id, ERP invoice id, BOL, PRO or PO number.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentCaseView.class)))
    @APIResponse(responseCode = "400", description = "No key given",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No shipment is known by that key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Several shipments share that key (a PO split into loads): "
            + "\"shipmentIds\" lists them", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    public Uni<jakarta.ws.rs.core.Response> lookup(@jakarta.ws.rs.QueryParam("key") String key) {
        if (key == null || key.isBlank()) {
            return Uni.createFrom().failure(Params.invalid("key", "REQUIRED", "is required"));
        }
        String k = key.trim();
        return queries.shipmentsByKey(k).chain(ids -> {
            if (ids.isEmpty()) {
                return Uni.createFrom().failure(com.logisync.runtime.rest.ProblemException.notFound("Shipment with key", k));
            }
            if (ids.size() > 1) {
                return Uni.createFrom().failure(com.logisync.runtime.rest.ProblemException.conflict("ambiguous-key",
                        "Key " + k + " names " + ids.size() + " shipments", java.util.Map.of("shipmentIds", ids)));
            }
            return queries.caseView(ids.get(0)).map(ShipmentCaseResource::json);
        });
    }
}
