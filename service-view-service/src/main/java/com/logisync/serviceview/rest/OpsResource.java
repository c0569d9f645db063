package com.logisync.serviceview.rest;

import com.logisync.contracts.security.Roles;
import com.logisync.runtime.rest.Problem;
import com.logisync.serviceview.service.ReadModelReplay;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
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

@jakarta.annotation.security.RolesAllowed({Roles.OPS})
@Path("/api/v1/ops/replay")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class OpsResource {

    private final ReadModelReplay replay;

    public OpsResource(ReadModelReplay replay) {
        this.replay = replay;
    }

    @POST
    @Operation(summary = "Rebuild the read model from the topics",
            description = "Empties the read model and re-reads every topic from its beginning; the live consumers keep"
                    + " running. Follow it with GET.")
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = ReadModelReplay.Status.class)))
    @APIResponse(responseCode = "409", description = "A replay is running",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> start() {
        return replay.start().map(s -> Response.accepted(s).build());
    }

    @GET
    @Operation(summary = "Where the last replay stands")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ReadModelReplay.Status.class)))
    public ReadModelReplay.Status status() {
        return replay.status();
    }
}
