package com.logisync.ordersync.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.math.BigDecimal;
import java.time.Instant;

/** The modern dispatch platform's load API (base URL: {@code quarkus.rest-client.tms.url}). */
@RegisterRestClient(configKey = "tms")
@Path("/tms/api/v1")
public interface TmsRestApi {

    @POST
    @Path("/loads")
    Uni<LoadCreated> createLoad(@HeaderParam("Idempotency-Key") String idempotencyKey, LoadRequest request);

    @PUT
    @Path("/loads/{loadId}")
    Uni<LoadCreated> updateLoad(@PathParam("loadId") String loadId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, LoadRequest request);

    @POST
    @Path("/loads/{loadId}/cancel")
    Uni<LoadCancelled> cancelLoad(@PathParam("loadId") String loadId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, CancelRequest request);

    record StopPayload(String type, String name, String city, String country, String zoneId, Instant windowStart,
            Instant windowEnd) {
    }

    record LoadRequest(String shipmentReference, String orderReference, String customer, String serviceLevel,
            int pieces, BigDecimal weightKg, boolean hazmat, StopPayload pickup, StopPayload delivery) {
    }

    record LoadCreated(String loadId, String routeId, String carrier, String driver, String vehicle,
            Instant plannedPickup, Instant plannedDelivery) {
    }

    record CancelRequest(String reason) {
    }

    record LoadCancelled(String loadId, String status) {
    }
}
