package com.logisync.ordersync.rest;

import com.logisync.contracts.security.Roles;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.masterdata.Customer;
import com.logisync.ordersync.service.MasterDataService;
import com.logisync.runtime.rest.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@jakarta.annotation.security.RolesAllowed({Roles.ERP})
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Master data", description = "ERP's customers and contracts (ERP is the authority)")
public class MasterDataResource {

    private final MasterDataService masterData;
    private final io.quarkus.security.identity.SecurityIdentity identity;

    public MasterDataResource(MasterDataService masterData, io.quarkus.security.identity.SecurityIdentity identity) {
        this.identity = identity;
        this.masterData = masterData;
    }

    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            mediaType = "application/json", schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = MasterDataRequests.CustomerRequest.class), 
            examples = @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(name = "an active customer",
                    value = "{\"name\": \"Acme Manufacturing\", \"status\": \"ACTIVE\", \"creditHold\": false, \"timeZone\": \"America/Chicago\", \"servicePreferences\": {\"delayThresholdMinutes\": 60}, \"erpVersion\": 1}")))
    @PUT
    @Path("/customers/{customerId}")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "stale-erp-version")
    @Operation(operationId = "putCustomer", summary = "Create or update a customer", description = "Idempotent; carries ERP's version.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Customer.class)))
    @APIResponse(responseCode = "200", description = "Updated, or already at this version",
            content = @Content(schema = @Schema(implementation = Customer.class)))
    @APIResponse(responseCode = "409", description = "Stale ERP version; the body names the current one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> putCustomer(@PathParam("customerId") @Size(max = 64) String customerId,
            @Valid @NotNull MasterDataRequests.CustomerRequest request) {
        return masterData.upsert(request.toCustomer(customerId)).map(MasterDataResource::respond);
    }

    @jakarta.annotation.security.RolesAllowed({Roles.ERP, Roles.OPS})
    @GET
    @Path("/customers/{customerId}")
    @Operation(operationId = "getCustomer", summary = "A customer as last received from ERP")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Customer.class)))
    @APIResponse(responseCode = "404", description = "No such customer", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Customer> getCustomer(@PathParam("customerId") String customerId) {
        return masterData.customer(customerId);
    }

    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            mediaType = "application/json", schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = MasterDataRequests.ContractRequest.class), 
            examples = @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(name = "a contract with one lane",
                    value = "{\"customerId\": \"CUST-ACME\", \"validFrom\": \"2026-01-01\", \"lanes\": [{\"originRegion\": \"US-TX\", \"destinationRegion\": \"US\", \"linehaulRate\": 1450.00, \"currency\": \"USD\", \"serviceLevels\": [\"LTL_STANDARD\"], \"minDeliveryWindowMinutes\": 60, \"maxWeightKg\": 20000}], \"accessorialRates\": {\"DET\": 85.00, \"LFT\": 75.00}, \"freeDetentionMinutes\": 120, \"detentionCap\": 340.00, \"hazmatAllowed\": false, \"erpVersion\": 1}")))
    @PUT
    @Path("/contracts/{contractId}")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "stale-erp-version,business-rule-violation")
    @Operation(operationId = "putContract", summary = "Create or update a contract", description = "Idempotent; carries ERP's version.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Contract.class)))
    @APIResponse(responseCode = "200", description = "Updated, or already at this version",
            content = @Content(schema = @Schema(implementation = Contract.class)))
    @APIResponse(responseCode = "409", description = "Stale ERP version; the body names the current one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The contract's customer is unknown",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> putContract(@PathParam("contractId") @Size(max = 64) String contractId,
            @Valid @NotNull MasterDataRequests.ContractRequest request) {
        return masterData.upsert(request.toContract(contractId), identity.getPrincipal().getName())
                .map(MasterDataResource::respond);
    }

    @jakarta.annotation.security.RolesAllowed({Roles.ERP, Roles.OPS})
    @GET
    @Path("/contracts/{contractId}/history")
    @Operation(operationId = "getContractHistory", summary = "Every version of a contract ERP sent, oldest first, with who sent it and when")
    @APIResponse(responseCode = "200", description = "The versions (empty for a contract never received)")
    public Uni<java.util.List<com.logisync.ordersync.service.MasterDataService.ContractVersion>> contractHistory(
            @PathParam("contractId") String contractId) {
        return masterData.contractHistory(contractId);
    }

    @jakarta.annotation.security.RolesAllowed({Roles.ERP, Roles.OPS})
    @GET
    @Path("/contracts/{contractId}")
    @Operation(operationId = "getContract", summary = "A contract as last received from ERP")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Contract.class)))
    @APIResponse(responseCode = "404", description = "No such contract", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Contract> getContract(@PathParam("contractId") String contractId) {
        return masterData.contract(contractId);
    }

    private static Response respond(MasterDataService.Upserted<?> upserted) {
        return Response.status(upserted.outcome() == MasterDataService.Outcome.CREATED ? 201 : 200)
                .entity(upserted.value()).build();
    }

    /**
     * Behind the gateway every {@code /api/v1/customers} path comes here; the customer's shipment list, which
     * service-view served under this prefix before the prefix table, moved to {@code GET /api/v1/shipments}.
     * A client still on the old path is sent there (308 keeps the method; the query is kept).
     */
    @jakarta.annotation.security.RolesAllowed({Roles.SERVICE_AGENT})
    @GET
    @Path("/customers/{customerId}/shipments")
    @Operation(operationId = "redirectCustomerShipments", deprecated = true,
            summary = "Moved to GET /api/v1/shipments?customerId= (service-view): a redirect there, query kept")
    @APIResponse(responseCode = "308", description = "Permanent redirect to /api/v1/shipments?customerId=…",
            headers = @org.eclipse.microprofile.openapi.annotations.headers.Header(name = "Location",
                    description = "The list's new address, relative to this host",
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    public Response customerShipments(@PathParam("customerId") @Size(max = 64) String customerId,
            @jakarta.ws.rs.core.Context jakarta.ws.rs.core.UriInfo uri) {
        StringBuilder target = new StringBuilder("/api/v1/shipments?customerId=")
                .append(java.net.URLEncoder.encode(customerId, java.nio.charset.StandardCharsets.UTF_8));
        String query = uri.getRequestUri().getRawQuery();
        if (query != null && !query.isEmpty()) {
            target.append('&').append(query);
        }
        return Response.status(308).header("Location", target.toString()).build();
    }
}
