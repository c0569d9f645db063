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

    @jakarta.inject.Inject
    com.logisync.runtime.outbox.OutboxBacklog backlog;

    /**
     * Admission control: while publication is behind by more than the bound (5,000 events in the tests),
     * a report is held, refused with 503 after the longest wait (5 s in the tests) with nothing of it
     * taken, and taken as soon as the relay has caught up.
     */
    @Test
    void reportsAreHeldWhilePublicationIsBehindRefusedAfterTheLongestWaitAndTakenOnceItCatchesUp() throws Exception {
        String swift = TestTokens.token("tms-swift", Map.of("partner", "SWIFT"), "carrier");
        long heldBefore = backlog.heldCount();
        long refusedBefore = backlog.refusedCount();
        // Publication stops: every relay partition is leased by another member for an hour (this
        // replica's relay loses them at its next round and cannot claim them back), and 6,000 events
        // are committed to the outbox.
        com.logisync.testsupport.PostgresServer.execute("logisync", "update outbox_partition set owner = 'admission-test',"
                + " fence = fence + 1, lease_until = now() + interval '1 hour'");
        try {
            com.logisync.testsupport.PostgresServer.execute("logisync", "insert into outbox_event (event_id, topic,"
                    + " partition_key, ce_type, payload) select 'admission-' || i, 'logisync.test.admission',"
                    + " 'SHP-ADM-' || (i % 10), 'com.logisync.test.admission.v1', '{}' from generate_series(1, 6000) i");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> backlog.events() >= 6000);

            long started = System.nanoTime();
            given().auth().oauth2(swift).contentType(ContentType.JSON).body(report("adm-refused", "SWIFT"))
                    .post("/api/v1/milestones").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"))
                    .body("type", equalTo("urn:logisync:problem:backlog-full"))
                    .body("maxBacklog", equalTo(5000))
                    .body("backlogEvents", org.hamcrest.Matchers.greaterThanOrEqualTo(6000))
                    .body("detail", org.hamcrest.Matchers.containsString("nothing of this request was taken"));
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(5));
            assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                    "select count(*) from parked_milestone where event_id = ?", "REST_API:SWIFT:adm-refused")).isEqualTo(0L);
            // A batch is held the same way.
            given().auth().oauth2(swift).contentType(ContentType.JSON).body("[" + report("adm-refused-b", "SWIFT") + "]")
                    .post("/api/v1/milestones/batch").then().statusCode(503);

            // Held, then taken: the partitions come free while the report waits.
            java.util.concurrent.CompletableFuture<Integer> held = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    given().auth().oauth2(swift).contentType(ContentType.JSON).body(report("adm-held", "SWIFT"))
                            .post("/api/v1/milestones").then().extract().statusCode());
            Thread.sleep(1000);
            assertThat(held).isNotDone();
            com.logisync.testsupport.PostgresServer.execute("logisync", "update outbox_partition set owner = null,"
                    + " lease_until = null where owner = 'admission-test'");
            assertThat(held.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(202);
            assertThat(com.logisync.testsupport.PostgresServer.queryValue("logisync",
                    "select count(*) from parked_milestone where event_id = ?", "REST_API:SWIFT:adm-held")).isEqualTo(1L);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> com.logisync.testsupport.PostgresServer.queryValue("logisync",
                            "select count(*) from outbox_backlog where event_id like 'admission-%'").equals(0L));
        } finally {
            com.logisync.testsupport.PostgresServer.execute("logisync", "update outbox_partition set owner = null,"
                    + " lease_until = null where owner = 'admission-test'");
        }
        assertThat(backlog.heldCount() - heldBefore).isEqualTo(3);
        assertThat(backlog.refusedCount() - refusedBefore).isEqualTo(2);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("logisync_outbox_backlog_events ", "logisync_outbox_backlog_age_seconds ",
                "logisync_ingestion_held_total ", "logisync_ingestion_refused_total ");
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
