package com.logisync.milestone.rest;

import com.logisync.contracts.event.MilestoneCorrected;
import com.logisync.contracts.security.Roles;
import com.logisync.milestone.partner.PartnerProfiles;
import com.logisync.milestone.service.MilestoneCorrections;
import com.logisync.runtime.rest.Problem;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@RolesAllowed({Roles.CARRIER, Roles.OPS})
@Path("/api/v1/milestones/{eventId}/corrections")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Milestones", description = "Canonical milestone ingestion")
public class CorrectionResource {

    /** Idempotency-Key handling of the POSTs that create or decide something. */
    @jakarta.inject.Inject
    com.logisync.runtime.rest.IdempotencyKeys keys;

    private final MilestoneCorrections corrections;
    private final SecurityIdentity identity;

    public CorrectionResource(MilestoneCorrections corrections, SecurityIdentity identity) {
        this.corrections = corrections;
        this.identity = identity;
    }

    @POST
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "ops-only,partner-mismatch,milestone-voided,business-rule-violation")
    @Operation(operationId = "correctMilestone", summary = "Correct a recorded milestone",
            description = "Void it or correct its time, with a reason; an ops user may also attach a POD received by"
                    + " other means to a DELIVERED milestone. The partner that reported the milestone or an ops user may"
                    + " correct it; the actor is the token's subject. The shipment's status is recomputed and"
                    + " MilestoneCorrected is published: billing re-evaluates a case not yet invoiced, and the case view"
                    + " shows the correction (an invoiced shipment gets a service task).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CorrectionRequest.class), examples = {
                    @ExampleObject(name = "void a delivery sent for the wrong load",
                            value = "{\"action\": \"VOID\", \"reason\": \"reported for the wrong load\"}"),
                    @ExampleObject(name = "ops records a paper POD",
                            value = "{\"action\": \"RECORD_POD\", \"reason\": \"scanned paper POD from the driver\", \"pod\":"
                                    + " {\"signedBy\": \"J. Doe\", \"signedAt\": \"2027-01-11T15:42:00-06:00\", \"documentRef\": \"SCAN-1\"}}") }))
    @APIResponse(responseCode = "201", description = "Corrected: the correction and the shipment's status after it",
            content = @Content(schema = @Schema(implementation = MilestoneCorrected.class)))
    @APIResponse(responseCode = "400", description = "Malformed correction (RETIME without eventTime, RECORD_POD without pod)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Neither the partner that reported the milestone nor ops; RECORD_POD"
            + " by a carrier", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such milestone",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The milestone is already voided",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "RECORD_POD on a milestone that is not a delivery",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> correct(@PathParam("eventId") String eventId, @Valid @NotNull CorrectionRequest request,
            @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey) {
        MilestoneCorrections.Caller caller = new MilestoneCorrections.Caller(PartnerProfiles.partnerOf(identity),
                identity.getPrincipal().getName(), identity.hasRole(Roles.OPS));
        return keys.once(idempotencyKey, "correctMilestone", java.util.Map.of("eventId", eventId, "request", request),
                () -> corrections.correct(eventId, request, caller).map(c -> Response.status(201).entity(c).build()));
    }
}
