package com.logisync.runtime.deadletter;

import com.logisync.contracts.security.Roles;
import com.logisync.runtime.rest.Problem;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.List;

/**
 * A service's dead letters for operators (role {@code ops}), under {@code /api/v1/ops/<service>/dlq}:
 * each service declares the subclass with its own path ({@code orders}, {@code milestones},
 * {@code billing}, {@code view}).
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class DeadLetterResource {

    @Inject
    DeadLetterOps ops;
    @Inject
    SecurityIdentity identity;

    /** The records redriven at once, with what became of each. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "RedrivenDeadLetters")
    public record Redriven(List<DeadLetterOps.Entry> items) {
    }

    @RolesAllowed(Roles.OPS)
    @SecurityRequirement(name = "bearer", scopes = Roles.OPS)
    @GET
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "invalid-parameter")
    @Operation(operationId = "listDeadLetters", summary = "The records this service dead-lettered, with the reason, the topic, partition and offset"
            + " they came from and what became of a redrive; oldest first per DLQ topic and partition")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DeadLetterOps.Page.class)))
    @APIResponse(responseCode = "400", description = "A topic this service does not consume, or a bad limit or cursor",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DeadLetterOps.Page> list(
            @Parameter(description = "Only the dead letters of this consumed topic", example = "logisync.milestones.v1")
            @QueryParam("topic") String topic,
            @Parameter(description = "Page size, 1 to 500") @QueryParam("limit") @DefaultValue("50") int limit,
            @Parameter(description = "The nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        return ops.list(topic, limit, cursor);
    }

    @RolesAllowed(Roles.OPS)
    @SecurityRequirement(name = "bearer", scopes = Roles.OPS)
    @POST
    @Path("/{dlqTopic}/{partition}/{offset}/redrive")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "no-consumer")
    @Operation(operationId = "redriveDeadLetter", summary = "Redrive one dead-lettered record through the consumer that failed it (the same idempotent"
            + " consumer: applied once, or recognised as applied); the outcome is recorded and answered")
    @APIResponse(responseCode = "200", description = "REDRIVEN, or FAILED with why (it may be redriven again after a fix)",
            content = @Content(schema = @Schema(implementation = DeadLetterOps.Entry.class)))
    @APIResponse(responseCode = "404", description = "No such record among this service's dead letters",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "This service no longer consumes the record's topic",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DeadLetterOps.Entry> redrive(
            @Parameter(example = "logisync.milestones.v1.dlq") @PathParam("dlqTopic") String dlqTopic,
            @Parameter(example = "0") @PathParam("partition") int partition,
            @Parameter(example = "17") @PathParam("offset") long offset) {
        return ops.redrive(dlqTopic, partition, offset, identity.getPrincipal().getName());
    }

    @RolesAllowed(Roles.OPS)
    @SecurityRequirement(name = "bearer", scopes = Roles.OPS)
    @POST
    @Path("/redrive")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "invalid-parameter")
    @Operation(operationId = "redriveDeadLetters", summary = "Redrive every dead letter of this service not yet redriven successfully (of one topic, or"
            + " all), one after the other")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Redriven.class)))
    @APIResponse(responseCode = "400", description = "A topic this service does not consume",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Redriven> redriveAll(
            @Parameter(description = "Only the dead letters of this consumed topic", example = "logisync.milestones.v1")
            @QueryParam("topic") String topic) {
        return ops.redriveAll(topic, identity.getPrincipal().getName()).map(Redriven::new);
    }
}
