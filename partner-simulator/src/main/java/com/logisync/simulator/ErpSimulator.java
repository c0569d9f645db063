package com.logisync.simulator;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Plays the ERP's invoicing API: issues an invoice number per idempotency key. A stand-in. */
@Path("/erp/api/v1/invoices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ErpSimulator {

    private final Map<String, Map<String, Object>> invoicesByKey = new ConcurrentHashMap<>();
    /** Seeded from the start time, so ids stay unique across restarts of the simulator, as a real system's do. */
    private final java.util.concurrent.atomic.AtomicLong sequence =
            new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis() / 1000 % 100_000_000L * 100);
    private final FaultInjection faults;

    public ErpSimulator(FaultInjection faults) {
        this.faults = faults;
    }

    @POST
    public Response issue(@HeaderParam("Idempotency-Key") String key, Map<String, Object> request) {
        Response fault = faults.next("erp");
        if (fault != null) {
            return fault;
        }
        if (key == null || key.isBlank()) {
            return Response.status(400).entity(Map.of("error", "Idempotency-Key header is required")).build();
        }
        Map<String, Object> existing = invoicesByKey.get(key);
        if (existing != null) {
            return Response.ok(existing).build();
        }
        Map<String, Object> invoice = invoicesByKey.computeIfAbsent(key, k -> Map.of(
                "invoiceId", "INV-" + sequence.incrementAndGet(),
                "shipmentId", String.valueOf(request.get("shipmentId"))));
        return Response.status(201).entity(invoice).build();
    }

    @GET
    public List<Map<String, Object>> invoices() {
        return List.copyOf(invoicesByKey.values());
    }
}
