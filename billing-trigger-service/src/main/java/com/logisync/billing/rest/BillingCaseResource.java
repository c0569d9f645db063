package com.logisync.billing.rest;

import com.logisync.billing.service.BillingCaseService;
import com.logisync.runtime.rest.Problem;
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

@Path("/api/v1/billing-cases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing cases", description = "Billing eligibility per shipment")
public class BillingCaseResource {

    private final BillingCaseService cases;

    public BillingCaseResource(BillingCaseService cases) {
        this.cases = cases;
    }

    @GET
    @Path("/{shipmentId}")
    @Operation(summary = "A shipment's billing case and eligibility checklist")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No billing case for that shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BillingCaseView> get(@PathParam("shipmentId") String shipmentId) {
        return cases.find(shipmentId).map(BillingCaseView::of);
    }
}
