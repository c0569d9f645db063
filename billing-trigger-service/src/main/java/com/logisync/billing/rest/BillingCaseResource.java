package com.logisync.billing.rest;

import com.logisync.contracts.security.Roles;
import com.logisync.billing.service.BillingCaseService;
import com.logisync.billing.service.RatingEngine;
import com.logisync.runtime.rest.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@jakarta.annotation.security.RolesAllowed({Roles.BILLING_CLERK})
@Path("/api/v1/billing-cases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing cases", description = "Billing eligibility per shipment")
public class BillingCaseResource {

    private final BillingCaseService cases;
    private final io.quarkus.security.identity.SecurityIdentity identity;

    public BillingCaseResource(BillingCaseService cases, io.quarkus.security.identity.SecurityIdentity identity) {
        this.identity = identity;
        this.cases = cases;
    }

    @jakarta.annotation.security.RolesAllowed({Roles.BILLING_CLERK, Roles.SERVICE_AGENT, Roles.OPS})
    @GET
    @Path("/{shipmentId}")
    @Operation(summary = "A shipment's billing case and eligibility checklist")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No billing case for that shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BillingCaseView> get(@PathParam("shipmentId") String shipmentId) {
        return cases.find(shipmentId).map(BillingCaseView::of);
    }

    @jakarta.annotation.security.RolesAllowed({Roles.BILLING_CLERK, Roles.SERVICE_AGENT, Roles.OPS})
    @GET
    @Path("/{shipmentId}/rating")
    @Operation(summary = "What the shipment costs by its contract today, line by line with each line's basis")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RatingEngine.Rating.class)))
    @APIResponse(responseCode = "404", description = "No billing case for that shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not ratable yet, and why (no lane, no diesel index for the week …)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RatingEngine.Rating> rating(@PathParam("shipmentId") String shipmentId) {
        return cases.rate(shipmentId);
    }

    /** A clerk's decision or resolution, with why. Who decides is the token's subject, never the body. */
    public record Decision(
            @Schema(description = "Deprecated and ignored: the actor recorded is the bearer token's subject",
                    deprecated = true, example = "clerk-7")
            @jakarta.validation.constraints.Size(max = 80) String decidedBy,
            @Schema(description = "Why", example = "dock confirmed the wait on the phone")
            @jakarta.validation.constraints.NotBlank @jakarta.validation.constraints.Size(max = 400) String reason) {
    }

    /** The actor every decision records: the authenticated caller. */
    private String actor() {
        return identity.getPrincipal().getName();
    }

    @POST
    @Path("/{shipmentId}/accessorials/{accessorialId}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve a pending accessorial (a lumper needs its receipt)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No such case or accessorial",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already rejected",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A lumper without a receipt",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BillingCaseView> approve(@PathParam("shipmentId") String shipmentId,
            @PathParam("accessorialId") String accessorialId, @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Decision decision) {
        return cases.approve(shipmentId, accessorialId, actor(), decision.reason()).map(BillingCaseView::of);
    }

    @POST
    @Path("/{shipmentId}/accessorials/{accessorialId}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reject a pending accessorial, with the reason")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No such case or accessorial",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already approved",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BillingCaseView> reject(@PathParam("shipmentId") String shipmentId,
            @PathParam("accessorialId") String accessorialId, @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Decision decision) {
        return cases.reject(shipmentId, accessorialId, actor(), decision.reason()).map(BillingCaseView::of);
    }

    @POST
    @Path("/{shipmentId}/exceptions/{exceptionId}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolve an open exception, with the reason")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No such case or exception",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BillingCaseView> resolve(@PathParam("shipmentId") String shipmentId,
            @PathParam("exceptionId") String exceptionId, @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Decision decision) {
        return cases.resolve(shipmentId, exceptionId, actor(), decision.reason()).map(BillingCaseView::of);
    }

    @POST
    @Path("/{shipmentId}/reinvoice")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ask ERP again after it refused the invoice: rates the case afresh as the next revision,"
            + " under a new idempotency key")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No billing case for that shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The case is not INVOICE_FAILED (an invoice is never asked twice)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BillingCaseView> reinvoice(@PathParam("shipmentId") String shipmentId,
            @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Decision decision) {
        return cases.reinvoice(shipmentId, actor(), decision.reason()).map(BillingCaseView::of);
    }
}
