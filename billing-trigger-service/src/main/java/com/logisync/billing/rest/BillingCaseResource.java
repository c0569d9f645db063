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
import jakarta.ws.rs.core.Response;
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

    /** Idempotency-Key handling of the POSTs that create or decide something. */
    @jakarta.inject.Inject
    com.logisync.runtime.rest.IdempotencyKeys keys;

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
    @Operation(operationId = "getBillingCase", summary = "A shipment's billing case and eligibility checklist")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No billing case for that shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BillingCaseView> get(@PathParam("shipmentId") String shipmentId) {
        return cases.find(shipmentId).map(BillingCaseView::of);
    }

    @jakarta.annotation.security.RolesAllowed({Roles.BILLING_CLERK, Roles.SERVICE_AGENT, Roles.OPS})
    @GET
    @Path("/{shipmentId}/rating")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "not-ratable")
    @Operation(operationId = "getBillingCaseRating", summary = "What the shipment costs by its contract today, line by line with each line's basis")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RatingEngine.Rating.class)))
    @APIResponse(responseCode = "404", description = "No billing case for that shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Not ratable yet, and why (no lane, no diesel index for the week …):"
            + " problem type not-ratable with the shipmentId",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RatingEngine.Rating> rating(@PathParam("shipmentId") String shipmentId) {
        return cases.rate(shipmentId);
    }

    /** A clerk's decision or resolution, with why. Who decides is the token's subject, never the body. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ClerkDecision")
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
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "accessorial-decided,business-rule-violation")
    @Operation(operationId = "approveAccessorial", summary = "Approve a pending accessorial (a lumper needs its receipt)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No such case or accessorial",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already rejected",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A lumper without a receipt",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> approve(@PathParam("shipmentId") String shipmentId,
            @PathParam("accessorialId") String accessorialId, @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Decision decision,
            @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey) {
        return keys.once(idempotencyKey, "approveAccessorial", java.util.Map.of("shipmentId", shipmentId, "accessorialId", accessorialId, "decision", decision),
                () -> cases.approve(shipmentId, accessorialId, actor(), decision.reason()).map(c -> Response.ok(BillingCaseView.of(c)).build()));
    }

    @POST
    @Path("/{shipmentId}/accessorials/{accessorialId}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "accessorial-decided")
    @Operation(operationId = "rejectAccessorial", summary = "Reject a pending accessorial, with the reason")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No such case or accessorial",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already approved",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> reject(@PathParam("shipmentId") String shipmentId,
            @PathParam("accessorialId") String accessorialId, @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Decision decision,
            @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey) {
        return keys.once(idempotencyKey, "rejectAccessorial", java.util.Map.of("shipmentId", shipmentId, "accessorialId", accessorialId, "decision", decision),
                () -> cases.reject(shipmentId, accessorialId, actor(), decision.reason()).map(c -> Response.ok(BillingCaseView.of(c)).build()));
    }

    @POST
    @Path("/{shipmentId}/exceptions/{exceptionId}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "resolveCaseException", summary = "Resolve an open exception, with the reason")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No such case or exception",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> resolve(@PathParam("shipmentId") String shipmentId,
            @PathParam("exceptionId") String exceptionId, @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Decision decision,
            @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey) {
        return keys.once(idempotencyKey, "resolveCaseException", java.util.Map.of("shipmentId", shipmentId, "exceptionId", exceptionId, "decision", decision),
                () -> cases.resolve(shipmentId, exceptionId, actor(), decision.reason()).map(c -> Response.ok(BillingCaseView.of(c)).build()));
    }

    @POST
    @Path("/{shipmentId}/reinvoice")
    @Consumes(MediaType.APPLICATION_JSON)
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "not-invoice-failed,not-ratable")
    @Operation(operationId = "reinvoiceBillingCase", summary = "Ask ERP again after it refused the invoice: rates the case afresh as the next revision,"
            + " under a new idempotency key")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No billing case for that shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The case is not INVOICE_FAILED (an invoice is never asked twice)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> reinvoice(@PathParam("shipmentId") String shipmentId,
            @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Decision decision,
            @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey) {
        return keys.once(idempotencyKey, "reinvoiceBillingCase", java.util.Map.of("shipmentId", shipmentId, "decision", decision),
                () -> cases.reinvoice(shipmentId, actor(), decision.reason()).map(c -> Response.ok(BillingCaseView.of(c)).build()));
    }

    @POST
    @Path("/{shipmentId}/void-and-rebill")
    @Consumes(MediaType.APPLICATION_JSON)
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "not-invoiced,documents-pending,not-ratable")
    @Operation(operationId = "voidAndRebillBillingCase", summary = "Void a disputed invoice and rebill it: a credit note for every invoice of the case not yet"
            + " credited, then one new invoice rated afresh; each document once at ERP under its own key")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BillingCaseView.class)))
    @APIResponse(responseCode = "404", description = "No billing case for that shipment",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The case is not INVOICED, or a document is still being asked of ERP",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The case cannot be rated now (not-ratable, with the reason)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> voidAndRebill(@PathParam("shipmentId") String shipmentId,
            @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Decision decision,
            @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey) {
        return keys.once(idempotencyKey, "voidAndRebillBillingCase", java.util.Map.of("shipmentId", shipmentId, "decision", decision),
                () -> documents.voidAndRebill(shipmentId, actor(), decision.reason()).map(c -> Response.ok(BillingCaseView.of(c)).build()));
    }

    @jakarta.annotation.security.RolesAllowed({Roles.BILLING_CLERK, Roles.OPS})
    @PUT
    @Path("/{shipmentId}/pod-document")
    @Consumes({"application/pdf", "image/jpeg", "image/png", "image/tiff"})
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "pod-document-too-large,business-rule-violation")
    @Operation(operationId = "putPodDocument", summary = "Upload the POD document (PDF, JPEG, PNG or TIFF; at most"
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
    @Operation(operationId = "getPodDocument", summary = "The uploaded POD document, as uploaded")
    @APIResponse(responseCode = "200", description = "The document's bytes, with its content type", content = {
            @Content(mediaType = "application/pdf", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/jpeg", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/tiff", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary"))})
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
