package com.logisync.serviceview.rest;

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

    public enum Status { OPEN, RESOLVED }

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

    @GET
    @Operation(summary = "Service tasks, oldest first, by status and customer")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", description = "Unknown status, or page/size out of range",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<ShipmentCaseView.Task>> list(@QueryParam("status") @Schema(enumeration = {"open", "resolved"}) String status,
            @QueryParam("customerId") String customerId, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        if (customerId != null) {
            scope.require(customerId);
        }
        String customer = scope.customer().orElse(customerId);
        Status s = Params.optionalEnum("status", status, Status.class);
        int p = Params.page(page);
        int n = Params.size(size);
        return Panache.withSession(() -> tasks.find(s == null ? null : s.name(), customer, p, n))
                .map(list -> list.stream().map(ShipmentCaseView.Task::of).toList());
    }

    @POST
    @Path("/{taskId}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolve a task (resolving a resolved task changes nothing)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentCaseView.Task.class)))
    @APIResponse(responseCode = "400", description = "No resolution given",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ShipmentCaseView.Task> resolve(@PathParam("taskId") String taskId, @Valid @NotNull Resolution body) {
        scope.requireAgent();
        String agent = identity.getPrincipal().getName();
        return service.resolve(taskId, agent, body.resolution())
                .call(t -> views.invalidate(t.shipmentId))
                .map(ShipmentCaseView.Task::of);
    }
}
