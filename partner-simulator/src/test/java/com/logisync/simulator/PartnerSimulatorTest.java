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
    void aLoadRequestWithoutIdempotencyKeyIsRefused() {
        given().contentType(ContentType.JSON).body("{}").post("/tms/api/v1/loads").then().statusCode(400);
    }
}
