package com.logisync.milestone;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.contracts.event.ContractUpdated;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import com.logisync.testsupport.JwtTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The telematics topic and the accessorials (detention, driver-reported), end to end. */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
// These tests are about behaviour, not access: every role (SecurityTest checks the access rules)
@TestSecurity(user = "SWIFT", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class TelematicsAndAccessorialsTest {

    private static void dispatched(String shipmentId, String loadId, String vehicle) {
        EventPublisher.publish(MilestoneIngestionTest.order(shipmentId, "ORD-" + shipmentId, "BOL-" + shipmentId), null);
        EventPublisher.publish(new DispatchAccepted(new Correlation(shipmentId, "ORD-" + shipmentId, loadId, null,
                "CUST-ACME", null), new DispatchReference(loadId, "RT-1", "Swift", "D. Ortiz", vehicle, null, null,
                "REST_TMS"), Instant.parse("2026-11-30T10:00:00Z")), null);
        MilestoneIngestionTest.awaitKnown("LOAD:" + loadId);
        await().atMost(Duration.ofSeconds(20)).until(() -> shipmentId.equals(PostgresServer.queryValue("logisync",
                "select shipment_id from vehicle_assignment where vehicle_id = ?", vehicle)));
    }

    private static void telematics(String vehicle, String json) {
        KafkaRecords.send(Topics.TELEMATICS, vehicle, json, Map.of());
    }

    private static List<String> types(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> KafkaRecords.header(r, "ce_type")).toList();
    }

    @Test
    void geofencesAndTheDriverAppBecomeMilestonesWithTheirStopForBillingsDetention() {
        dispatched("SHP-T1", "LD-T1", "TRK-T1");
        // Geofence events carry only the vehicle: its current dispatch names the shipment.
        telematics("TRK-T1", """
                {"type": "GEOFENCE", "eventId": "gf-1", "vehicleId": "TRK-T1", "at": "2026-12-02T14:00:00Z",
                 "fence": {"stopType": "DELIVERY", "stopSequence": 2, "locationCode": "USHOU", "transition": "ENTER"},
                 "lat": 29.76, "lon": -95.37}""");
        telematics("TRK-T1", """
                {"type": "POSITION", "vehicleId": "TRK-T1", "at": "2026-12-02T14:05:00Z", "lat": 29.7601, "lon": -95.3702,
                 "speedKph": 0, "headingDeg": 90}""");
        // Pings every minute: only one per five minutes of report time becomes a PositionReported.
        for (String minute : List.of("06", "07", "09")) {
            telematics("TRK-T1", """
                    {"type": "POSITION", "vehicleId": "TRK-T1", "at": "2026-12-02T14:%s:00Z", "lat": 29.7601, "lon": -95.3702,
                     "speedKph": 0}""".formatted(minute));
        }
        telematics("TRK-T1", """
                {"type": "POSITION", "vehicleId": "TRK-T1", "at": "2026-12-02T14:10:00Z", "lat": 29.7655, "lon": -95.3710,
                 "speedKph": 12}""");
        telematics("TRK-T1", """
                {"type": "POD", "eventId": "pod-1", "vehicleId": "TRK-T1", "loadId": "LD-T1", "at": "2026-12-02T17:10:00Z",
                 "signedBy": "R. Gomez", "documentRef": "POD-T1"}""");
        String exit = """
                {"type": "GEOFENCE", "eventId": "gf-2", "vehicleId": "TRK-T1", "at": "2026-12-02T17:30:00Z",
                 "fence": {"stopType": "DELIVERY", "stopSequence": 2, "transition": "EXIT"}}""";
        telematics("TRK-T1", exit);
        telematics("TRK-T1", exit);

        List<ConsumerRecord<String, String>> recorded = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-T1",
                EventType.MILESTONE_RECORDED.ceType(), 3);
        assertThat(recorded).extracting(ConsumerRecord::value).anySatisfy(v -> assertThat(v)
                .contains("\"milestone\":\"ARRIVED_DELIVERY\"").contains("\"system\":\"TELEMATICS\""));
        assertThat(recorded).extracting(ConsumerRecord::value).anySatisfy(v -> assertThat(v)
                .contains("\"milestone\":\"DELIVERED\"").contains("\"system\":\"DRIVER_APP\"")
                .contains("\"signedBy\":\"R. Gomez\""));
        // The arrival and the departure name their stop: billing prices the stay of stop 2 from them.
        assertThat(recorded).extracting(ConsumerRecord::value).anySatisfy(v -> assertThat(v)
                .contains("\"milestone\":\"DEPARTED_DELIVERY\"").contains("\"stopSequence\":2")
                .contains("\"utc\":\"2026-12-02T17:30:00Z\""));

        given().get("/api/v1/vehicles/TRK-T1/position").then().statusCode(200)
                .body("shipmentId", equalTo("SHP-T1"))
                .body("latitude", equalTo(29.7655f))
                .body("reportedAt", equalTo("2026-12-02T14:10:00Z"));
        List<ConsumerRecord<String, String>> positions = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-T1",
                EventType.POSITION_REPORTED.ceType(), 2);
        assertThat(positions.get(0).value()).contains("\"reportedAt\":\"2026-12-02T14:05:00Z\"")
                .contains("\"latitude\":29.7601").contains("\"vehicleId\":\"TRK-T1\"");
        assertThat(positions.get(1).value()).contains("\"reportedAt\":\"2026-12-02T14:10:00Z\"")
                .contains("\"latitude\":29.7655").contains("\"speedKph\":12.0");
        given().get("/api/v1/vehicles/TRK-NONE/position").then().statusCode(404);

        // Everything this service wrote is on Kafka; nothing more arrives for 800 ms.
        com.logisync.testsupport.Settled.holds("logisync", Duration.ofMillis(800), () -> {
        });
        // Three milestones and two of the five positions (no detention: that is billing's): the repeated
        // exit changed nothing.
        assertThat(types(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-T1"))).containsExactlyInAnyOrder(
                EventType.MILESTONE_RECORDED.ceType(), EventType.MILESTONE_RECORDED.ceType(),
                EventType.MILESTONE_RECORDED.ceType(),
                EventType.POSITION_REPORTED.ceType(), EventType.POSITION_REPORTED.ceType());
    }

    @Test
    void driverAccessorialsAreCapturedAndUnusableRecordsAreDeadLetteredWithTheReason() {
        dispatched("SHP-T3", "LD-T3", "TRK-T3");
        telematics("TRK-T3", """
                {"type": "ACCESSORIAL", "eventId": "acc-1", "vehicleId": "TRK-T3", "loadId": "LD-T3",
                 "at": "2026-12-02T16:00:00Z", "chargeCode": "LFT", "stopType": "DELIVERY", "note": "liftgate at store"}""");
        telematics("TRK-T3", """
                {"type": "ACCESSORIAL", "eventId": "acc-2", "vehicleId": "TRK-T3", "loadId": "LD-T3",
                 "at": "2026-12-02T16:05:00Z", "chargeCode": "UNL", "quantity": 1}""");
        telematics("TRK-T3", "{not json");
        telematics("TRK-T3", """
                {"type": "TELEPORT", "vehicleId": "TRK-T3", "at": "2026-12-02T16:06:00Z"}""");

        ConsumerRecord<String, String> lift = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-T3",
                EventType.ACCESSORIAL_CAPTURED.ceType(), 1).get(0);
        assertThat(lift.value()).contains("\"chargeCode\":\"LFT\"").contains("\"evidence\":\"liftgate at store\"")
                .contains("\"system\":\"DRIVER_APP\"");
        List<ConsumerRecord<String, String>> dead = KafkaRecords.awaitRecords(Topics.deadLetter(Topics.TELEMATICS), 3,
                r -> "TRK-T3".equals(r.key()));
        assertThat(dead).extracting(r -> KafkaRecords.header(r, "dead-letter-reason")).anySatisfy(reason ->
                assertThat(reason).contains("UNL (lumper) needs a receiptRef"))
                .anySatisfy(reason -> assertThat(reason).contains("not JSON"))
                .anySatisfy(reason -> assertThat(reason).contains("Unknown telematics type 'TELEPORT'"));
    }

    private static boolean parked(String vehicle) {
        return ((Long) PostgresServer.queryValue("logisync", "select count(*) from telematics_parked where vehicle_id = ?",
                vehicle)) > 0;
    }

    @Test
    void aPodForAVehicleWhoseDispatchIsNotKnownYetWaitsForItInsteadOfTheDeadLetterTopic() {
        // The orders consumer lags: the driver's POD arrives before the dispatch of its load.
        telematics("TRK-PARK1", """
                {"type": "POD", "eventId": "pod-park-1", "vehicleId": "TRK-PARK1", "at": "2026-12-04T17:10:00Z",
                 "signedBy": "M. Lee", "documentRef": "POD-PARK-1"}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> parked("TRK-PARK1"));
        assertThat((String) PostgresServer.queryValue("logisync", "select reason from telematics_parked where vehicle_id = ?",
                "TRK-PARK1")).contains("dispatched for no known shipment yet");

        dispatched("SHP-TP1", "LD-TP1", "TRK-PARK1");
        ConsumerRecord<String, String> delivered = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-TP1",
                EventType.MILESTONE_RECORDED.ceType(), 1).get(0);
        assertThat(delivered.value()).contains("\"milestone\":\"DELIVERED\"").contains("\"signedBy\":\"M. Lee\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> !parked("TRK-PARK1"));
        assertThat(KafkaRecords.snapshot(Topics.TELEMATICS + ".dlq"))
                .noneMatch(r -> r.value() != null && r.value().contains("pod-park-1"));
    }

    @Test
    void aNewLoadsGeofenceNeverLandsOnTheVehiclesPreviousDeliveredShipment() {
        dispatched("SHP-TP2", "LD-TP2", "TRK-PARK2");
        telematics("TRK-PARK2", """
                {"type": "POD", "eventId": "pod-tp2", "vehicleId": "TRK-PARK2", "at": "2026-12-04T12:00:00Z",
                 "signedBy": "A. Ray"}""");
        KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-TP2", EventType.MILESTONE_RECORDED.ceType(), 1);
        // The truck's next load: its arrival is reported before its dispatch reached this service.
        telematics("TRK-PARK2", """
                {"type": "GEOFENCE", "eventId": "gf-tp3", "vehicleId": "TRK-PARK2", "at": "2026-12-05T09:00:00Z",
                 "fence": {"stopType": "PICKUP", "stopSequence": 1, "transition": "ENTER"}}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> parked("TRK-PARK2"));
        assertThat((String) PostgresServer.queryValue("logisync", "select reason from telematics_parked where vehicle_id = ?",
                "TRK-PARK2")).contains("last known shipment SHP-TP2 was delivered");

        dispatched("SHP-TP3", "LD-TP3", "TRK-PARK2");
        ConsumerRecord<String, String> arrived = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-TP3",
                EventType.MILESTONE_RECORDED.ceType(), 1).get(0);
        assertThat(arrived.value()).contains("\"milestone\":\"ARRIVED_PICKUP\"");
        // SHP-TP2 kept only its own delivery.
        assertThat(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-TP2")).filteredOn(r -> EventType.MILESTONE_RECORDED
                .ceType().equals(KafkaRecords.header(r, "ce_type"))).hasSize(1);
    }

    @Test
    void aSecondDriverPodWithoutLoadIdWaitsForTheNextLoadInsteadOfReplacingTheDeliveredShipmentsPod() {
        dispatched("SHP-TP4", "LD-TP4", "TRK-PARK4");
        telematics("TRK-PARK4", """
                {"type": "POD", "eventId": "pod-tp4", "vehicleId": "TRK-PARK4", "at": "2026-12-04T12:00:00Z",
                 "signedBy": "B. Kim"}""");
        KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-TP4", EventType.MILESTONE_RECORDED.ceType(), 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(PostgresServer.queryValue("logisync",
                "select status_milestone from shipment_context where shipment_id = ?", "SHP-TP4")));
        // The driver app sends the same POD again: a duplicate of SHP-TP4's, never parked.
        telematics("TRK-PARK4", """
                {"type": "POD", "eventId": "pod-tp4", "vehicleId": "TRK-PARK4", "at": "2026-12-04T12:00:00Z",
                 "signedBy": "B. Kim"}""");
        // The truck's next load is signed before its dispatch reached this service: a new POD, no loadId.
        telematics("TRK-PARK4", """
                {"type": "POD", "eventId": "pod-tp5", "vehicleId": "TRK-PARK4", "at": "2026-12-05T15:00:00Z",
                 "signedBy": "C. Diaz"}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> parked("TRK-PARK4"));
        assertThat((String) PostgresServer.queryValue("logisync", "select reason from telematics_parked where vehicle_id = ?",
                "TRK-PARK4")).contains("driver already gave the POD of its last known shipment SHP-TP4");
        assertThat((Long) PostgresServer.queryValue("logisync",
                "select count(*) from telematics_parked where vehicle_id = ? and event_id = 'pod-tp4'", "TRK-PARK4"))
                .isZero();

        dispatched("SHP-TP5", "LD-TP5", "TRK-PARK4");
        ConsumerRecord<String, String> delivered = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-TP5",
                EventType.MILESTONE_RECORDED.ceType(), 1).get(0);
        assertThat(delivered.value()).contains("\"signedBy\":\"C. Diaz\"");
        // SHP-TP4 kept its own POD, published once.
        assertThat(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-TP4")).filteredOn(r -> EventType.MILESTONE_RECORDED
                .ceType().equals(KafkaRecords.header(r, "ce_type"))).hasSize(1)
                .allSatisfy(r -> assertThat(r.value()).contains("\"signedBy\":\"B. Kim\""));
    }
}
