package com.logisync.ordersync;

import com.logisync.testsupport.HttpStandIn;
import com.logisync.testsupport.HttpStandIn.Reply;
import com.logisync.testsupport.HttpStandInResource;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import com.logisync.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The Idempotency-Key header (sync-runtime IdempotencyKeys) on order-sync's POSTs, with real tokens: a
 * replay answers the first answer, byte for byte; another request under the same key is refused; a key is
 * its caller's; a key still being processed is 409 with Retry-After; a reservation its process left behind
 * is taken over after the lease; a failed request leaves no key behind.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(value = HttpStandInResource.class, initArgs = {
        @ResourceArg(name = "name", value = "tms"),
        @ResourceArg(name = "property", value = "quarkus.rest-client.tms.url") })
class IdempotencyKeyTest {

    private static final AtomicInteger LOADS = new AtomicInteger(500);
    private static final String ERP = TestTokens.token("erp-client-a", "erp");
    private static final String OTHER_ERP = TestTokens.token("erp-client-b", "erp");
    private final HttpStandIn tms = HttpStandIn.named("tms");

    @BeforeEach
    void masterDataAndTms() {
        RestAssured.authentication = RestAssured.oauth2(ERP);
        OrderFixtures.seedMasterData();
        tms.reset();
        tms.on("POST", "/tms/api/v1/loads", r -> Reply.json(201, OrderFixtures.loadCreated("LD-" + LOADS.incrementAndGet())));
    }

    @AfterEach
    void noDefaultToken() {
        RestAssured.authentication = RestAssured.DEFAULT_AUTH;
    }

    private static ExtractableResponse<Response> release(String token, String key, String body) {
        return given().auth().oauth2(token).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/orders").then().extract();
    }

    @Test
    void theSameKeyAndRequestReplayTheFirstAnswerAndAnotherRequestIsRefused() {
        ExtractableResponse<Response> first = release(ERP, "rel-ORD-IK-1", OrderFixtures.order("ORD-IK-1"));
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();

        ExtractableResponse<Response> replay = release(ERP, "rel-ORD-IK-1", OrderFixtures.order("ORD-IK-1"));
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.header("Location")).isEqualTo(first.header("Location"));
        assertThat(replay.asString()).isEqualTo(first.asString());
        // Without the key the service's own idempotency answers: already released, 200.
        given().contentType(ContentType.JSON).body(OrderFixtures.order("ORD-IK-1")).post("/api/v1/orders").then()
                .statusCode(200);
        assertThat(tms.received("POST", "/tms/api/v1/loads")).hasSize(1);

        // Another order under the same key: 422, and nothing of it is released.
        given().auth().oauth2(ERP).header("Idempotency-Key", "rel-ORD-IK-1").contentType(ContentType.JSON)
                .body(OrderFixtures.order("ORD-IK-2")).post("/api/v1/orders").then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:idempotency-key-reused"))
                .body("errors[0].field", equalTo("Idempotency-Key"));
        given().get("/api/v1/orders/ORD-IK-2").then().statusCode(404);

        // The key is its caller's: another client's identical key runs its own request.
        ExtractableResponse<Response> other = release(OTHER_ERP, "rel-ORD-IK-1", OrderFixtures.order("ORD-IK-3"));
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(other.header("Idempotent-Replayed")).isNull();
        assertThat(other.path("orderId").toString()).isEqualTo("ORD-IK-3");
    }

    @Test
    void aKeyStillBeingProcessedIs409AndOneLeftBehindByADeadProcessIsTakenOverAfterTheLease() {
        String fingerprintless = "insert into idempotency_key (caller, idem_key, operation, fingerprint, reserved_at)"
                + " values ('erp-client-a', '%s', 'releaseOrder', '%s', now() - interval '%d seconds')";
        // A reservation made a second ago by a request still running (its fingerprint: whatever; in progress wins).
        PostgresServer.execute("logisync", fingerprintless.formatted("busy-1", "x", 1));
        given().auth().oauth2(ERP).header("Idempotency-Key", "busy-1").contentType(ContentType.JSON)
                .body(OrderFixtures.order("ORD-IK-4")).post("/api/v1/orders").then().statusCode(422);
        ExtractableResponse<Response> first = release(ERP, "busy-2", OrderFixtures.order("ORD-IK-4"));
        assertThat(first.statusCode()).isEqualTo(201);
        String fingerprint = (String) PostgresServer.queryValue("logisync",
                "select fingerprint from idempotency_key where caller = 'erp-client-a' and idem_key = 'busy-2'");
        PostgresServer.execute("logisync", fingerprintless.formatted("busy-3", fingerprint, 1));
        given().auth().oauth2(ERP).header("Idempotency-Key", "busy-3").contentType(ContentType.JSON)
                .body(OrderFixtures.order("ORD-IK-4")).post("/api/v1/orders").then().statusCode(409)
                .header("Retry-After", "1")
                .body("type", equalTo("urn:logisync:problem:idempotency-key-in-progress"));

        // The process that reserved busy-4 died 40 s ago, after releasing the order and before storing the
        // answer: the retry takes the key over and runs again, which the order's own idempotency makes safe.
        PostgresServer.execute("logisync", fingerprintless.formatted("busy-4", fingerprint, 40));
        ExtractableResponse<Response> takenOver = release(ERP, "busy-4", OrderFixtures.order("ORD-IK-4"));
        assertThat(takenOver.statusCode()).isEqualTo(200);
        assertThat(takenOver.path("orderId").toString()).isEqualTo("ORD-IK-4");
        assertThat(release(ERP, "busy-4", OrderFixtures.order("ORD-IK-4")).header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(tms.received("POST", "/tms/api/v1/loads")).hasSize(1);
    }

    @Test
    void aFailedRequestLeavesNoKeySoTheCorrectedRequestMayUseIt() {
        String late = OrderFixtures.order("ORD-IK-5").replaceFirst("\"customerId\": \"CUST-ACME\"",
                "\"customerId\": \"CUST-NOBODY\"");
        given().auth().oauth2(ERP).header("Idempotency-Key", "fix-1").contentType(ContentType.JSON).body(late)
                .post("/api/v1/orders").then().statusCode(422);
        assertThat(PostgresServer.queryValue("logisync",
                "select count(*) from idempotency_key where idem_key = 'fix-1'").toString()).isEqualTo("0");
        assertThat(release(ERP, "fix-1", OrderFixtures.order("ORD-IK-5")).statusCode()).isEqualTo(201);
        // A key must be visible ASCII of at most 255 characters.
        given().auth().oauth2(ERP).header("Idempotency-Key", "x".repeat(256)).contentType(ContentType.JSON)
                .body(OrderFixtures.order("ORD-IK-6")).post("/api/v1/orders").then().statusCode(400)
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void aCancellationUnderAKeyIsReplayed() {
        ExtractableResponse<Response> released = release(ERP, "rel-ORD-IK-7", OrderFixtures.order("ORD-IK-7"));
        assertThat(released.statusCode()).isEqualTo(201);
        String loadId = released.path("dispatch.loadId");
        tms.on("POST", "/tms/api/v1/loads/" + loadId + "/cancel",
                r -> Reply.json(200, "{\"loadId\":\"" + loadId + "\",\"status\":\"CANCELLED\"}"));
        String cancel = "{\"reason\": \"customer withdrew the order\"}";
        String first = given().auth().oauth2(ERP).header("Idempotency-Key", "cancel-7").contentType(ContentType.JSON)
                .body(cancel).post("/api/v1/orders/ORD-IK-7/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED")).extract().asString();
        given().auth().oauth2(ERP).header("Idempotency-Key", "cancel-7").contentType(ContentType.JSON).body(cancel)
                .post("/api/v1/orders/ORD-IK-7/cancel").then().statusCode(200).header("Idempotent-Replayed", "true")
                .body(equalTo(first));
        given().auth().oauth2(ERP).header("Idempotency-Key", "cancel-7").contentType(ContentType.JSON).body(cancel)
                .post("/api/v1/orders/ORD-IK-1/cancel").then().statusCode(422)
                .body("type", equalTo("urn:logisync:problem:idempotency-key-reused"));
    }
}
