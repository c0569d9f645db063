package com.logisync.billing.rest;

import com.logisync.contracts.security.Roles;
import com.logisync.billing.service.BillingCaseService;
import com.logisync.billing.service.RatingEngine;
import com.logisync.runtime.rest.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
    private final com.logisync.billing.service.BillingDocuments documents;
    private final com.logisync.billing.service.PodDocuments pods;

    public BillingCaseResource(BillingCaseService cases, io.quarkus.security.identity.SecurityIdentity identity,
            com.logisync.billing.service.BillingDocuments documents, com.logisync.billing.service.PodDocuments pods) {
        this.documents = documents;
        this.pods = pods;
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

    @POST
    @Path("/{shipmentId}/void-and-rebill")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Void a disputed invoice and rebill it: a credit note for every invoice of the case not yet"
            + " credited, then one new invoice rated afresh; each document once at ERP under its own key")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No billing case for that shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The case is not INVOICED, a document is still being asked of"
            + " ERP, or the case cannot be rated now",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BillingCaseView> voidAndRebill(@PathParam("shipmentId") String shipmentId,
            @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Decision decision) {
        return documents.voidAndRebill(shipmentId, actor(), decision.reason()).map(BillingCaseView::of);
    }

    @jakarta.annotation.security.RolesAllowed({Roles.BILLING_CLERK, Roles.OPS})
    @PUT
    @Path("/{shipmentId}/pod-document")
    @Consumes({"application/pdf", "image/jpeg", "image/png", "image/tiff"})
    @Operation(summary = "Upload the POD document (PDF, JPEG, PNG or TIFF; at most"
            + " logisync.invoicing.pod-document-max-bytes, 5 MiB by default); a new upload replaces the old")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No billing case for that shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The document is larger than the limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Empty, or the bytes are not of the declared type",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BillingCaseView> uploadPodDocument(@PathParam("shipmentId") String shipmentId,
            @jakarta.ws.rs.HeaderParam("Content-Type") String contentType,
            @Parameter(description = "The document's file name, as the driver app or scanner named it")
            @jakarta.ws.rs.QueryParam("fileName") String fileName,
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(description = "The document's bytes",
                    content = {
                            @Content(mediaType = "application/pdf", example = "%PDF-1.7 …",
                                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")),
                            @Content(mediaType = "image/jpeg", example = "(JPEG bytes)",
                                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")),
                            @Content(mediaType = "image/png", example = "(PNG bytes)",
                                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")),
                            @Content(mediaType = "image/tiff", example = "(TIFF bytes)",
                                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary"))})
            byte[] content) {
        return pods.upload(shipmentId, contentType, fileName, content, actor()).map(BillingCaseView::of);
    }

    @jakarta.annotation.security.RolesAllowed({Roles.BILLING_CLERK, Roles.SERVICE_AGENT, Roles.OPS})
    @GET
    @Path("/{shipmentId}/pod-document")
    @Produces({"application/pdf", "image/jpeg", "image/png", "image/tiff", MediaType.APPLICATION_JSON})
    @Operation(summary = "The uploaded POD document, as uploaded")
    @APIResponse(responseCode = "200", description = "The document's bytes, with its content type")
    @APIResponse(responseCode = "404", description = "No billing case or no POD document uploaded",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<jakarta.ws.rs.core.Response> podDocument(@PathParam("shipmentId") String shipmentId) {
        return pods.download(shipmentId).map(d -> jakarta.ws.rs.core.Response.ok(d.content, d.contentType)
                .header("Content-Disposition", "inline" + (d.fileName == null ? "" : "; filename=\""
                        + d.fileName.replaceAll("[\"\\\\\r\n]", "_") + "\""))
                .header("Digest", "sha-256=" + java.util.Base64.getEncoder().encodeToString(
                        java.util.HexFormat.of().parseHex(d.sha256)))
                .build());
    }
}
