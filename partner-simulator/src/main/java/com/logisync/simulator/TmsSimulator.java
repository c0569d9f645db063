package com.logisync.simulator;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays a dispatch platform (TMS): accepts a load request and answers with a load id, route,
 * carrier, driver and plan. Honours {@code Idempotency-Key} the way a real TMS should: the same key
 * returns the same load. A stand-in, not LogiSync.
 */
@Path("/tms/api/v1/loads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TmsSimulator {

    private static final String[] DRIVERS = { "D. Ortiz", "M. Chen", "A. Novak", "S. Patel" };

    private final Map<String, Map<String, Object>> loadsByKey = new ConcurrentHashMap<>();
    /** Seeded from the start time, so ids stay unique across restarts of the simulator, as a real system's do. */
    private final java.util.concurrent.atomic.AtomicLong sequence =
            new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis() / 1000 % 100_000_000L * 100);
    private final FaultInjection faults;

    public TmsSimulator(FaultInjection faults) {
        this.faults = faults;
    }

    @POST
    public Response createLoad(@HeaderParam("Idempotency-Key") String key, Map<String, Object> request) {
        Response fault = faults.next("tms");
        if (fault != null) {
            return fault;
        }
        if (key == null || key.isBlank()) {
            return Response.status(400).entity(Map.of("error", "Idempotency-Key header is required")).build();
        }
        Map<String, Object> existing = loadsByKey.get(key);
        if (existing != null) {
            return Response.ok(new java.util.LinkedHashMap<>(existing)).build();
        }
        Map<String, Object> load = loadsByKey.computeIfAbsent(key, k -> newLoad(request));
        return Response.status(201).entity(new java.util.LinkedHashMap<>(load)).build();
    }

    @PUT
    @Path("/{loadId}")
    public Response updateLoad(@PathParam("loadId") String loadId, @HeaderParam("Idempotency-Key") String key,
            Map<String, Object> request) {
        Response fault = faults.next("tms");
        if (fault != null) {
            return fault;
        }
        Map<String, Object> load = byLoadId(loadId);
        if (load == null) {
            return Response.status(404).entity(Map.of("error", "no load " + loadId)).build();
        }
        if ("CANCELLED".equals(load.get("status"))) {
            return Response.status(409).entity(Map.of("error", "load " + loadId + " is cancelled")).build();
        }
        synchronized (load) {
            if (key == null || !key.equals(load.get("lastUpdateKey"))) {
                load.put("revision", ((Integer) load.get("revision")) + 1);
                load.put("lastUpdateKey", key == null ? "" : key);
                load.put("serviceLevel", String.valueOf(request.get("serviceLevel")));
                load.put("pieces", request.get("pieces"));
            }
            return Response.ok(new java.util.LinkedHashMap<>(load)).build();
        }
    }

    @POST
    @Path("/{loadId}/cancel")
    public Response cancelLoad(@PathParam("loadId") String loadId, Map<String, Object> request) {
        Response fault = faults.next("tms");
        if (fault != null) {
            return fault;
        }
        Map<String, Object> load = byLoadId(loadId);
        if (load == null) {
            return Response.status(404).entity(Map.of("error", "no load " + loadId)).build();
        }
        synchronized (load) {
            load.put("status", "CANCELLED");
            load.put("cancelReason", request == null ? "" : String.valueOf(request.get("reason")));
        }
        return Response.ok(Map.of("loadId", loadId, "status", "CANCELLED")).build();
    }

    /** Every load, as the TMS holds it (status ACTIVE or CANCELLED, revision counts updates). */
    @GET
    public List<Map<String, Object>> loads() {
        return loadsByKey.values().stream().map(m -> (Map<String, Object>) new java.util.LinkedHashMap<>(m)).toList();
    }

    private Map<String, Object> byLoadId(String loadId) {
        return loadsByKey.values().stream().filter(l -> loadId.equals(l.get("loadId"))).findFirst().orElse(null);
    }

    private Map<String, Object> newLoad(Map<String, Object> request) {
        long n = sequence.incrementAndGet();
        Instant pickup = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        Map<String, Object> load = new java.util.LinkedHashMap<>(Map.of(
                "loadId", "LD-" + n,
                "routeId", "RT-" + (n % 97),
                "carrier", "Swift Haulage",
                "driver", DRIVERS[(int) (n % DRIVERS.length)],
                "vehicle", "TRK-" + (200 + n % 50),
                "plannedPickup", pickup.toString(),
                "plannedDelivery", pickup.plus(26, ChronoUnit.HOURS).toString(),
                "shipmentReference", String.valueOf(request.get("shipmentReference"))));
        load.put("status", "ACTIVE");
        load.put("revision", 0);
        load.put("serviceLevel", String.valueOf(request.get("serviceLevel")));
        load.put("pieces", request.get("pieces"));
        return java.util.Collections.synchronizedMap(load);
    }
}
