package com.logisync.simulator;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the older TMS product: HTTP 200 with a {@code result} of ACK, DUP, NAK or BUSY; dedupe on
 * {@code clientRef}; pounds; {@code yyyyMMddHHmm} UTC stamps. It refuses hazardous goods
 * ({@code NAK E14}) and shipments over 44,000 lb ({@code NAK E21}), as the real one does for its
 * dry-van fleet. Faults: target {@code legacy-tms}.
 */
@Path("/legacy-tms/shipments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LegacyTmsSimulator {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

    private final Map<String, Map<String, Object>> trips = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() / 1000 % 10_000_000L * 10);
    private final FaultInjection faults;

    public LegacyTmsSimulator(FaultInjection faults) {
        this.faults = faults;
    }

    @POST
    public Response book(Map<String, Object> shipment) {
        Response fault = faults.next("legacy-tms");
        if (fault != null) {
            return fault;
        }
        Object ref = shipment == null ? null : shipment.get("clientRef");
        if (ref == null) {
            return Response.ok(nak("E01", "CLIENT REF MISSING")).build();
        }
        Map<String, Object> refused = refusal(shipment);
        if (refused != null) {
            return Response.ok(refused).build();
        }
        boolean[] created = { false };
        Map<String, Object> trip = trips.computeIfAbsent(ref.toString(), k -> {
            created[0] = true;
            return newTrip(shipment);
        });
        return Response.ok(reply(created[0] ? "ACK" : "DUP", trip)).build();
    }

    @POST
    @Path("/{clientRef}/revise")
    public Response revise(@PathParam("clientRef") String clientRef, Map<String, Object> shipment) {
        Response fault = faults.next("legacy-tms");
        if (fault != null) {
            return fault;
        }
        Map<String, Object> trip = trips.get(clientRef);
        if (trip == null) {
            return Response.ok(nak("E04", "NO SUCH CLIENT REF")).build();
        }
        if ("VOID".equals(trip.get("state"))) {
            return Response.ok(nak("E09", "SHIPMENT VOIDED")).build();
        }
        Map<String, Object> refused = refusal(shipment);
        if (refused != null) {
            return Response.ok(refused).build();
        }
        synchronized (trip) {
            trip.put("revisions", ((Integer) trip.get("revisions")) + 1);
            trip.put("svcCode", String.valueOf(shipment.get("svcCode")));
            trip.put("wtLbs", shipment.get("wtLbs"));
        }
        return Response.ok(reply("ACK", trip)).build();
    }

    @POST
    @Path("/{clientRef}/void")
    public Response voidShipment(@PathParam("clientRef") String clientRef, Map<String, Object> request) {
        Response fault = faults.next("legacy-tms");
        if (fault != null) {
            return fault;
        }
        Map<String, Object> trip = trips.get(clientRef);
        if (trip == null) {
            return Response.ok(nak("E04", "NO SUCH CLIENT REF")).build();
        }
        synchronized (trip) {
            boolean already = "VOID".equals(trip.put("state", "VOID"));
            return Response.ok(reply(already ? "DUP" : "ACK", trip)).build();
        }
    }

    @GET
    public List<Map<String, Object>> trips() {
        return trips.values().stream().map(m -> (Map<String, Object>) new java.util.LinkedHashMap<>(m)).toList();
    }

    private static Map<String, Object> refusal(Map<String, Object> shipment) {
        if ("Y".equals(shipment.get("haz"))) {
            return nak("E14", "HAZMAT NOT ACCEPTED ON DRY VAN");
        }
        Object lbs = shipment.get("wtLbs");
        if (lbs instanceof Number n && n.longValue() > 44_000) {
            return nak("E21", "OVERWEIGHT " + n.longValue() + " LB");
        }
        return null;
    }

    private Map<String, Object> newTrip(Map<String, Object> shipment) {
        long n = sequence.incrementAndGet();
        Instant pickup = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        Map<String, Object> trip = new LinkedHashMap<>();
        trip.put("tripNo", "T" + n);
        trip.put("routeCode", "R" + (n % 41));
        trip.put("carrierName", "Prairie Freight Lines");
        trip.put("driverName", n % 2 == 0 ? "J. Miller" : "K. Okafor");
        trip.put("tractorNo", "TR" + (500 + n % 30));
        trip.put("pickupEta", STAMP.format(pickup));
        trip.put("deliveryEta", STAMP.format(pickup.plus(30, ChronoUnit.HOURS)));
        trip.put("clientRef", String.valueOf(shipment.get("clientRef")));
        trip.put("svcCode", String.valueOf(shipment.get("svcCode")));
        trip.put("wtLbs", shipment.get("wtLbs"));
        trip.put("state", "OPEN");
        trip.put("revisions", 0);
        return Collections.synchronizedMap(trip);
    }

    private static Map<String, Object> reply(String result, Map<String, Object> trip) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("result", result);
        for (String k : List.of("tripNo", "routeCode", "carrierName", "driverName", "tractorNo", "pickupEta",
                "deliveryEta")) {
            r.put(k, trip.get(k));
        }
        return r;
    }

    private static Map<String, Object> nak(String code, String text) {
        return Map.of("result", "NAK", "reasonCode", code, "reasonText", text);
    }
}
