package com.logisync.billing;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Correlation;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Poison goes to the dead-letter topic with its reason and the service that failed it; an event type
 * this version does not know is dead-lettered visibly, never committed and dropped; operators list
 * this service's dead letters only and redrive them through the same idempotent consumer after a fix.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@TestSecurity(user = "ops-7", roles = {"ops", "billing-clerk"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ErpStandIn.class)
class DeadLetterRedriveTest {

    private static final String DLQ = "/api/v1/ops/billing/dlq";

    private static Map<String, String> cloudEvent(String id, String type) {
        return Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", type, "ce_source", "/logisync/test",
                "content-type", "application/json");
    }

    private static JsonPath entryOf(String eventId) {
        return given().queryParam("topic", Topics.MILESTONES).get(DLQ).then().statusCode(200).extract().jsonPath()
                .setRootPath("items.find { it.eventId == '" + eventId + "' }");
    }

    private static boolean listed(String eventId) {
        return given().get(DLQ).then().statusCode(200).extract().jsonPath()
                .getList("items.eventId").contains(eventId);
    }

    @Test
    void poisonAndUnknownTypesAreDeadLetteredWithTheirReasonAndAFixedOneIsRedrivenOnce() {
        // Poison: a known type whose payload cannot be read.
        KafkaRecords.send(Topics.MILESTONES, "SHP-DLQ1", "{not json", cloudEvent("dlq-poison-1",
                EventType.MILESTONE_RECORDED.ceType()));
        // A newer producer's type during a rolling upgrade: never committed and dropped.
        KafkaRecords.send(Topics.MILESTONES, "SHP-DLQ1", "{}", cloudEvent("dlq-future-1", "com.logisync.milestone.teleported.v9"));
        // Another service's dead letter on the same (shared) DLQ topic is not billing's to list or redrive.
        KafkaRecords.send(Topics.MILESTONES + ".dlq", "SHP-DLQ1", "{}", Map.of("ce_id", "dlq-other-1",
                "logisync-dlq-service", "service-view-service", "dead-letter-topic", Topics.MILESTONES));

        // A delivery whose effect fails for good (the database refuses this shipment's case) until fixed.
        PostgresServer.execute("logisync", "create or replace function refuse_dlq2() returns trigger as $$ begin"
                + " if new.shipment_id = 'SHP-DLQ2' then raise exception 'case refused for SHP-DLQ2'; end if;"
                + " return new; end $$ language plpgsql");
        PostgresServer.execute("logisync", "create trigger refuse_dlq2 before insert on billing_case for each row"
                + " execute function refuse_dlq2()");
        Instant at = Instant.parse("2026-12-02T19:30:00Z");
        String delivered = EventPublisher.publish(com.logisync.testsupport.Milestones.reported(
                com.logisync.testsupport.Milestones.correlation("SHP-DLQ2", "CUST-DLQ"), "dlq-2", MilestoneType.DELIVERED, at)
                .pod(new ProofOfDelivery("J. Doe", at, "POD-DLQ2", null)).build(), null);

        await().atMost(Duration.ofSeconds(30)).until(() -> listed("dlq-poison-1") && listed("dlq-future-1")
                && listed(delivered));
        assertThat(given().get(DLQ).then().extract().jsonPath().getList("items.eventId")).doesNotContain("dlq-other-1");
        JsonPath poison = entryOf("dlq-poison-1");
        assertThat(poison.getString("dlqTopic")).isEqualTo(Topics.MILESTONES + ".dlq");
        assertThat(poison.getString("topic")).isEqualTo(Topics.MILESTONES);
        assertThat(poison.getString("service")).isEqualTo("billing-trigger-service");
        assertThat(poison.getString("reason")).contains("Unreadable " + EventType.MILESTONE_RECORDED.ceType());
        assertThat(poison.getString("key")).isEqualTo("SHP-DLQ1");
        assertThat(entryOf("dlq-future-1").getString("reason")).isEqualTo("Event type com.logisync.milestone.teleported.v9"
                + " (event dlq-future-1) is unknown to this version of billing-trigger-service: redrive it once"
                + " billing-trigger-service is upgraded");
        assertThat(entryOf(delivered).getString("reason")).contains("case refused for SHP-DLQ2");
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from billing_case where shipment_id = ?",
                "SHP-DLQ2")).isEqualTo(0L);

        // Redriven before the fix: FAILED, with why, and recorded.
        JsonPath entry = entryOf(delivered);
        String path = DLQ + "/" + entry.getString("dlqTopic") + "/" + entry.getInt("partition") + "/"
                + entry.getLong("offset") + "/redrive";
        given().post(path).then().statusCode(200).body("redrive.outcome", equalTo("FAILED"))
                .body("redrive.detail", containsString("case refused for SHP-DLQ2")).body("redrive.by", equalTo("ops-7"));

        // The fix, then the redrive: applied once through the same idempotent consumer.
        PostgresServer.execute("logisync", "drop trigger refuse_dlq2 on billing_case");
        given().post(path).then().statusCode(200).body("redrive.outcome", equalTo("REDRIVEN"));
        given().get("/api/v1/billing-cases/SHP-DLQ2").then().statusCode(200)
                .body("deliveredAt", equalTo("2026-12-02T19:30:00Z"))
                .body("pod.signedBy", equalTo("J. Doe"));
        // Again: recognised as applied, nothing applied twice.
        given().post(path).then().statusCode(200).body("redrive.outcome", equalTo("REDRIVEN"));
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from processed_event where event_id = ?",
                delivered)).isEqualTo(1L);

        // Redrive all: what is still poison fails again, what was redriven is not touched.
        List<Map<String, Object>> all = given().queryParam("topic", Topics.MILESTONES).post(DLQ + "/redrive").then()
                .statusCode(200).extract().jsonPath().getList("items");
        assertThat(all).extracting(i -> (Object) i.get("eventId")).contains("dlq-poison-1", "dlq-future-1")
                .doesNotContain(delivered);
        assertThat(all).extracting(i -> (Object) ((Map<?, ?>) i.get("redrive")).get("outcome")).containsOnly("FAILED");

        given().queryParam("topic", "logisync.nothing.v1").get(DLQ).then().statusCode(400);
        given().post(DLQ + "/" + Topics.MILESTONES + ".dlq/0/999999/redrive").then().statusCode(404);
    }
}
