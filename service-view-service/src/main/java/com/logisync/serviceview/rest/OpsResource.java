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
@Path("/api/v1/ops")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class OpsResource {

    private final ReadModelReplay replay;

    public OpsResource(ReadModelReplay replay) {
        this.replay = replay;
    }

    @POST
    @Path("/view/replay")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types",
            value = "replay-running,topics-incomplete,snapshot-too-old,feed-index")
    @Operation(operationId = "startReplay", summary = "Rebuild the read model from the latest snapshot plus the topics",
            description = "Restores the latest snapshot (GET /api/v1/ops/view/replay/snapshot) into the read model and re-reads every topic"
                    + " from the offsets it was taken at; without a snapshot, empties the read model and re-reads the"
                    + " topics from their beginning, but only while they still hold every record. The live consumers"
                    + " keep running; a replay whose service is killed or restarted resumes where it stopped. Follow"
                    + " it with GET.")
    @APIResponse(responseCode = "202", description = "Started: where it stands", content = @Content(schema = @Schema(implementation = ReadModelReplay.Status.class)))
    @APIResponse(responseCode = "409", description = "A replay is running (replay-running), or the topics no longer"
            + " hold what it needs: no snapshot and records deleted (topics-incomplete), or a snapshot older than the"
            + " topics keep (snapshot-too-old); `gaps` names the partitions. Or the customer feed's unique index on"
            + " event ids, which a replay builds first, could not be built (feed-index)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> start() {
        return replay.start().map(s -> Response.accepted(s).build());
    }

    @GET
    @Path("/view/replay")
    @Operation(operationId = "getReplay", summary = "Where the last replay stands")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ReadModelReplay.Status.class)))
    public Uni<ReadModelReplay.Status> status() {
        return replay.status();
    }

    @POST
    @Path("/view/replay/snapshot")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "replay-running,snapshot-running")
    @Operation(operationId = "takeReplaySnapshot", summary = "Take a snapshot of the read model now",
            description = "Copies the read model with the live consumers' committed offsets; one is also taken every"
                    + " logisync.replay.snapshot-every (6 h). A replay starts from the latest.")
    @APIResponse(responseCode = "201", description = "Taken", content = @Content(schema = @Schema(implementation = ReadModelReplay.Snapshot.class)))
    @APIResponse(responseCode = "409", description = "A replay is running, or another replica is taking a snapshot",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> snapshot() {
        return replay.takeSnapshot(true).map(s -> Response.status(201).entity(s).build());
    }

    @GET
    @Path("/view/replay/snapshot")
    @Operation(operationId = "getReplaySnapshot", summary = "The latest snapshot: when, how many cases, and the offsets a replay re-reads from")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ReadModelReplay.Snapshot.class)))
    @APIResponse(responseCode = "404", description = "No snapshot yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ReadModelReplay.Snapshot> latestSnapshot() {
        return replay.latestSnapshot().onItem().ifNull().failWith(() -> com.logisync.runtime.rest.ProblemException
                .notFound("A snapshot of the read model", "(none taken yet)"));
    }

    // Deprecated aliases: the paths of 1.0, before the gateway's prefix table gave /api/v1/ops/view to this service.

    @POST
    @Path("/replay")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types",
            value = "replay-running,topics-incomplete,snapshot-too-old,feed-index")
    @Operation(operationId = "startReplayDeprecated", deprecated = true, summary = "Deprecated alias of POST /api/v1/ops/view/replay")
    @APIResponse(responseCode = "202", description = "Started: where it stands", content = @Content(schema = @Schema(implementation = ReadModelReplay.Status.class)))
    @APIResponse(responseCode = "409", description = "As POST /api/v1/ops/view/replay",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> startDeprecated() {
        return start();
    }

    @GET
    @Path("/replay")
    @Operation(operationId = "getReplayDeprecated", deprecated = true, summary = "Deprecated alias of GET /api/v1/ops/view/replay")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ReadModelReplay.Status.class)))
    public Uni<ReadModelReplay.Status> statusDeprecated() {
        return status();
    }

    @POST
    @Path("/replay/snapshot")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "replay-running,snapshot-running")
    @Operation(operationId = "takeReplaySnapshotDeprecated", deprecated = true,
            summary = "Deprecated alias of POST /api/v1/ops/view/replay/snapshot")
    @APIResponse(responseCode = "201", description = "Taken", content = @Content(schema = @Schema(implementation = ReadModelReplay.Snapshot.class)))
    @APIResponse(responseCode = "409", description = "As POST /api/v1/ops/view/replay/snapshot",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> snapshotDeprecated() {
        return snapshot();
    }

    @GET
    @Path("/replay/snapshot")
    @Operation(operationId = "getReplaySnapshotDeprecated", deprecated = true,
            summary = "Deprecated alias of GET /api/v1/ops/view/replay/snapshot")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ReadModelReplay.Snapshot.class)))
    @APIResponse(responseCode = "404", description = "No snapshot yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ReadModelReplay.Snapshot> latestSnapshotDeprecated() {
        return latestSnapshot();
    }
}
