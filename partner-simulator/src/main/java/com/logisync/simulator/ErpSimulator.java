package com.logisync.simulator;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the ERP's invoicing API, a stand-in: one invoice per Idempotency-Key (the same key answers
 * with the invoice already issued), a 422 for an invoice whose lines don't add up to its total, and
 * every request it received, for tests and demos to check that nothing was invoiced twice. It also
 * issues supplementary invoices and credit notes ({@code documentType}), each referring to an invoice
 * it issued ({@code originalInvoiceId}); an invoice is credited once; credit note ids start CN-.
 */
@Path("/erp/api/v1/invoices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ErpSimulator {

    /** A request as ERP received it, and what it answered. */
    public record Received(Instant receivedAt, String idempotencyKey, String shipmentId, Object total, int status,
            String invoiceId) {
    }

    private final Map<String, Map<String, Object>> invoicesByKey = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Seeded from the start time, so ids stay unique across restarts of the simulator, as a real system's do. */
    private final java.util.concurrent.atomic.AtomicLong sequence =
            new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis() / 1000 % 100_000_000L * 100);
    private final FaultInjection faults;

    public ErpSimulator(FaultInjection faults) {
        this.faults = faults;
    }

    @POST
    public Response issue(@HeaderParam("Idempotency-Key") String key, Map<String, Object> request) {
        Response answer = answer(key, request == null ? Map.of() : request);
        Object body = answer.getEntity();
        String invoiceId = body instanceof Map<?, ?> m && m.get("invoiceId") != null ? m.get("invoiceId").toString() : null;
        received.add(new Received(Instant.now(), key, request == null ? null : (String) request.get("shipmentId"),
                request == null ? null : request.get("total"), answer.getStatus(), invoiceId));
        return answer;
    }

    private Response answer(String key, Map<String, Object> request) {
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
        String problem = invalid(request);
        if (problem == null) {
            problem = unknownOriginal(request);
        }
        if (problem != null) {
            return Response.status(422).entity(Map.of("error", problem)).build();
        }
        String type = request.get("documentType") == null ? "INVOICE" : request.get("documentType").toString();
        Map<String, Object> invoice = invoicesByKey.computeIfAbsent(key, k -> {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("invoiceId", ("CREDIT_NOTE".equals(type) ? "CN-" : "INV-") + sequence.incrementAndGet());
            i.put("documentType", type);
            if (request.get("originalInvoiceId") != null) {
                i.put("originalInvoiceId", request.get("originalInvoiceId"));
            }
            if (request.get("podDocument") instanceof Map<?, ?> pod) {
                i.put("podDocumentSha256", pod.get("sha256"));
                i.put("podDocumentAttached", pod.get("contentBase64") != null);
            }
            i.put("idempotencyKey", k);
            i.put("shipmentId", String.valueOf(request.get("shipmentId")));
            if (request.get("currency") != null) {
                i.put("currency", request.get("currency"));
            }
            if (request.get("total") != null) {
                i.put("total", request.get("total"));
            }
            return java.util.Collections.unmodifiableMap(i);
        });
        return Response.status(201).entity(invoice).build();
    }

    /**
     * A supplementary invoice or credit note must refer to an invoice issued here, and an invoice is
     * credited at most once, as an ERP would insist.
     */
    private String unknownOriginal(Map<String, Object> request) {
        Object type = request.get("documentType");
        if (type == null || "INVOICE".equals(type)) {
            return null;
        }
        Object original = request.get("originalInvoiceId");
        boolean known = original != null && invoicesByKey.values().stream()
                .anyMatch(i -> original.equals(i.get("invoiceId")) && !"CREDIT_NOTE".equals(i.get("documentType")));
        if (!known) {
            return type + " refers to " + original + ", not an invoice issued here";
        }
        boolean credited = "CREDIT_NOTE".equals(type) && invoicesByKey.values().stream()
                .anyMatch(i -> "CREDIT_NOTE".equals(i.get("documentType")) && original.equals(i.get("originalInvoiceId")));
        return credited ? "invoice " + original + " is already credited" : null;
    }

    /** Why ERP would refuse the invoice, or null: an invoice needs a shipment, lines, and a total that is their sum. */
    private static String invalid(Map<String, Object> request) {
        if (request.get("shipmentId") == null) {
            return "shipmentId is required";
        }
        if (!(request.get("lines") instanceof List<?> lines) || lines.isEmpty()) {
            // Other callers (a smoke test) may send a bare request: only a request with lines is checked further.
            return request.containsKey("lines") ? "an invoice needs at least one line" : null;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (Object line : lines) {
            if (!(line instanceof Map<?, ?> l) || l.get("amount") == null) {
                return "every line needs an amount";
            }
            sum = sum.add(new BigDecimal(l.get("amount").toString()));
        }
        Object total = request.get("total");
        if (total == null || sum.compareTo(new BigDecimal(total.toString())) != 0) {
            return "total " + total + " is not the sum of the lines (" + sum + ")";
        }
        return null;
    }

    /** Every document issued, in the order ERP issued them. */
    @GET
    public List<Map<String, Object>> invoices() {
        return invoicesByKey.values().stream().sorted(java.util.Comparator.comparingLong(
                i -> Long.parseLong(String.valueOf(i.get("invoiceId")).replaceAll("\\D", "")))).toList();
    }

    /** Every request received (retries and failed ones included), oldest first; optionally for one shipment. */
    @GET
    @Path("/requests")
    public List<Received> requests(@QueryParam("shipmentId") String shipmentId) {
        List<Received> all = new ArrayList<>(received);
        return shipmentId == null ? all : all.stream().filter(r -> shipmentId.equals(r.shipmentId())).toList();
    }
}
