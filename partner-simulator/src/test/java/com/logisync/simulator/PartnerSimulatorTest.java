package com.logisync.simulator;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class PartnerSimulatorTest {

    @Test
    void tmsReturnsTheSameLoadForTheSameIdempotencyKey() {
        String loadId = given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-1")
                .body("{\"shipmentReference\": \"SHP-1\"}")
                .post("/tms/api/v1/loads").then().statusCode(201)
                .body("loadId", startsWith("LD-")).body("shipmentReference", equalTo("SHP-1"))
                .extract().path("loadId");
        given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-1").body("{}")
                .post("/tms/api/v1/loads").then().statusCode(200).body("loadId", equalTo(loadId));
        given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-2").body("{}")
                .post("/tms/api/v1/loads").then().statusCode(201).body("loadId", not(equalTo(loadId)));
    }

    @Test
    void injectedFaultsFailExactlyTheRequestedNumberOfCalls() {
        given().contentType(ContentType.JSON).body("{\"target\": \"erp\", \"status\": 503, \"count\": 2}")
                .post("/sim/faults").then().statusCode(204);
        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", "INV-KEY").body("{}")
                    .post("/erp/api/v1/invoices").then().statusCode(503);
        }
        given().contentType(ContentType.JSON).header("Idempotency-Key", "INV-KEY").body("{\"shipmentId\": \"SHP-9\"}")
                .post("/erp/api/v1/invoices").then().statusCode(201).body("invoiceId", startsWith("INV-"));
    }

    @Test
    void aTimedFaultFailsEveryCallUntilItEndsAndASlowPartnerAppliesATimedOutCallLate() throws Exception {
        given().contentType(ContentType.JSON).body("{\"target\": \"tms\", \"status\": 503, \"seconds\": 2}")
                .post("/sim/faults").then().statusCode(204);
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-TF").body("{}")
                    .post("/tms/api/v1/loads").then().statusCode(503);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> given()
                .contentType(ContentType.JSON).header("Idempotency-Key", "SHP-TF")
                .body("{\"shipmentReference\": \"SHP-TF\"}").post("/tms/api/v1/loads").statusCode() == 201);

        // Slow: the caller gives up after 500 ms, the TMS applies the call 1.5 s later all the same. The client is
        // warmed first (its classes loaded, a connection open): on a cold JVM under a CI build its first request
        // could take longer than the timeout to be written, and then the TMS never received it (CI, 2026-12-03).
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.net.URI loads = java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                + io.restassured.RestAssured.port + "/tms/api/v1/loads");
        org.assertj.core.api.Assertions.assertThat(http.send(java.net.http.HttpRequest.newBuilder(loads).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        given().contentType(ContentType.JSON).body("{\"target\": \"tms\", \"delayMs\": 1500, \"seconds\": 60}")
                .post("/sim/faults").then().statusCode(204);
        java.net.http.HttpRequest slow = java.net.http.HttpRequest.newBuilder(loads)
                .timeout(java.time.Duration.ofMillis(500)).header("Content-Type", "application/json")
                .header("Idempotency-Key", "SHP-LATE").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"shipmentReference\": \"SHP-LATE\"}")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(slow,
                java.net.http.HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.net.http.HttpTimeoutException.class);
        given().contentType(ContentType.JSON).body("{\"target\": \"tms\", \"status\": 503, \"count\": 0}")
                .post("/sim/faults").then().statusCode(204);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> given()
                .get("/tms/api/v1/loads").then().extract().jsonPath().getList("shipmentReference").contains("SHP-LATE"));
        // The caller's retry with the same key finds the load applied late, and no second one is made.
        given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-LATE").body("{}")
                .post("/tms/api/v1/loads").then().statusCode(200).body("shipmentReference", equalTo("SHP-LATE"));
        org.assertj.core.api.Assertions.assertThat(given().get("/tms/api/v1/loads").then().extract().jsonPath()
                .getList("shipmentReference")).containsOnlyOnce("SHP-LATE");
    }

    @Test
    void deletingTheFaultsClearsEveryTargetsFault() {
        given().contentType(ContentType.JSON).body("{\"target\": \"erp\", \"status\": 503, \"count\": 1000000}")
                .post("/sim/faults").then().statusCode(204);
        given().contentType(ContentType.JSON).body("{\"target\": \"tms\", \"status\": 502, \"seconds\": 600}")
                .post("/sim/faults").then().statusCode(204);
        given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-CLR:rating-1").body("{}")
                .post("/erp/api/v1/invoices").then().statusCode(503);
        given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-CLR").body("{}")
                .post("/tms/api/v1/loads").then().statusCode(502);

        given().delete("/sim/faults").then().statusCode(204);
        given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-CLR")
                .body("{\"shipmentReference\": \"SHP-CLR\"}").post("/tms/api/v1/loads").then().statusCode(201);
        given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-CLR:rating-1")
                .body("{\"shipmentId\": \"SHP-CLR\", \"currency\": \"USD\", \"total\": 10.00,"
                        + " \"lines\": [{\"code\": \"LHS\", \"amount\": 10.00}]}")
                .post("/erp/api/v1/invoices").then().statusCode(201).body("invoiceId", startsWith("INV-"));
    }

    @Test
    void aFaultNeedsEitherAStatusOrADelayAndABound() {
        given().contentType(ContentType.JSON).body("{\"target\": \"tms\", \"status\": 503}")
                .post("/sim/faults").then().statusCode(400).body("error", equalTo("count (calls) or seconds (duration) is required"));
        given().contentType(ContentType.JSON).body("{\"target\": \"tms\", \"status\": 503, \"delayMs\": 10, \"count\": 1}")
                .post("/sim/faults").then().statusCode(400);
    }

    @Test
    void erpIssuesOneInvoicePerKeyRefusesATotalThatIsNotTheSumAndRemembersEveryRequest() {
        String invoice = """
                {"shipmentId": "SHP-E1", "currency": "USD", "total": 1525.00,
                 "lines": [{"code": "LHS", "amount": 1450.00}, {"code": "LFT", "amount": 75.00}]}""";
        String invoiceId = given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-E1:rating-1")
                .body(invoice).post("/erp/api/v1/invoices").then().statusCode(201)
                .body("total", equalTo(1525.0f)).extract().path("invoiceId");
        given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-E1:rating-1").body(invoice)
                .post("/erp/api/v1/invoices").then().statusCode(200).body("invoiceId", equalTo(invoiceId));
        given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-E1:rating-2")
                .body(invoice.replace("1525.00", "1600.00")).post("/erp/api/v1/invoices").then().statusCode(422)
                .body("error", equalTo("total 1600.0 is not the sum of the lines (1525.0)"));
        given().get("/erp/api/v1/invoices/requests?shipmentId=SHP-E1").then().statusCode(200)
                .body("idempotencyKey", equalTo(java.util.List.of("SHP-E1:rating-1", "SHP-E1:rating-1", "SHP-E1:rating-2")))
                .body("status", equalTo(java.util.List.of(201, 200, 422)))
                .body("invoiceId", equalTo(java.util.Arrays.asList(invoiceId, invoiceId, null)));
    }

    @Test
    void aLoadRequestWithoutIdempotencyKeyIsRefused() {
        given().contentType(ContentType.JSON).body("{}").post("/tms/api/v1/loads").then().statusCode(400);
    }

    @Test
    void tmsUpdatesOncePerKeyAndCancelsLoads() {
        String loadId = given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-U")
                .body("{\"shipmentReference\": \"SHP-U\", \"pieces\": 4}")
                .post("/tms/api/v1/loads").then().statusCode(201).body("status", equalTo("ACTIVE"))
                .extract().path("loadId");
        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-U:amendment-1")
                    .body("{\"pieces\": 6}").put("/tms/api/v1/loads/" + loadId)
                    .then().statusCode(200).body("revision", equalTo(1)).body("pieces", equalTo(6));
        }
        given().contentType(ContentType.JSON).body("{\"reason\": \"PO withdrawn\"}")
                .post("/tms/api/v1/loads/" + loadId + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", "SHP-U:amendment-2").body("{}")
                .put("/tms/api/v1/loads/" + loadId).then().statusCode(409);
        given().contentType(ContentType.JSON).body("{}").post("/tms/api/v1/loads/LD-NONE/cancel").then().statusCode(404);
    }

    @Test
    void legacyTmsSpeaksItsOwnVocabulary() {
        String booking = "{\"clientRef\": \"SHP-L1\", \"svcCode\": \"FTL\", \"pcs\": 4, \"wtLbs\": 2646, \"haz\": \"N\"}";
        String trip = given().contentType(ContentType.JSON).body(booking).post("/legacy-tms/shipments")
                .then().statusCode(200).body("result", equalTo("ACK")).body("tripNo", startsWith("T"))
                .body("pickupEta", org.hamcrest.Matchers.matchesPattern("\\d{12}"))
                .extract().path("tripNo");
        given().contentType(ContentType.JSON).body(booking).post("/legacy-tms/shipments")
                .then().statusCode(200).body("result", equalTo("DUP")).body("tripNo", equalTo(trip));
        given().contentType(ContentType.JSON).body(booking.replace("\"N\"", "\"Y\"").replace("L1", "L2"))
                .post("/legacy-tms/shipments")
                .then().statusCode(200).body("result", equalTo("NAK")).body("reasonCode", equalTo("E14"));
        given().contentType(ContentType.JSON).body("{\"reasonText\": \"x\"}").post("/legacy-tms/shipments/SHP-L1/void")
                .then().statusCode(200).body("result", equalTo("ACK"));
        given().contentType(ContentType.JSON).body("{\"reasonText\": \"x\"}").post("/legacy-tms/shipments/SHP-L1/void")
                .then().statusCode(200).body("result", equalTo("DUP"));
        given().contentType(ContentType.JSON).body(booking).post("/legacy-tms/shipments/SHP-L1/revise")
                .then().statusCode(200).body("result", equalTo("NAK")).body("reasonCode", equalTo("E09"));
    }

    @Test
    void theSubscriberChecksSignaturesAndMarksARepeatedWebhookIdAsADuplicate() throws Exception {
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        given().contentType(ContentType.JSON).body("{\"secret\": \"" + secret + "\"}")
                .put("/sim/subscribers/acme/secret").then().statusCode(204);
        String body = "{\"type\":\"shipment.delayed\",\"timestamp\":\"2026-12-02T15:00:00Z\",\"data\":{\"shipmentId\":\"SHP-1\"}}";
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256"));
        String signature = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(
                ("msg_1.1764687600." + body).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).header("webhook-id", "msg_1").header("webhook-timestamp", "1764687600")
                    .header("webhook-signature", "v1,bm90IGl0 " + signature).body(body)
                    .post("/sim/subscribers/acme").then().statusCode(204);
        }
        given().contentType(ContentType.JSON).header("webhook-id", "msg_2").header("webhook-timestamp", "1764687600")
                .header("webhook-signature", signature).body(body)
                .post("/sim/subscribers/acme").then().statusCode(401);
        given().get("/sim/subscribers/acme").then().statusCode(200)
                .body("webhookId", equalTo(java.util.List.of("msg_1", "msg_1", "msg_2")))
                .body("duplicate", equalTo(java.util.List.of(false, true, false)))
                .body("signatureValid", equalTo(java.util.List.of(true, true, false)))
                .body("type", equalTo(java.util.List.of("shipment.delayed", "shipment.delayed", "shipment.delayed")))
                .body("shipmentId[0]", equalTo("SHP-1"));
        given().delete("/sim/subscribers/acme").then().statusCode(204);
        given().get("/sim/subscribers/acme").then().statusCode(200).body("size()", equalTo(0));
    }
}
