package com.logisync.serviceview.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.security.Roles;
import com.logisync.runtime.rest.Problem;
import com.logisync.serviceview.repository.ServiceTaskRepository;
import com.logisync.serviceview.service.CaseViewQueries;
import com.logisync.serviceview.service.ServiceTasks;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@jakarta.annotation.security.RolesAllowed({Roles.SERVICE_AGENT})
@Path("/api/v1/service-tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Service tasks", description = "Proactive tasks for agents when a delay passes the customer's threshold")
public class ServiceTaskResource {

    /** Idempotency-Key handling of the POSTs that create or decide something. */
    @jakarta.inject.Inject
    com.logisync.runtime.rest.IdempotencyKeys keys;

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ServiceTaskStatus")
    public enum Status { OPEN, RESOLVED }

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "TaskResolution")
    public record Resolution(
            @Schema(description = "Deprecated and ignored: the agent recorded is the bearer token's subject",
                    deprecated = true, example = "agent-12")
            @Size(max = 80) String resolvedBy,
            @Schema(example = "Called the consignee, new delivery slot agreed for 14:00")
            @NotBlank @Size(max = 400) String resolution) {
    }

    private final ServiceTaskRepository tasks;
    private final ServiceTasks service;
    private final Cache views;

    private final CustomerScope scope;
    private final io.quarkus.security.identity.SecurityIdentity identity;

    public ServiceTaskResource(ServiceTaskRepository tasks, ServiceTasks service,
            @CacheName(CaseViewQueries.CASE_VIEWS) Cache views, CustomerScope scope,
            io.quarkus.security.identity.SecurityIdentity identity) {
        this.identity = identity;
        this.scope = scope;
        this.tasks = tasks;
        this.service = service;
        this.views = views;
    }

    /** One page of service tasks; {@code nextCursor} is absent on the last page. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ServiceTaskPage")
    public record TaskPage(List<ShipmentCaseView.Task> items, String nextCursor) {
    }

    @GET
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "customer-scope,customer-claim-invalid")
    @Operation(operationId = "listServiceTasks", summary = "Service tasks, oldest first, by status and customer",
            description = "The project's paging: `limit` (1-500, 50 by default) and the `cursor` of the previous page's"
                    + " `nextCursor`. Tasks are listed by the time they were opened, so tasks opened or resolved while a"
                    + " client pages are neither skipped nor repeated.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TaskPage.class)))
    @APIResponse(responseCode = "400", description = "Unknown status, a limit out of range or a cursor this API did not give",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<TaskPage> list(@QueryParam("status") @Schema(implementation = Status.class) String status,
            @QueryParam("customerId") String customerId, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        if (customerId != null) {
            scope.require(customerId);
        }
        String customer = scope.customer().orElse(customerId);
        Status s = Params.optionalEnum("status", status, Status.class);
        int n = com.logisync.runtime.rest.Paging.limit(limit);
        com.logisync.runtime.rest.Paging.Position after = com.logisync.runtime.rest.Paging.position(cursor);
        return Panache.withSession(() -> tasks.find(s == null ? null : s.name(), customer, after, n + 1))
                .map(found -> new TaskPage(found.stream().limit(n).map(ShipmentCaseView.Task::of).toList(),
                        com.logisync.runtime.rest.Paging.next(found, n,
                                t -> com.logisync.runtime.rest.Paging.cursor(t.openedAt, t.taskId))));
    }

    @POST
    @Path("/{taskId}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "customer-scope,customer-claim-invalid")
    @Operation(operationId = "resolveServiceTask", summary = "Resolve a task (resolving a resolved task changes nothing)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentCaseView.Task.class)))
    @APIResponse(responseCode = "400", description = "No resolution given",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<jakarta.ws.rs.core.Response> resolve(@PathParam("taskId") String taskId, @Valid @NotNull Resolution body,
            @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey) {
        scope.requireAgent();
        String agent = identity.getPrincipal().getName();
        return keys.once(idempotencyKey, "resolveServiceTask", java.util.Map.of("taskId", taskId, "request", body),
                () -> service.resolve(taskId, agent, body.resolution())
                        .call(t -> views.invalidate(t.shipmentId))
                        .map(t -> jakarta.ws.rs.core.Response.ok(ShipmentCaseView.Task.of(t)).build()));
    }
}
