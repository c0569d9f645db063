package com.logisync.ordersync;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.testsupport.HttpStandIn;
import com.logisync.testsupport.HttpStandInResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import com.logisync.testsupport.JwtTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "test-suite", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(value = HttpStandInResource.class, initArgs = {
        @ResourceArg(name = "name", value = "tms"),
        @ResourceArg(name = "property", value = "quarkus.rest-client.tms.url") })
class MasterDataTest {

    private static String customer(String name, boolean creditHold, long version) {
        return OrderFixtures.CUSTOMER.replace("Acme Manufacturing", name)
                .replace("\"creditHold\": false", "\"creditHold\": " + creditHold)
                .replace("\"erpVersion\": 1", "\"erpVersion\": " + version);
    }

    @Test
    void customerUpsertsFollowErpVersionsAndArePublished() {
        given().contentType(ContentType.JSON).body(customer("Globex", false, 3)).put("/api/v1/customers/CUST-GLOBEX")
                .then().statusCode(201).body("customerId", equalTo("CUST-GLOBEX")).body("erpVersion", equalTo(3));
        given().contentType(ContentType.JSON).body(customer("Globex", false, 3)).put("/api/v1/customers/CUST-GLOBEX")
                .then().statusCode(200);
        given().contentType(ContentType.JSON).body(customer("Globex Corp", false, 4)).put("/api/v1/customers/CUST-GLOBEX")
                .then().statusCode(200).body("name", equalTo("Globex Corp"));
        given().contentType(ContentType.JSON).body(customer("Globex Old", false, 2)).put("/api/v1/customers/CUST-GLOBEX")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:stale-erp-version"))
                .body("currentVersion", equalTo(4));
        given().contentType(ContentType.JSON).body(customer("Globex Other", false, 4)).put("/api/v1/customers/CUST-GLOBEX")
                .then().statusCode(409).body("currentVersion", equalTo(4));
        given().get("/api/v1/customers/CUST-GLOBEX").then().statusCode(200).body("name", equalTo("Globex Corp"));

        // On the compacted master-data topic, keyed so that compaction keeps the customer's latest account.
        List<ConsumerRecord<String, String>> events = KafkaRecords.awaitRecords(Topics.MASTER_DATA, 2,
                r -> "customer:CUST-GLOBEX".equals(r.key()));
        assertThat(events).extracting(r -> KafkaRecords.header(r, "ce_type"))
                .containsOnly(EventType.CUSTOMER_UPDATED.ceType());
        assertThat(events).extracting(ConsumerRecord::value)
                .anySatisfy(v -> assertThat(v).contains("\"name\":\"Globex\"").contains("\"erpVersion\":3"))
                .anySatisfy(v -> assertThat(v).contains("\"name\":\"Globex Corp\"").contains("\"erpVersion\":4"));
        assertThat(KafkaRecords.forShipment(Topics.MASTER_DATA, "customer:CUST-GLOBEX")).hasSize(2);
        assertThat(KafkaRecords.snapshot(Topics.ORDERS)).noneMatch(r -> EventType.CUSTOMER_UPDATED.ceType()
                .equals(KafkaRecords.header(r, "ce_type")));
    }

    @Test
    void theCustomerShipmentListThatMovedToServiceViewIsRedirectedThereWithItsQuery() {
        // Who may follow it is ApiContractTest's (service-agent only); here the class's test identity calls.
        given().redirects().follow(false)
                .get("/api/v1/customers/CUST A/shipments?status=DELIVERED&limit=20").then().statusCode(308)
                .header("Location", org.hamcrest.Matchers.endsWith(
                        "/api/v1/shipments?customerId=CUST+A&status=DELIVERED&limit=20"));
    }

    @Test
    void aContractForAnUnknownCustomerIsRefusedAndAValidOneIsPublished() {
        given().contentType(ContentType.JSON).body(OrderFixtures.CONTRACT.replace("CUST-ACME", "CUST-NOBODY"))
                .put("/api/v1/contracts/CTR-X").then().statusCode(422)
                .body("errors[0].code", equalTo("CUSTOMER_UNKNOWN"));
        given().get("/api/v1/contracts/CTR-X").then().statusCode(404);

        OrderFixtures.seedMasterData();
        given().get("/api/v1/contracts/CTR-ACME-2026").then().statusCode(200)
                .body("lanes[0].originRegion", equalTo("US-TX"))
                .body("fuelSurcharge.tableVersion", equalTo("FSC-2026-1"));
        // Keyed by contract and version: compaction keeps every version.
        KafkaRecords.awaitEvents(Topics.MASTER_DATA, "contract:CTR-ACME-2026:1", EventType.CONTRACT_UPDATED.ceType(), 1);

        // A linehaul discount travels with the contract to billing, which rates with it.
        given().contentType(ContentType.JSON).body(OrderFixtures.CONTRACT.replace("CUST-ACME", "CUST-DISC")
                        .replace("\"erpVersion\": 1}", "\"erpVersion\": 1, \"linehaulDiscountPercent\": 150}"))
                .put("/api/v1/contracts/CTR-DISC").then().statusCode(400)
                .body("errors[0].field", equalTo("linehaulDiscountPercent"));
        OrderFixtures.seedCustomer("CUST-DISC");
        given().contentType(ContentType.JSON).body(OrderFixtures.CONTRACT.replace("CUST-ACME", "CUST-DISC")
                        .replace("\"erpVersion\": 1}", "\"erpVersion\": 2, \"linehaulDiscountPercent\": 7.5}"))
                .put("/api/v1/contracts/CTR-CUST-DISC").then().statusCode(200)
                .body("linehaulDiscountPercent", equalTo(7.5f));
        assertThat(KafkaRecords.awaitRecords(Topics.MASTER_DATA, 1, r -> "contract:CTR-CUST-DISC:2".equals(r.key())
                && r.value().contains("\"linehaulDiscountPercent\":7.5"))).isNotEmpty();
    }

    @Test
    void malformedMasterDataIsA400NamingTheFields() {
        given().contentType(ContentType.JSON)
                .body(OrderFixtures.CONTRACT.replace("\"US-TX\"", "\"Texas\"").replace(", \"erpVersion\": 1}", "}"))
                .put("/api/v1/contracts/CTR-BAD").then().statusCode(400)
                .body("errors.field", hasItem("lanes[0].originRegion"))
                .body("errors.field", hasItem("erpVersion"));
    }

    @Test
    void everyContractVersionIsKeptWithWhoSentItAndWhen() {
        OrderFixtures.seedCustomer("CUST-HIST");
        String v1 = OrderFixtures.CONTRACT.replace("CUST-ACME", "CUST-HIST");
        given().contentType(ContentType.JSON).body(v1).put("/api/v1/contracts/CTR-HIST").then().statusCode(201);
        // The same version again changes nothing and adds no history.
        given().contentType(ContentType.JSON).body(v1).put("/api/v1/contracts/CTR-HIST").then().statusCode(200);
        given().contentType(ContentType.JSON).body(v1.replace("1450.00", "1500.00").replace("\"erpVersion\": 1}",
                "\"erpVersion\": 2}")).put("/api/v1/contracts/CTR-HIST").then().statusCode(200);
        given().get("/api/v1/contracts/CTR-HIST/history").then().statusCode(200)
                .body("erpVersion", equalTo(List.of(1, 2)))
                .body("receivedBy", equalTo(List.of("test-suite", "test-suite")))
                .body("contract[0].lanes[0].linehaulRate", equalTo(1450.0f))
                .body("contract[1].lanes[0].linehaulRate", equalTo(1500.0f))
                .body("receivedAt[0]", org.hamcrest.Matchers.notNullValue());
        given().get("/api/v1/contracts/CTR-NONE/history").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void fuelBandsAreValidatedOnUploadSoThatEveryPriceRates() {
        String bands = "\"bands\": [{\"fromPrice\": 3.00, \"toPrice\": 4.00, \"percentOfLinehaul\": 18.5}]";
        for (String bad : List.of(
                // overlapping
                "\"bands\": [{\"fromPrice\": 3.00, \"toPrice\": 4.00, \"percentOfLinehaul\": 18.5},"
                        + " {\"fromPrice\": 3.50, \"toPrice\": 5.00, \"percentOfLinehaul\": 20}]",
                // a gap between 4.00 and 4.10
                "\"bands\": [{\"fromPrice\": 3.00, \"toPrice\": 4.00, \"percentOfLinehaul\": 18.5},"
                        + " {\"fromPrice\": 4.10, \"toPrice\": 5.00, \"percentOfLinehaul\": 20}]",
                // out of order, and an open band that is not the top one
                "\"bands\": [{\"fromPrice\": 4.00, \"percentOfLinehaul\": 20},"
                        + " {\"fromPrice\": 3.00, \"toPrice\": 4.00, \"percentOfLinehaul\": 18.5}]",
                // ends where it starts
                "\"bands\": [{\"fromPrice\": 3.00, \"toPrice\": 3.00, \"percentOfLinehaul\": 18.5}]")) {
            given().contentType(ContentType.JSON).body(OrderFixtures.CONTRACT.replace(bands, bad))
                    .put("/api/v1/contracts/CTR-BANDS").then().statusCode(400)
                    .body("errors.message", hasItem("bands must be ordered by price, each from where the one before ends"
                            + " to above its start, only the last may leave toPrice open"));
        }
        // An open-ended top band and the ship-date basis are accepted.
        OrderFixtures.seedCustomer("CUST-BANDS");
        given().contentType(ContentType.JSON).body(OrderFixtures.CONTRACT.replace("CUST-ACME", "CUST-BANDS").replace(bands,
                        "\"weekBasis\": \"DELIVERY_DATE\", \"bands\": [{\"fromPrice\": 3.00, \"toPrice\": 4.00,"
                                + " \"percentOfLinehaul\": 18.5}, {\"fromPrice\": 4.00, \"percentOfLinehaul\": 21}]"))
                .put("/api/v1/contracts/CTR-BANDS").then().statusCode(201)
                .body("fuelSurcharge.weekBasis", equalTo("DELIVERY_DATE"))
                .body("fuelSurcharge.bands[1].toPrice", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void ordersAreValidatedAgainstTheCustomersAccount() {
        OrderFixtures.seedMasterData();
        given().contentType(ContentType.JSON).body(customer("Held Co", true, 1)).put("/api/v1/customers/CUST-HELD")
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body(OrderFixtures.order("ORD-MD-1").replace("CUST-ACME", "CUST-HELD"))
                .post("/api/v1/orders").then().statusCode(422)
                .body("errors.code", hasItem("CREDIT_HOLD"))
                .body("errors.code", hasItem("NO_CONTRACT"));
        given().contentType(ContentType.JSON).body(OrderFixtures.order("ORD-MD-2").replace("CUST-ACME", "CUST-NEW"))
                .post("/api/v1/orders").then().statusCode(422)
                .body("errors.code", equalTo(List.of("CUSTOMER_UNKNOWN")));
        assertThat(HttpStandIn.named("tms").received("POST", "/tms/api/v1/loads"))
                .noneMatch(r -> r.body().contains("ORD-MD-"));
    }
}
