package com.logisync.serviceview;

import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import com.logisync.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

/**
 * A customer-portal user's token (role service-agent with a {@code customer} claim) sees only its
 * customer's shipments and tasks, in every query and lookup; an agent's token sees all. And no
 * token ever reaches the log, whatever is logged about the requests that carried it.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class CustomerScopeTest {

    private static final String ACME_PORTAL = TestTokens.token("portal-user-1", Map.of("customer", "CUST-ACME"),
            "service-agent");
    private static final String AGENT = TestTokens.token("agent-12", "service-agent");

    private static Correlation corr(String shipmentId, String customerId, String bol) {
        return new Correlation(shipmentId, "ORD-" + shipmentId, null, null, customerId,
                List.of(new ExternalReference(ReferenceType.BOL, bol)));
    }

    private static void delayed(String shipmentId, String customerId, String bol) {
        Instant at = Instant.parse("2026-12-02T15:00:00Z");
        EventPublisher.publish(com.logisync.testsupport.Milestones.reported(corr(shipmentId, customerId, bol),
                "dl-" + shipmentId, MilestoneType.DELAYED, at).receivedAfterSeconds(0)
                .enrichment(new Enrichment(customerId, 2, null, 200, true)).build(), null);
    }

    private static boolean seeded;

    @BeforeEach
    void twoCustomersWithADelayedShipmentEach() {
        if (seeded) {
            return;
        }
        seeded = true;
        Instant at = Instant.parse("2026-11-27T12:00:00Z");
        EventPublisher.publish(new OrderReleased(corr("SHP-C1", "CUST-ACME", "BOL-C1"), "LTL_STANDARD", List.of(),
                List.of(), at), null);
        EventPublisher.publish(new OrderReleased(corr("SHP-C2", "CUST-GLOBEX", "BOL-C2"), "LTL_STANDARD", List.of(),
                List.of(), at), null);
        delayed("SHP-C1", "CUST-ACME", "BOL-C1");
        delayed("SHP-C2", "CUST-GLOBEX", "BOL-C2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(AGENT)
                .get("/api/v1/service-tasks?status=open").then().statusCode(200)
                .body("items.findAll { it.taskId.startsWith('SHP-C') }.size()", equalTo(2)));
    }

    @Test
    void aPortalUserSeesItsOwnCustomersShipmentsOnly() {
        given().auth().oauth2(ACME_PORTAL).get("/api/v1/shipments/SHP-C1").then().statusCode(200)
                .body("customerId", equalTo("CUST-ACME"));
        // Another customer's shipment is answered as if it did not exist, by id and by any key.
        given().auth().oauth2(ACME_PORTAL).get("/api/v1/shipments/SHP-C2").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(ACME_PORTAL).get("/api/v1/shipments/lookup?key=BOL-C2").then().statusCode(404);
        given().auth().oauth2(ACME_PORTAL).get("/api/v1/shipments/lookup?key=BOL-C1").then().statusCode(200)
                .body("shipmentId", equalTo("SHP-C1"));
        given().auth().oauth2(ACME_PORTAL).get("/api/v1/shipments?customerId=CUST-GLOBEX").then().statusCode(403)
                .body("type", equalTo("urn:logisync:problem:customer-scope"));
        given().auth().oauth2(ACME_PORTAL).get("/api/v1/shipments?customerId=CUST-ACME").then().statusCode(200)
                .body("items.shipmentId", everyItem(org.hamcrest.Matchers.not(equalTo("SHP-C2"))))
                .body("items.find { it.shipmentId == 'SHP-C1' }.shipmentId", equalTo("SHP-C1"));
        // Tasks: only its customer's, a filter for another customer is refused, and it may not resolve any.
        given().auth().oauth2(ACME_PORTAL).get("/api/v1/service-tasks?status=open").then().statusCode(200)
                .body("items.findAll { it.taskId.startsWith('SHP-C') }.taskId", equalTo(List.of("SHP-C1:DELAYED")));
        given().auth().oauth2(ACME_PORTAL).get("/api/v1/service-tasks?customerId=CUST-GLOBEX").then().statusCode(403);
        given().auth().oauth2(ACME_PORTAL).contentType(ContentType.JSON).body("{\"resolution\": \"mine now\"}")
                .post("/api/v1/service-tasks/SHP-C1:DELAYED/resolve").then().statusCode(403);
    }

    @Test
    void aBlankOrMalformedCustomerClaimFailsClosed() {
        for (Object claim : List.<Object>of("", "  ", 42, "ACME; DROP")) {
            String token = TestTokens.token("portal-broken", java.util.Map.of("customer", claim), "service-agent");
            given().auth().oauth2(token).get("/api/v1/shipments/SHP-C1").then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:logisync:problem:customer-claim-invalid"));
            given().auth().oauth2(token).get("/api/v1/service-tasks?status=open").then().statusCode(403);
        }
    }

    @Test
    void anAgentSeesEveryCustomer() {
        given().auth().oauth2(AGENT).get("/api/v1/shipments/SHP-C2").then().statusCode(200)
                .body("customerId", equalTo("CUST-GLOBEX"));
        given().auth().oauth2(AGENT).get("/api/v1/shipments/lookup?key=BOL-C2").then().statusCode(200);
        given().auth().oauth2(AGENT).get("/api/v1/service-tasks?status=open").then().statusCode(200)
                .body("items.findAll { it.taskId.startsWith('SHP-C') }.size()", equalTo(2));
    }

    @Test
    void aBlanketPoListsTheFirstTwentyToAnAgentAndOnlyItsOwnShipmentToACustomer() {
        Instant at = Instant.parse("2026-11-27T12:00:00Z");
        List<String> globex = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            globex.add("SHP-B%02d".formatted(i));
        }
        List<String> all = new ArrayList<>(globex);
        all.add("SHP-BA");
        for (String id : all) {
            EventPublisher.publish(new OrderReleased(new Correlation(id, "ORD-" + id, null, null,
                    id.equals("SHP-BA") ? "CUST-ACME" : "CUST-GLOBEX", List.of(new ExternalReference(ReferenceType.BOL,
                            "BOL-" + id), new ExternalReference(ReferenceType.PO, "PO-BLANKET"))), "LTL_STANDARD",
                    List.of(), List.of(), at), null);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(AGENT)
                .get("/api/v1/shipments/lookup?key=BOL-SHP-BA").then().statusCode(200));
        // 26 shipments share the PO: an agent is shown the first 20 by id and told there are more.
        given().auth().oauth2(AGENT).get("/api/v1/shipments/lookup?key=PO-BLANKET").then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:ambiguous-key"))
                .body("shipmentIds", equalTo(globex.subList(0, 20)))
                .body("detail", equalTo("Key PO-BLANKET names more than 20 shipments; the first 20 by id are listed"));
        // ACME's portal user sees ACME's one shipment behind it, found in the statement, not among the first 21.
        given().auth().oauth2(ACME_PORTAL).get("/api/v1/shipments/lookup?key=PO-BLANKET").then().statusCode(200)
                .body("shipmentId", equalTo("SHP-BA")).body("customerId", equalTo("CUST-ACME"));
        // A portal user of a customer with none of them: as if the key did not exist.
        given().auth().oauth2(TestTokens.token("portal-user-2", Map.of("customer", "CUST-INITECH"), "service-agent"))
                .get("/api/v1/shipments/lookup?key=PO-BLANKET").then().statusCode(404);
    }

    @Test
    void noTokenReachesTheLogWhateverIsLoggedOfItsRequests() {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getLoggerName() + " " + r.getMessage() + " " + java.util.Arrays.toString(r.getParameters())
                        + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        String forged = TestTokens.forgedToken("mallory", "service-agent");
        String expired = TestTokens.expiredToken("late", "service-agent");
        try {
            given().auth().oauth2(AGENT).get("/api/v1/shipments/SHP-C1").then().statusCode(200);
            given().auth().oauth2(forged).get("/api/v1/shipments/SHP-C1").then().statusCode(401);
            given().auth().oauth2(expired).get("/api/v1/shipments/SHP-C1").then().statusCode(401);
            given().header("Authorization", "Basic dXNlcjpzM2NyZXQ=").get("/api/v1/shipments/SHP-C1").then().statusCode(401);
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream()
                    .filter(l -> l.contains("/api/v1/shipments/SHP-C1")).count() >= 4);
        } finally {
            root.removeHandler(capture);
        }
        // The requests are in the access log, with the caller, but no token, signature or password.
        assertThat(lines).filteredOn(l -> l.contains("/api/v1/shipments/SHP-C1")).anySatisfy(l ->
                assertThat(l).contains("agent-12"));
        for (String token : List.of(AGENT, forged, expired)) {
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertThat(lines).noneSatisfy(l -> assertThat(l).contains(signature));
            assertThat(lines).noneSatisfy(l -> assertThat(l).contains(token.substring(0, 40)));
        }
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("dXNlcjpzM2NyZXQ"));
    }
}
