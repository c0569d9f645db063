package com.logisync.serviceview;

import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.serviceview.service.TaskSweep;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.Milestones;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import com.logisync.testsupport.Settled;
import com.logisync.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A proactive task for every kind of trouble, one per reason and shipment, resolved by the fact that ends
 * it: a carrier's own delay report (with its reason and new ETA), a refused delivery, a failed delivery
 * attempt, damage (a reason code or the POD's notes), a missed pickup (found by the sweep), and escalation
 * by age. And the case view shows each milestone's reason and local time, and an ETA labelled as the
 * carrier's or as predicted.
 *
 * <p>The shipments' days (2037-12-01 to 03, the weekdays of 2026's) lie ahead of the wall clock: the task sweep
 * runs every second against the real clock and would otherwise escalate these tasks by age before the tests'
 * own sweeps do (it did once the clock passed 2026-12-02, the days these tests first used). The missed-pickup
 * test makes its window from the clock.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ProactiveTasksTest {

    private static final String AGENT = TestTokens.token("agent-12", "service-agent");

    @Inject
    TaskSweep sweep;

    @Inject
    io.vertx.core.Vertx vertx;

    private static Correlation corr(String shipmentId) {
        return Milestones.correlation(shipmentId, "CUST-TASKS");
    }

    private static ValidatableResponse task(String shipmentId, String reason) {
        return given().auth().oauth2(AGENT).get("/api/v1/shipments/" + shipmentId).then().statusCode(200)
                .rootPath("serviceTasks.find { it.reason == '" + reason + "' }");
    }

    private static void order(String shipmentId, Instant pickupWindowEnd) {
        EventPublisher.publish(new OrderReleased(corr(shipmentId), "LTL_STANDARD", List.of(), List.of(
                new Stop(1, StopType.PICKUP, "Acme Plant", null, null, "America/Chicago",
                        new TimeWindow(pickupWindowEnd.minus(2, ChronoUnit.HOURS), pickupWindowEnd)),
                new Stop(2, StopType.DELIVERY, "Globex DC", null, null, "America/Chicago",
                        new TimeWindow(Instant.parse("2037-12-02T14:00:00Z"), Instant.parse("2037-12-02T16:00:00Z")))),
                Instant.parse("2037-12-01T08:00:00Z"), null), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(AGENT)
                .get("/api/v1/shipments/" + shipmentId).then().statusCode(200).body("route.pickup", equalTo("Acme Plant")));
    }

    @Test
    void aCarriersDelayReportOpensATaskWithItsReasonAndNewEta() {
        order("SHP-TK1", Instant.parse("2037-12-02T10:00:00Z"));
        EventPublisher.publish(Milestones.reported(corr("SHP-TK1"), "tk1-eta", MilestoneType.ETA_UPDATED,
                Instant.parse("2037-12-02T17:30:00Z")).classifier(Classifier.ESTIMATED).build(), null);
        // Not at a stop, no delay measured by enrichment: until now such a report opened nothing.
        EventPublisher.publish(Milestones.reported(corr("SHP-TK1"), "tk1-dl", MilestoneType.DELAYED,
                Instant.parse("2037-12-02T11:00:00Z")).reason(new Reason("MECHANICAL", "AI", "X12-1651", "tractor breakdown"))
                .local(LocalDateTime.parse("2037-12-02T05:00:00"), "America/Chicago").build(), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> task("SHP-TK1", "DELAYED")
                .body("status", equalTo("OPEN"))
                .body("detail", containsString("MECHANICAL (X12-1651 AI) tractor breakdown"))
                .body("detail", containsString("new ETA 2037-12-02T17:30:00Z; 90 min late (threshold 60 min)"))
                .body("severity", equalTo("LOW")));
        // The view shows the reason and the local time beside UTC, and the carrier's ETA as such.
        given().auth().oauth2(AGENT).get("/api/v1/shipments/SHP-TK1").then().statusCode(200)
                .body("milestones.find { it.milestone == 'DELAYED' }.reason.description", equalTo("tractor breakdown"))
                .body("milestones.find { it.milestone == 'DELAYED' }.reason.sourceCode", equalTo("AI"))
                .body("milestones.find { it.milestone == 'DELAYED' }.localEventTime.local", equalTo("2037-12-02T05:00:00"))
                .body("milestones.find { it.milestone == 'DELAYED' }.localEventTime.zoneId", equalTo("America/Chicago"))
                .body("estimatedDelivery.kind", equalTo("CARRIER"))
                .body("estimatedDelivery.at", equalTo("2037-12-02T17:30:00Z"));
    }

    @Test
    void refusalAndAFailedAttemptOpenTasksTheDeliveryResolves() {
        order("SHP-TK2", Instant.parse("2037-12-02T10:00:00Z"));
        Instant at = Instant.parse("2037-12-02T15:00:00Z");
        EventPublisher.publish(Milestones.reported(corr("SHP-TK2"), "tk2-ah", MilestoneType.DELIVERY_ATTEMPTED, at)
                .reason(new Reason("CONSIGNEE_CLOSED", "B1", "X12-1651", null)).build(), null);
        EventPublisher.publish(Milestones.reported(corr("SHP-TK2"), "tk2-rf", MilestoneType.REFUSED, at.plusSeconds(3600))
                .reason(new Reason("REFUSED_BY_CUSTOMER", "BS", "X12-1651", null)).build(), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            task("SHP-TK2", "DELIVERY_ATTEMPTED").body("status", equalTo("OPEN")).body("severity", equalTo("MEDIUM"))
                    .body("detail", containsString("CONSIGNEE_CLOSED"));
            task("SHP-TK2", "REFUSED_DELIVERY").body("status", equalTo("OPEN")).body("severity", equalTo("HIGH"))
                    .body("detail", containsString("REFUSED_BY_CUSTOMER"));
        });
        EventPublisher.publish(Milestones.reported(corr("SHP-TK2"), "tk2-dv", MilestoneType.DELIVERED, at.plusSeconds(86400))
                .pod(new ProofOfDelivery("R. Diaz", at.plusSeconds(86400), "POD-9", null)).build(), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            task("SHP-TK2", "DELIVERY_ATTEMPTED").body("status", equalTo("RESOLVED")).body("resolvedBy", equalTo("system"));
            task("SHP-TK2", "REFUSED_DELIVERY").body("status", equalTo("RESOLVED"))
                    .body("resolution", equalTo("delivered at 2037-12-03T15:00:00Z"));
        });
    }

    @Test
    void damageOnThePodOpensAnOsdTaskOnlyAnAgentCloses() {
        order("SHP-TK3", Instant.parse("2037-12-02T10:00:00Z"));
        Instant at = Instant.parse("2037-12-02T15:00:00Z");
        EventPublisher.publish(Milestones.reported(corr("SHP-TK3"), "tk3-dv", MilestoneType.DELIVERED, at)
                .pod(new ProofOfDelivery("K. Lee", at, "POD-3", "2 cartons crushed")).build(), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> task("SHP-TK3", "DAMAGE_OSD")
                .body("status", equalTo("OPEN")).body("severity", equalTo("HIGH"))
                .body("detail", containsString("2 cartons crushed")));
        given().auth().oauth2(AGENT).get("/api/v1/shipments/SHP-TK3").then()
                .body("milestones[0].pod.osdNotes", equalTo("2 cartons crushed"))
                .body("estimatedDelivery", equalTo(null));
    }

    @Test
    void noPickupByTheWindowPlusTheThresholdIsAMissedPickupThePickupResolves() {
        Instant windowEnd = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        order("SHP-TK4", windowEnd);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> task("SHP-TK4", "MISSED_PICKUP")
                .body("status", equalTo("OPEN"))
                .body("detail", containsString("no pickup reported at Acme Plant"))
                .body("detail", containsString("threshold 60 min"))
                .body("severity", equalTo("MEDIUM")));
        EventPublisher.publish(Milestones.reported(corr("SHP-TK4"), "tk4-pu", MilestoneType.DEPARTED_PICKUP,
                Instant.now().minusSeconds(60)).build(), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> task("SHP-TK4", "MISSED_PICKUP")
                .body("status", equalTo("RESOLVED")).body("resolution", containsString("picked up at")));
    }

    @Test
    void whileAReplayRebuildsTheReadModelTheSweepOpensAndRaisesNothing() {
        // Another replica's replay is rebuilding the tables. A case it restored before replaying its pickup, or a
        // task before its later changes, would look like a missed pickup or an unchanged task: the sweep waits.
        // (A fresh build once saw the sweep raise a task again after ReadModelTest's replay and tell the CRM
        // twice.) Its heartbeat lies ahead, or this replica would take the replay over once the 2-s test lease ran
        // out.
        PostgresServer.execute("logisync", "create table saved_replay as select * from read_model_replay;"
                + " insert into read_model_replay (id, state, started_at, positions, owner, heartbeat_at)"
                + " values (1, 'RUNNING', now(), '{}', 'replica-b', now() + interval '1 hour') on conflict (id) do update"
                + " set state = 'RUNNING', owner = 'replica-b', heartbeat_at = now() + interval '1 hour',"
                + " finished_at = null");
        Instant windowEnd = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        try {
            // The live consumers keep applying: the case, and a failed attempt 5 h ago (past the 4 h escalation).
            order("SHP-TK6", windowEnd);
            EventPublisher.publish(Milestones.reported(corr("SHP-TK6"), "tk6-ah", MilestoneType.DELIVERY_ATTEMPTED,
                    Instant.now().minus(5, ChronoUnit.HOURS)).build(), null);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> task("SHP-TK6", "DELIVERY_ATTEMPTED")
                    .body("severity", equalTo("MEDIUM")));
            assertThat(com.logisync.runtime.vertx.SafeContext.run(vertx, () -> sweep.sweep(Instant.now())).await()
                    .atMost(Duration.ofSeconds(20))).isZero();
            // The periodic sweep (every second in tests) holds off too.
            Settled.holds("logisync", Duration.ofMillis(2500), () -> {
                given().auth().oauth2(AGENT).get("/api/v1/shipments/SHP-TK6").then().statusCode(200)
                        .body("serviceTasks.reason", equalTo(List.of("DELIVERY_ATTEMPTED")));
                task("SHP-TK6", "DELIVERY_ATTEMPTED").body("severity", equalTo("MEDIUM"));
            });
        } finally {
            PostgresServer.execute("logisync", "delete from read_model_replay;"
                    + " insert into read_model_replay select * from saved_replay; drop table saved_replay");
        }
        // The replay over, the next sweep does both.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            task("SHP-TK6", "MISSED_PICKUP").body("status", equalTo("OPEN"));
            task("SHP-TK6", "DELIVERY_ATTEMPTED").body("severity", equalTo("HIGH"));
        });
    }

    @Test
    void anAgentsResolutionReadBackLateDoesNotCloseASubscriptionTaskALaterFailureOpenedAgain() {
        // The subscription's task, opened again by a failure 5 min ago after an agent had resolved it 10 min ago;
        // the tasks consumer, lagging, reads that resolution back only now.
        Instant reopened = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        PostgresServer.execute("logisync", "insert into service_task (task_id, shipment_id, customer_id, reason,"
                + " severity, delay_minutes, threshold_minutes, detail, status, opened_at, updated_at) values"
                + " ('SHP-TK7:SUBSCRIPTION_FAILING', 'SHP-TK7', 'CUST-TASKS', 'SUBSCRIPTION_FAILING', 'MEDIUM', 0, 0,"
                + " 'subscription sub-7 did not take it', 'OPEN', '" + reopened + "', '" + reopened + "')");
        EventPublisher.publish(new com.logisync.contracts.event.ServiceTaskResolved(corr("SHP-TK7"),
                "SHP-TK7:SUBSCRIPTION_FAILING", "agent-12", "called their IT", reopened.minus(5, ChronoUnit.MINUTES)),
                null);
        com.logisync.testsupport.KafkaRecords.awaitConsumed("service-view-service.service-tasks",
                com.logisync.contracts.Topics.SERVICE_TASKS, Duration.ofSeconds(20));
        assertThat(PostgresServer.queryValue("logisync", "select status from service_task where task_id = ?",
                "SHP-TK7:SUBSCRIPTION_FAILING")).isEqualTo("OPEN");
        // A resolution of this opening, read back, closes it.
        EventPublisher.publish(new com.logisync.contracts.event.ServiceTaskResolved(corr("SHP-TK7"),
                "SHP-TK7:SUBSCRIPTION_FAILING", "agent-12", "fixed for good", reopened.plus(1, ChronoUnit.MINUTES)),
                null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(PostgresServer.queryValue("logisync",
                "select resolution from service_task where task_id = ?", "SHP-TK7:SUBSCRIPTION_FAILING"))
                .isEqualTo("fixed for good"));
    }

    @Test
    void anOpenTaskRisesBySeverityWithAgeAndTheViewPredictsAnEta() {
        order("SHP-TK5", Instant.parse("2037-12-02T10:00:00Z"));
        EventPublisher.publish(new DispatchAccepted(corr("SHP-TK5"), new DispatchReference("LD-SHP-TK5", "R-5", "SWFT",
                "A. Novak", "TRK-5", Instant.parse("2037-12-02T09:00:00Z"), Instant.parse("2037-12-02T15:00:00Z"), "TMS"),
                Instant.parse("2037-12-01T09:00:00Z")), null);
        Instant at = Instant.parse("2037-12-02T12:00:00Z");
        EventPublisher.publish(Milestones.reported(corr("SHP-TK5"), "tk5-ah", MilestoneType.DELIVERY_ATTEMPTED, at).build(), null);
        EventPublisher.publish(Milestones.reported(corr("SHP-TK5"), "tk5-dl", MilestoneType.DELAYED, at).build(), null);
        EventPublisher.publish(Milestones.reported(corr("SHP-TK5"), "tk5-at", MilestoneType.ARRIVED_TERMINAL,
                at.minusSeconds(3600)).enrichment(new Enrichment("CUST-TASKS", null, null, 45, true)).build(), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            task("SHP-TK5", "DELIVERY_ATTEMPTED").body("severity", equalTo("MEDIUM"));
            task("SHP-TK5", "DELAYED").body("severity", equalTo("LOW"));
        });
        given().auth().oauth2(AGENT).get("/api/v1/shipments/SHP-TK5").then()
                .body("estimatedDelivery.kind", equalTo("PREDICTED"))
                .body("estimatedDelivery.at", equalTo("2037-12-02T15:45:00Z"))
                .body("estimatedDelivery.basis", containsString("45 min late"));
        // Opened at 12:00 and unchanged since: 4 h later each is one level up, and only one, however often the
        // sweep looks; another 4 h later the next level. (This shipment's tasks only: the other tests' tasks, of
        // the same days, stay as their own facts made them.)
        escalateAt(at.plus(4, ChronoUnit.HOURS).plusSeconds(60));
        escalateAt(at.plus(4, ChronoUnit.HOURS).plusSeconds(120));
        task("SHP-TK5", "DELIVERY_ATTEMPTED").body("severity", equalTo("HIGH")).body("status", equalTo("OPEN"));
        task("SHP-TK5", "DELAYED").body("severity", equalTo("MEDIUM"));
        escalateAt(at.plus(8, ChronoUnit.HOURS).plusSeconds(120));
        task("SHP-TK5", "DELAYED").body("severity", equalTo("HIGH"));
    }

    private void escalateAt(Instant now) {
        com.logisync.runtime.vertx.SafeContext.run(vertx, () -> sweep.escalate(now, "SHP-TK5")).await()
                .atMost(Duration.ofSeconds(20));
    }
}
