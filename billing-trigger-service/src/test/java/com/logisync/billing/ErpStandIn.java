package com.logisync.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.testsupport.HttpStandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ERP's invoicing API as the billing tests see it: an {@link HttpStandIn} that issues one invoice
 * per Idempotency-Key (the same key answers with the same invoice, as ERP does), and that tests can
 * make fail for a while. Points {@code quarkus.rest-client.erp.url} at itself.
 */
public class ErpStandIn implements QuarkusTestResourceLifecycleManager {

    static final String PATH = "/erp/api/v1/invoices";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> INVOICE_BY_KEY = new ConcurrentHashMap<>();
    private static final AtomicInteger SEQUENCE = new AtomicInteger(5000);

    /** How ERP treats one shipment's next requests: fail without issuing, issue but lose the answer, be slow. */
    private record Script(int status, AtomicInteger remaining, boolean issueThenFail, long delayMillis) {
    }

    private static final Map<String, Script> SCRIPTS = new ConcurrentHashMap<>();

    /** The next {@code times} requests for the shipment are answered {@code status}, issuing nothing (an outage, a refusal). */
    static void failNext(String shipmentId, int status, int times) {
        SCRIPTS.put(shipmentId, new Script(status, new AtomicInteger(times), false, 0));
    }

    /** The next {@code times} requests for the shipment issue the invoice and then answer 504: the answer is lost. */
    static void loseAnswers(String shipmentId, int times) {
        SCRIPTS.put(shipmentId, new Script(504, new AtomicInteger(times), true, 0));
    }

    /** Every request for the shipment takes {@code millis} before it is answered. */
    static void slow(String shipmentId, long millis) {
        SCRIPTS.put(shipmentId, new Script(0, new AtomicInteger(0), false, millis));
    }

    static HttpStandIn erp() {
        return HttpStandIn.named("erp");
    }

    /** The invoice requests ERP received for a shipment (retries included), oldest first. */
    static List<HttpStandIn.Received> requestsFor(String shipmentId) {
        return erp().received("POST", PATH).stream().filter(r -> r.body().contains("\"shipmentId\":\"" + shipmentId + "\""))
                .toList();
    }

    /** A document ERP issued: its key, type (INVOICE, SUPPLEMENTARY_INVOICE, CREDIT_NOTE), id, the invoice it refers to, total. */
    record Issued(String key, String documentType, String documentId, String originalInvoiceId, java.math.BigDecimal total) {
    }

    private static final Map<String, Issued> ISSUED_BY_KEY = new ConcurrentHashMap<>();

    /** The documents ERP issued for a shipment, in the order issued. */
    static List<Issued> documentsFor(String shipmentId) {
        return ISSUED_BY_KEY.entrySet().stream().filter(e -> e.getKey().startsWith(shipmentId + ":"))
                .map(Map.Entry::getValue).sorted(java.util.Comparator.comparingInt(
                        (Issued i) -> Integer.parseInt(i.documentId().substring(i.documentId().indexOf('-') + 1)))).toList();
    }

    /** How many distinct invoices ERP issued for a shipment. */
    static long invoicesIssuedFor(String shipmentId) {
        return INVOICE_BY_KEY.keySet().stream().filter(k -> k.startsWith(shipmentId + ":")).count();
    }

    @Override
    public Map<String, String> start() {
        erp().on("POST", PATH, r -> {
            String key = r.header("Idempotency-Key");
            if (key == null || key.isBlank()) {
                return HttpStandIn.Reply.json(400, "{\"error\":\"Idempotency-Key header is required\"}");
            }
            String shipmentId;
            com.fasterxml.jackson.databind.JsonNode body;
            try {
                body = JSON.readTree(r.body());
                shipmentId = body.path("shipmentId").asText();
            } catch (Exception e) {
                return HttpStandIn.Reply.json(400, "{\"error\":\"not JSON\"}");
            }
            String type = body.path("documentType").asText("INVOICE");
            String original = body.path("originalInvoiceId").isTextual() ? body.path("originalInvoiceId").asText() : null;
            if (!INVOICE_BY_KEY.containsKey(key) && !"INVOICE".equals(type)) {
                // As ERP does: a credit note or supplement refers to an invoice it issued; a credit only once.
                boolean known = original != null && ISSUED_BY_KEY.values().stream()
                        .anyMatch(i -> i.documentId().equals(original) && !"CREDIT_NOTE".equals(i.documentType()));
                boolean credited = "CREDIT_NOTE".equals(type) && ISSUED_BY_KEY.values().stream()
                        .anyMatch(i -> "CREDIT_NOTE".equals(i.documentType()) && original.equals(i.originalInvoiceId()));
                if (!known || credited) {
                    return HttpStandIn.Reply.json(422, "{\"error\":\"" + type + " refers to " + original
                            + (credited ? ", already credited" : ", not an invoice issued here") + "\"}");
                }
            }
            Script script = SCRIPTS.get(shipmentId);
            if (script != null && script.delayMillis() > 0) {
                try {
                    Thread.sleep(script.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean scripted = script != null && script.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (scripted && !script.issueThenFail()) {
                return HttpStandIn.Reply.json(script.status(), "{\"error\":\"scripted " + script.status() + "\"}");
            }
            boolean isNew = !INVOICE_BY_KEY.containsKey(key);
            String invoiceId = INVOICE_BY_KEY.computeIfAbsent(key, k -> ("CREDIT_NOTE".equals(type) ? "CN-" : "INV-")
                    + SEQUENCE.incrementAndGet());
            ISSUED_BY_KEY.computeIfAbsent(key, k -> new Issued(k, type, invoiceId, original,
                    body.path("total").decimalValue()));
            if (scripted) {
                return HttpStandIn.Reply.json(script.status(), "{\"error\":\"gateway timeout\"}");
            }
            return HttpStandIn.Reply.json(isNew ? 201 : 200, "{\"invoiceId\":\"" + invoiceId + "\"}");
        });
        return Map.of("quarkus.rest-client.erp.url", erp().url());
    }

    @Override
    public void stop() {
        // Shared for the JVM's lifetime.
    }
}
