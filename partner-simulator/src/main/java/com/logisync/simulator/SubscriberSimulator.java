package com.logisync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays a customer's system that subscribed to LogiSync's webhooks or EDI: it records every delivery it
 * receives, checks its Standard Webhooks signature with the secret it was given (as a receiver must:
 * {@code v1,} HMAC-SHA256 over {@code id.timestamp.body}, its own implementation, not LogiSync's), and
 * marks a delivery whose {@code webhook-id} it has seen before as a duplicate, which is how a receiver
 * dedupes at-least-once delivery. Faults ({@code /sim/faults}, target {@code subscriber}) make it fail or
 * answer late. A stand-in, not LogiSync.
 */
@Path("/sim/subscribers/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriberSimulator {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A delivery as the subscriber received it. */
    public record Received(int index, String webhookId, String timestamp, boolean signatureValid, boolean duplicate,
            String contentType, String type, String shipmentId, Instant receivedAt, String body) {
    }

    public record Secret(String secret) {
    }

    private static final Map<String, List<Received>> RECEIVED = new ConcurrentHashMap<>();
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    private static final Map<String, java.util.concurrent.atomic.AtomicInteger> IN_FLIGHT = new ConcurrentHashMap<>();

    private final FaultInjection faults;

    public SubscriberSimulator(FaultInjection faults) {
        this.faults = faults;
    }

    /** The secret this subscriber checks signatures with (what the subscription was given). */
    @PUT
    @Path("/secret")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response secret(@PathParam("name") String name, Secret secret) {
        if (secret == null || secret.secret() == null || !secret.secret().startsWith("whsec_")) {
            return Response.status(400).entity(Map.of("error", "secret must be whsec_ and base64")).build();
        }
        SECRETS.put(name, secret.secret());
        return Response.noContent().build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response receive(@PathParam("name") String name, @HeaderParam("webhook-id") String id,
            @HeaderParam("webhook-timestamp") String timestamp, @HeaderParam("webhook-signature") String signature,
            @HeaderParam("content-type") String contentType, String body) {
        java.util.concurrent.atomic.AtomicInteger inFlight = IN_FLIGHT.computeIfAbsent(name,
                n -> new java.util.concurrent.atomic.AtomicInteger());
        inFlight.incrementAndGet();
        try {
            Response fault = faults.next("subscriber"); // a slow fault holds the call here, then applies it
            if (fault != null) {
                return fault;
            }
            return record(name, id, timestamp, signature, contentType, body);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Calls received and not answered yet (a slow fault holds them): what a test waits for before a kill. */
    @GET
    @Path("/in-flight")
    public int inFlight(@PathParam("name") String name) {
        java.util.concurrent.atomic.AtomicInteger n = IN_FLIGHT.get(name);
        return n == null ? 0 : n.get();
    }

    private Response record(String name, String id, String timestamp, String signature, String contentType, String body) {
        List<Received> log = RECEIVED.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
        boolean valid = verify(SECRETS.get(name), id, timestamp, body == null ? "" : body, signature);
        String type = null;
        String shipment = null;
        if (body != null && body.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(body);
                type = node.path("type").asText(null);
                shipment = node.path("data").path("shipmentId").asText(null);
            } catch (java.io.IOException e) {
                type = "unreadable JSON";
            }
        } else if (body != null && body.startsWith("ISA")) {
            int st = body.indexOf("ST*");
            type = st < 0 ? "X12" : "X12 " + body.substring(st + 3, Math.min(body.length(), st + 6));
        }
        synchronized (log) {
            boolean duplicate = id != null && log.stream().anyMatch(r -> id.equals(r.webhookId()));
            log.add(new Received(log.size(), id, timestamp, valid, duplicate, contentType, type, shipment, Instant.now(),
                    body));
        }
        if (!valid && SECRETS.containsKey(name)) {
            // Without a secret (a quick try by hand) the stand-in takes the call and records it as not verified.
            return Response.status(401).entity(Map.of("error", "signature does not verify")).build();
        }
        return Response.noContent().build();
    }

    @GET
    public List<Received> received(@PathParam("name") String name) {
        return new ArrayList<>(RECEIVED.getOrDefault(name, List.of()));
    }

    @DELETE
    public Response clear(@PathParam("name") String name) {
        RECEIVED.remove(name);
        return Response.noContent().build();
    }

    static boolean verify(String secret, String id, String timestamp, String body, String header) {
        if (secret == null || id == null || timestamp == null || header == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            String expected = "v1," + Base64.getEncoder().encodeToString(
                    mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            for (String candidate : header.split(" ")) {
                if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
