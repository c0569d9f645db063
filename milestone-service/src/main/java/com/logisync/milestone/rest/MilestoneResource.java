package com.logisync.milestone.rest;

import com.logisync.milestone.service.MilestoneIngestion;
import com.logisync.runtime.rest.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/milestones")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Milestones", description = "Canonical milestone ingestion")
public class MilestoneResource {

    private final MilestoneIngestion ingestion;

    public MilestoneResource(MilestoneIngestion ingestion) {
        this.ingestion = ingestion;
    }

    @POST
    @Operation(summary = "Report one milestone",
            description = "Recorded and published once; a repeat of the same source event id is answered DUPLICATE;"
                    + " a milestone for a shipment not known yet is PARKED and recorded when the order arrives.")
    @APIResponse(responseCode = "202", description = "Accepted: recorded, duplicate or parked",
            content = @Content(schema = @Schema(implementation = MilestoneAccepted.class)))
    @APIResponse(responseCode = "400", description = "Malformed or incomplete milestone",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> report(@Valid @NotNull MilestoneRequest request) {
        return ingestion.ingest(request).map(accepted -> Response.accepted(accepted).build());
    }
}
