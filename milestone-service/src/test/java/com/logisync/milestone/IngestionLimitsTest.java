package com.logisync.milestone;

import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import com.logisync.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** What keeps one partner from hurting the others: a rate per partner, body and batch caps. */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class IngestionLimitsTest {

    private static String report(String id) {
        return report(id, "SLOWPOKE");
    }

    private static String report(String id, String partner) {
        return """
                {"sourceEventId": "%s", "partnerId": "%s", "milestone": "IN_TRANSIT",
                 "eventTime": "2026-12-02T12:00:00Z", "references": {"bol": "BOL-LIMITS"}}""".formatted(id, partner);
    }

    @Test
    void aGroupCommitThatHangsGivesUpAfterItsTimeoutAndTheReportIsStillWrittenOnce() {
        // The database stalls 7 s on this report's row: longer than the 5 s group timeout (test config).
        // Only the first attempt stalls (a sequence is not transactional): the retry after the timeout does not.
        com.logisync.testsupport.PostgresServer.execute("logisync", "create sequence if not exists grp_stall_seq");
        com.logisync.testsupport.PostgresServer.execute("logisync", "create or replace function stall_grp() returns"
                + " trigger as $$ begin if new.event_id like '%grp-slow%' and nextval('grp_stall_seq') = 1 then"
                + " perform pg_sleep(7); end if; return new; end $$ language plpgsql");
        com.logisync.testsupport.PostgresServer.execute("logisync", "create trigger stall_grp before insert on"
                + " parked_milestone for each row execute function stall_grp()");
        String swift = TestTokens.token("tms-swift", Map.of("partner", "SWIFT"), "carrier");
        try {
            long started = System.nanoTime();
            given().auth().oauth2(swift).contentType(ContentType.JSON).body(report("grp-slow-1", "SWIFT"))
                    .post("/api/v1/milestones").then().statusCode(202)
                    .body("outcome", org.hamcrest.Matchers.oneOf("PARKED", "DUPLICATE"));
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(java.time.Duration.ofSeconds(5));
        } finally {
            com.logisync.testsupport.PostgresServer.execute("logisync", "drop trigger stall_grp on parked_milestone");
        }
        // Written once, never twice, and the hot path is live (no group left wedged).
        assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                "select count(*) from parked_milestone where event_id = ?", "REST_API:SWIFT:grp-slow-1")).isEqualTo(1L);
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'milestone ingestion' }.status", equalTo("UP"));
    }

    @Test
    void aPartnerOverItsRateGets429WithRetryAfterAndOthersAreNotSlowedDown() {
        // SLOWPOKE (test config): one request per 10 s, bursts of 2.
        String slowpoke = TestTokens.token("tms-slowpoke", Map.of("partner", "SLOWPOKE"), "carrier");
        String swift = TestTokens.token("tms-swift", Map.of("partner", "SWIFT"), "carrier");
        for (int i = 1; i <= 2; i++) {
            given().auth().oauth2(slowpoke).contentType(ContentType.JSON).body(report("rl-" + i))
                    .post("/api/v1/milestones").then().statusCode(202).body("outcome", equalTo("PARKED"));
        }
        given().auth().oauth2(slowpoke).contentType(ContentType.JSON).body(report("rl-3"))
                .post("/api/v1/milestones").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9]|10"))
                .body("type", equalTo("urn:logisync:problem:rate-limited"))
                .body("detail", org.hamcrest.Matchers.startsWith("Partner SLOWPOKE is over its request rate; retry after"));
        // A batch counts as one request of the same partner.
        given().auth().oauth2(slowpoke).contentType(ContentType.JSON).body("[" + report("rl-4") + "]")
                .post("/api/v1/milestones/batch").then().statusCode(429);
        // Another partner is not affected.
        for (int i = 1; i <= 5; i++) {
            given().auth().oauth2(swift).contentType(ContentType.JSON).body(report("rl-swift-" + i, "SWIFT"))
                    .post("/api/v1/milestones").then().statusCode(202);
        }
    }

    @Test
    void aBodyOverFourMebibytesIsRefusedBeforeItIsRead() {
        String carrier = TestTokens.token("tms-big", Map.of("partner", "BIG"), "carrier");
        String huge = "[" + "{\"sourceEventId\": \"x\"},".repeat(200_000) + "{}]";
        try {
            given().auth().oauth2(carrier).contentType(ContentType.JSON).body(huge)
                    .post("/api/v1/milestones/batch").then().statusCode(413);
        } catch (Exception refused) {
            // The server may close the connection while the client is still sending: refused all the same.
            Throwable root = refused;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).isInstanceOf(java.net.SocketException.class);
        }
        // Nothing of it was taken: the service answers normally right after.
        given().auth().oauth2(carrier).contentType(ContentType.JSON).body("[" + report("after-big", "BIG") + "]")
                .post("/api/v1/milestones/batch").then().statusCode(200);
    }

    @Test
    void aBatchOfMoreThanAThousandIsA400NamingTheCap() {
        String carrier = TestTokens.token("tms-many", Map.of("partner", "MANY"), "carrier");
        String many = "[" + (report("x", "MANY") + ",").repeat(1000) + report("y", "MANY") + "]";
        given().auth().oauth2(carrier).contentType(ContentType.JSON).body(many)
                .post("/api/v1/milestones/batch").then().statusCode(400)
                .body("errors[0].message", equalTo("must have 1 to 1000 items"));
    }
}
