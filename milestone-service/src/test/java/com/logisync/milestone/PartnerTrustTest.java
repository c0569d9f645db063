package com.logisync.milestone;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.milestone.edi.X12Samples;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import com.logisync.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import static org.hamcrest.Matchers.hasItem;

/**
 * Who may say what: the reporting partner is the token's, an interchange's sender must be the token's
 * partner, and only the dispatched carrier's partner proves a delivery. With real tokens, broker and database.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class PartnerTrustTest {

    private static final String SWIFT = TestTokens.token("swift-tms", Map.of("partner", "SWIFT"), "carrier");
    private static final String PRAIRIE = TestTokens.token("prairie-edi", Map.of("partner", "PRAIRIE"), "carrier");
    private static final String ROGUE = TestTokens.token("rogue", Map.of("partner", "ROGUE"), "carrier");

    private static void dispatchedShipment(String shipmentId, String bol, String carrier) {
        EventPublisher.publish(MilestoneIngestionTest.order(shipmentId, "ORD-" + shipmentId, bol), null);
        EventPublisher.publish(new DispatchAccepted(new Correlation(shipmentId, "ORD-" + shipmentId, "LD-" + shipmentId,
                null, "CUST-ACME", null), new DispatchReference("LD-" + shipmentId, "RT-1", carrier, "D. Ortiz", null,
                null, null, "REST_TMS"), Instant.now()), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> carrier.equals(PostgresServer.queryValue("logisync",
                "select carrier from shipment_context where shipment_id = ?", shipmentId)));
    }

    private static String report(String id, String partner, String milestone, String bol, boolean pod) {
        return """
                {"sourceEventId": "%s", "partnerId": "%s", "milestone": "%s", "eventTime": "2026-12-02T15:30:00Z",
                 "references": {"bol": "%s"}%s}""".formatted(id, partner, milestone, bol, pod
                ? ", \"pod\": {\"signedBy\": \"J. Doe\", \"signedAt\": \"2026-12-02T15:30:00Z\"}" : "");
    }

    private static ValidatableResponse x12(String token, String accept, String interchange) {
        return given().config(io.restassured.RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/edi-x12", ContentType.TEXT)))
                .auth().oauth2(token).accept(accept).contentType("application/edi-x12").body(interchange)
                .post("/api/v1/edi/x12").then();
    }

    @Test
    void aReportNamingAnotherPartnerIsRefusedWithBothNamed() {
        dispatchedShipment("SHP-PT1", "BOL-PT1", "Swift Haulage");
        given().auth().oauth2(ROGUE).contentType(ContentType.JSON)
                .body(report("t1-pod", "SWIFT", "DELIVERED", "BOL-PT1", true))
                .post("/api/v1/milestones").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:logisync:problem:partner-mismatch"))
                .body("detail", equalTo("The token speaks for partner ROGUE; the report names SWIFT. A partner reports"
                        + " only for itself."))
                .body("authenticatedPartner", equalTo("ROGUE"))
                .body("reportedPartners", equalTo(List.of("SWIFT")));
        // A batch with one forged item is refused whole, the item named; nothing of it is recorded.
        given().auth().oauth2(ROGUE).contentType(ContentType.JSON)
                .body("[" + report("t1-a", "ROGUE", "IN_TRANSIT", "BOL-PT1", false) + ","
                        + report("t1-b", "SWIFT", "ARRIVED_DELIVERY", "BOL-PT1", false) + "]")
                .post("/api/v1/milestones/batch").then().statusCode(403)
                .body("errors[0].field", equalTo("[1].partnerId"))
                .body("errors[0].message", equalTo("names partner SWIFT, the token speaks for ROGUE"));
        // The real SWIFT report of the same source id is not pre-empted: ids are namespaced by the token's partner.
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON)
                .body(report("t1-b", "SWIFT", "ARRIVED_DELIVERY", "BOL-PT1", false))
                .post("/api/v1/milestones").then().statusCode(202).body("outcome", equalTo("RECORDED"))
                .body("eventId", equalTo("REST_API:SWIFT:t1-b"));
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from milestone where shipment_id = ?",
                "SHP-PT1")).isEqualTo(1L);
        // A partner without a profile reports through REST only.
        x12(ROGUE, "application/json", X12Samples.interchange("ROGUE", "LOGISYNC", "000000301", false, "P",
                List.of(X12Samples.Group.qm("ROGUE", List.of(X12Samples.delivery("PRO-PT1", "BOL-PT1"))))))
                .statusCode(403).body("type", equalTo("urn:logisync:problem:channel-not-allowed"));
    }

    @Test
    void aPodCountsOnlyFromTheDispatchedCarriersPartner() {
        dispatchedShipment("SHP-PT2", "BOL-PT2", "Swift Haulage");
        given().auth().oauth2(ROGUE).contentType(ContentType.JSON)
                .body(report("t2-pod", "ROGUE", "DELIVERED", "BOL-PT2", true))
                .post("/api/v1/milestones").then().statusCode(202).body("outcome", equalTo("RECORDED"));
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON)
                .body(report("t2-pod", "SWIFT", "DELIVERED", "BOL-PT2", true))
                .post("/api/v1/milestones").then().statusCode(202).body("outcome", equalTo("RECORDED"));
        List<ConsumerRecord<String, String>> events = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-PT2",
                EventType.MILESTONE_RECORDED.ceType(), 2);
        assertThat(events).anySatisfy(r -> assertThat(r.value()).contains("\"partnerId\":\"ROGUE\"")
                .contains("\"verified\":false")
                .contains("\"unverifiedReason\":\"reported by partner ROGUE, but the load is dispatched to carrier Swift Haulage\""));
        assertThat(events).anySatisfy(r -> assertThat(r.value()).contains("\"partnerId\":\"SWIFT\"")
                .contains("\"verified\":true"));
    }

    /** An order milestone-service knows, whose dispatch has not arrived yet. */
    private static void orderAwaitingDispatch(String shipmentId, String bol) {
        EventPublisher.publish(MilestoneIngestionTest.order(shipmentId, "ORD-" + shipmentId, bol), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> ("ORD-" + shipmentId).equals(PostgresServer.queryValue(
                "logisync", "select order_id from shipment_context where shipment_id = ?", shipmentId)));
    }

    @Test
    void aPodReportedWhileTheDispatchWasOnItsWayProvesTheDeliveryOnceTheCarrierIsNamed() {
        // The order is known, its dispatch not yet: the carrier's 214 overtook our own orders topic.
        orderAwaitingDispatch("SHP-PT9", "BOL-PT9");
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON)
                .body(report("t9-pod", "SWIFT", "DELIVERED", "BOL-PT9", true))
                .post("/api/v1/milestones").then().statusCode(202).body("outcome", equalTo("RECORDED"));
        given().auth().oauth2(ROGUE).contentType(ContentType.JSON)
                .body(report("t9-pod", "ROGUE", "DELIVERED", "BOL-PT9", true).replace("J. Doe", "R. Ogue"))
                .post("/api/v1/milestones").then().statusCode(202).body("outcome", equalTo("RECORDED"));
        assertThat(KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-PT9", EventType.MILESTONE_RECORDED.ceType(), 2))
                .allSatisfy(r -> assertThat(r.value()).contains("\"verified\":false")
                        .contains("before the TMS named the load's carrier"));

        DispatchAccepted dispatched = new DispatchAccepted(new Correlation("SHP-PT9", "ORD-SHP-PT9", "LD-SHP-PT9", null,
                "CUST-ACME", null), new DispatchReference("LD-SHP-PT9", "RT-1", "Swift Haulage", "D. Ortiz", null, null,
                null, "REST_TMS"), Instant.now());
        EventPublisher.publish(dispatched, null);
        List<ConsumerRecord<String, String>> corrected = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-PT9",
                EventType.MILESTONE_CORRECTED.ceType(), 1);
        assertThat(corrected.get(0).value()).contains("\"correctedEventId\":\"REST_API:SWIFT:t9-pod\"")
                .contains("\"action\":\"RECORD_POD\"").contains("\"correctedBy\":\"milestone-service\"")
                .contains("\"signedBy\":\"J. Doe\"").contains("\"verified\":true")
                .contains("\"reason\":\"the TMS dispatched the load to carrier Swift Haulage, for which partner SWIFT"
                        + " reports: its POD proves the delivery\"")
                .contains("\"statusAfter\":\"DELIVERED\"");
        // ROGUE reports for no carrier of this load: its POD stays unverified, for a person.
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from milestone_correction where event_id = ?",
                "REST_API:ROGUE:t9-pod")).isEqualTo(0L);

        // The dispatch again (redelivered, or a re-dispatch): the carrier was known, nothing is judged twice.
        EventPublisher.publish(dispatched, null);
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON)
                .body(report("t9-after", "SWIFT", "IN_TRANSIT", "BOL-PT9", false).replace("15:30", "10:00"))
                .post("/api/v1/milestones").then().statusCode(202);
        KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-PT9", EventType.MILESTONE_RECORDED.ceType(), 3);
        KafkaRecords.awaitConsumed("milestone-service.orders", Topics.ORDERS, Duration.ofSeconds(20));
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from milestone_correction where event_id = ?",
                "REST_API:SWIFT:t9-pod")).isEqualTo(1L);
        assertThat(KafkaRecords.forShipment(Topics.MILESTONES, "SHP-PT9").stream().filter(r -> EventType
                .MILESTONE_CORRECTED.ceType().equals(KafkaRecords.header(r, "ce_type")))).hasSize(1);
    }

    @Test
    void anUnsignedDeliveryReportedWhileTheDispatchWasOnItsWayCountsOnceTheCarrierIsNamed() {
        orderAwaitingDispatch("SHP-PT10", "BOL-PT10");
        // The carrier's delivery without a signer: the verdict alone, unverified while the carrier is unknown.
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON)
                .body(report("t10-dlv", "SWIFT", "DELIVERED", "BOL-PT10", false))
                .post("/api/v1/milestones").then().statusCode(202).body("outcome", equalTo("RECORDED"));
        assertThat(KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-PT10", EventType.MILESTONE_RECORDED.ceType(), 1)
                .get(0).value()).contains("\"verified\":false").doesNotContain("signedBy");

        EventPublisher.publish(new DispatchAccepted(new Correlation("SHP-PT10", "ORD-SHP-PT10", "LD-SHP-PT10", null,
                "CUST-ACME", null), new DispatchReference("LD-SHP-PT10", "RT-1", "Swift Haulage", "D. Ortiz", null, null,
                null, "REST_TMS"), Instant.now()), null);
        String corrected = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-PT10", EventType.MILESTONE_CORRECTED.ceType(), 1)
                .get(0).value();
        assertThat(corrected).contains("\"correctedEventId\":\"REST_API:SWIFT:t10-dlv\"")
                .contains("\"action\":\"RECORD_POD\"").contains("\"correctedBy\":\"milestone-service\"")
                .contains("\"pod\":{\"verified\":true,\"signed\":false}")
                .contains("\"reason\":\"the TMS dispatched the load to carrier Swift Haulage, for which partner SWIFT"
                        + " reports: its delivery report counts, its POD may follow\"");
    }

    @Test
    void anInterchangeFromAnotherPartnersIdsIsRefusedAndNothingOfItIsUsed() {
        dispatchedShipment("SHP-PT3", "BOL-PT3", "Prairie Freight Lines");
        List<String> delivery = X12Samples.delivery("PRO-PT3", "BOL-PT3");
        // SWIFT's token, PRAIRIE's ISA06
        x12(SWIFT, "application/json", X12Samples.interchange("PRFL", "LOGISYNC", "000000302", false, "P",
                List.of(X12Samples.Group.qm("PRFL", List.of(delivery))))).statusCode(403)
                .body("type", equalTo("urn:logisync:problem:partner-mismatch"))
                .body("errors.message", hasItem("ISA05/ISA06 ZZ/PRFL is not partner SWIFT's ZZ/SWFT"));
        // Right ISA06, but one group's GS02 is not the partner's
        x12(PRAIRIE, "application/json", X12Samples.interchange("PRFL", "LOGISYNC", "000000303", false, "P",
                List.of(X12Samples.Group.qm("PRFL", List.of(delivery)), X12Samples.Group.qm("SWFT", List.of(delivery)))))
                .statusCode(403).body("errors.message", hasItem(containsString("GS02 SWFT of group 4602")));
        // Not addressed to LogiSync
        x12(PRAIRIE, "application/json", X12Samples.interchange("PRFL", "SOMEBODY", "000000304", false, "P",
                List.of(X12Samples.Group.qm("PRFL", List.of(delivery))))).statusCode(400)
                .body("type", equalTo("urn:logisync:problem:x12-receiver"));
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from milestone where shipment_id = ?",
                "SHP-PT3")).isEqualTo(0L);
    }

    @Test
    void anAnonymousCallIs401BeforeAnythingElseIsLookedAt() {
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/edi/x12").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/no-such-thing").then().statusCode(401);
    }

    @Test
    void testInterchangesAreAcknowledgedButNeverUsedAndForbiddenWhereTheProfileSaysSo() {
        dispatchedShipment("SHP-PT4", "BOL-PT4", "Prairie Freight Lines");
        List<String> delivery = X12Samples.delivery("PRO-PT4", "BOL-PT4");
        x12(PRAIRIE, "application/json", X12Samples.interchange("PRFL", "LOGISYNC", "000000401", false, "T",
                List.of(X12Samples.Group.qm("PRFL", List.of(delivery))))).statusCode(200)
                .body("test", equalTo(true)).body("accepted", equalTo(1))
                .body("transactions[0].milestones", org.hamcrest.Matchers.nullValue());
        x12(SWIFT, "application/json", X12Samples.interchange("SWFT", "LOGISYNC", "000000402", false, "T",
                List.of(X12Samples.Group.qm("SWFT", List.of(delivery))))).statusCode(403)
                .body("type", equalTo("urn:logisync:problem:x12-test-not-allowed"));
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from milestone where shipment_id = ?",
                "SHP-PT4")).isEqualTo(0L);
    }

    @Test
    void aReusedControlNumberIsADuplicateWithTheSameContentAndRefusedWithOther() {
        dispatchedShipment("SHP-PT5", "BOL-PT5", "Prairie Freight Lines");
        String first = X12Samples.interchange("PRFL", "LOGISYNC", "000000501", false, "P",
                List.of(X12Samples.Group.qm("PRFL", List.of(X12Samples.delivery("PRO-PT5", "BOL-PT5")))));
        x12(PRAIRIE, "application/json", first).statusCode(200).body("duplicate", org.hamcrest.Matchers.nullValue())
                .body("transactions[0].milestones.outcome", equalTo(List.of("RECORDED", "RECORDED", "RECORDED")));
        x12(PRAIRIE, "application/json", first).statusCode(200).body("duplicate", equalTo(true))
                .body("transactions[0].milestones.outcome", equalTo(List.of("DUPLICATE", "DUPLICATE", "DUPLICATE")));
        String other = X12Samples.interchange("PRFL", "LOGISYNC", "000000501", false, "P",
                List.of(X12Samples.Group.qm("PRFL", List.of(X12Samples.delivery("PRO-PT5X", "BOL-PT5")))));
        x12(PRAIRIE, "application/json", other).statusCode(409)
                .body("type", equalTo("urn:logisync:problem:x12-control-number-reused"));
        String ta1 = x12(PRAIRIE, "application/edi-x12", other).statusCode(400).contentType("application/edi-x12")
                .extract().asString();
        assertThat(ta1).contains("TA1*000000501*261202*1600*R*025~");
    }

    @Test
    void severalGroupsAreAnsweredInOne997WithTheStatusesBesideAnUnknownOneRecorded() {
        dispatchedShipment("SHP-PT6", "BOL-PT6", "Prairie Freight Lines");
        List<String> mixed = List.of("B10*PRO-PT6*BOL-PT6*PRFL", "N1*RD*M ALVAREZ", "LX*1", "AT7*X1*NS***20261202*1400*CT",
                "AT7*ZZ*NS***20261202*1410*CT", "AT7*D1*NS***20261202*1530*CT");
        List<String> departed = List.of("B10*PRO-PT6*BOL-PT6*PRFL", "LX*1", "AT7*CD*NS***20261202*1600*CT");
        String interchange = X12Samples.interchange("PRFL", "LOGISYNC", "000000601", true, "P", List.of(
                X12Samples.Group.qm("PRFL", List.of(mixed)),
                X12Samples.Group.qm("PRFLEAST", List.of(departed)),
                new X12Samples.Group("IN", "PRFL", "004010", List.of(departed))));
        String ack = x12(PRAIRIE, "application/edi-x12", interchange).statusCode(200).contentType("application/edi-x12")
                .extract().asString();
        List<String> segments = ack.lines().map(l -> l.substring(0, l.length() - 1)).toList();
        assertThat(segments.get(0)).startsWith("ISA*00*          *00*          *ZZ*LOGISYNC       *ZZ*PRFL           *")
                .matches(".*\\*U\\*00401\\*\\d{9}\\*0\\*P\\*>");
        // The answer's own control number: LogiSync's sequence for this partner, the same in ISA13, GS06, GE02 and IEA02.
        String isa13 = segments.get(0).split("\\*")[13];
        String gs06 = String.valueOf(Long.parseLong(isa13));
        assertThat(segments).contains("GE*3*" + gs06, "IEA*1*" + isa13);
        assertThat(segments).containsSubsequence("TA1*000000601*261202*1600*A*000", "ST*997*0001", "AK1*IN*4603",
                "AK9*R*0*0*0*1", "SE*4*0001", "ST*997*0002", "AK1*QM*4601", "AK2*214*0001", "AK3*AT7*6**8",
                "AK4*1*1650*7*ZZ", "AK5*E*5", "AK9*E*1*1*1", "ST*997*0003", "AK1*QM*4602", "AK2*214*0001", "AK5*A",
                "AK9*A*1*1*1");
        // The same interchange answered in JSON names the refused group's transaction too.
        x12(PRAIRIE, "application/json", interchange).statusCode(200)
                .body("duplicate", equalTo(true))
                .body("accepted", equalTo(2)).body("rejected", equalTo(1))
                .body("transactions.status", equalTo(List.of("ACCEPTED_WITH_ERRORS", "ACCEPTED", "REJECTED")))
                .body("transactions[2].errors[0]", equalTo("GS01 'IN' is not QM: only shipment status (214) groups are read"));
        List<ConsumerRecord<String, String>> events = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-PT6",
                EventType.MILESTONE_RECORDED.ceType(), 3);
        // PRAIRIE's profile says its signer is the RD party: the D1 carries a verified POD.
        assertThat(events).anySatisfy(r -> assertThat(r.value()).contains("\"milestone\":\"DELIVERED\"")
                .contains("\"signedBy\":\"M ALVAREZ\"").contains("\"verified\":true")
                .contains("\"eventId\":\"X12_214:PRAIRIE:PRO-PT6/D1/202612021530/LX1\""));
    }

    /** An order of ACME whose keys are its own BOL ({@code BOL-<shipmentId>}) and a purchase order it may share. */
    private static void orderWithPo(String shipmentId, String po) {
        com.logisync.contracts.event.OrderReleased o = MilestoneIngestionTest.order(shipmentId, "ORD-" + shipmentId,
                "BOL-" + shipmentId);
        EventPublisher.publish(new com.logisync.contracts.event.OrderReleased(new Correlation(shipmentId,
                "ORD-" + shipmentId, null, null, "CUST-ACME", List.of(
                        new com.logisync.contracts.model.ExternalReference(com.logisync.contracts.model.ReferenceType.BOL,
                                "BOL-" + shipmentId),
                        new com.logisync.contracts.model.ExternalReference(com.logisync.contracts.model.ReferenceType.PO,
                                po))), o.serviceLevel(), o.lines(), o.stops(), o.releasedAt()), null);
    }

    @Test
    void aReportByAPoSplitOverTwoLoadsIsParkedAmbiguousWithTheCandidatesAndAttachedToNeither() {
        for (String shipmentId : List.of("SHP-PT7A", "SHP-PT7B")) {
            orderWithPo(shipmentId, "PO-SPLIT-7");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Long.valueOf(2).equals(PostgresServer.queryValue("logisync",
                "select count(*) from shipment_reference where ref_key = ?", "PO:PO-SPLIT-7")));
        String byPo = """
                {"sourceEventId": "t7-1", "partnerId": "SWIFT", "milestone": "IN_TRANSIT", "eventTime": "2026-12-02T12:00:00Z",
                 "references": {"po": "PO-SPLIT-7"}}""";
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON).body(byPo).post("/api/v1/milestones").then()
                .statusCode(202).body("outcome", equalTo("AMBIGUOUS"))
                .body("candidates", equalTo(List.of("SHP-PT7A", "SHP-PT7B")));
        // The same in a batch; and with the BOL beside the PO, the report names one shipment: recorded there.
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON).body("[" + byPo.replace("t7-1", "t7-2") + ","
                        + byPo.replace("t7-1", "t7-3").replace("\"po\": \"PO-SPLIT-7\"",
                                "\"po\": \"PO-SPLIT-7\", \"bol\": \"BOL-SHP-PT7B\"") + "]")
                .post("/api/v1/milestones/batch").then().statusCode(200)
                .body("items.outcome", equalTo(List.of("AMBIGUOUS", "RECORDED")))
                .body("items[1].shipmentId", equalTo("SHP-PT7B"))
                .body("ambiguous", equalTo(1));
        String ops = TestTokens.token("ops-desk", "ops");
        given().auth().oauth2(ops).get("/api/v1/ops/milestones/parked?status=AMBIGUOUS&limit=1").then().statusCode(200)
                .body("items[0].eventId", equalTo("REST_API:SWIFT:t7-1"))
                .body("items[0].candidates", equalTo(List.of("SHP-PT7A", "SHP-PT7B")))
                .body("items[0].keys", equalTo(List.of("PO:PO-SPLIT-7")))
                .body("nextCursor", org.hamcrest.Matchers.notNullValue());
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from milestone where shipment_id in (?, ?)",
                "SHP-PT7A", "SHP-PT7B")).isEqualTo(1L);
        given().auth().oauth2(SWIFT).get("/api/v1/ops/milestones/parked").then().statusCode(403);
    }

    @Test
    void aBlanketPoListsTwentyCandidatesAndAKeyOfTheReportsOwnStillResolvesBesideIt() {
        String shipmentId = "SHP-PT9A";
        // 24 earlier shipments under the same blanket PO (their orders are not needed to share the key); the order
        // below adds a 25th, and its projection names the first five when it logs the shared key.
        PostgresServer.execute("logisync", "insert into shipment_reference (ref_key, shipment_id) select 'PO:PO-BLANKET-9',"
                + " 'SHP-PT9-' || lpad(i::text, 2, '0') from generate_series(0, 23) i");
        orderWithPo(shipmentId, "PO-BLANKET-9");
        await().atMost(Duration.ofSeconds(20)).until(() -> Long.valueOf(25).equals(PostgresServer.queryValue("logisync",
                "select count(*) from shipment_reference where ref_key = ?", "PO:PO-BLANKET-9")));
        List<String> first20 = java.util.stream.IntStream.range(0, 20).mapToObj("SHP-PT9-%02d"::formatted).toList();
        String byPo = """
                {"sourceEventId": "t9-1", "partnerId": "SWIFT", "milestone": "IN_TRANSIT", "eventTime": "2026-12-02T12:00:00Z",
                 "references": {"po": "PO-BLANKET-9"}}""";
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON).body(byPo).post("/api/v1/milestones").then()
                .statusCode(202).body("outcome", equalTo("AMBIGUOUS")).body("candidates", equalTo(first20));
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON).body("[" + byPo.replace("t9-1", "t9-2") + ","
                        + byPo.replace("t9-1", "t9-3").replace("\"po\": \"PO-BLANKET-9\"",
                                "\"po\": \"PO-BLANKET-9\", \"bol\": \"BOL-SHP-PT9A\"") + "]")
                .post("/api/v1/milestones/batch").then().statusCode(200)
                .body("items.outcome", equalTo(List.of("AMBIGUOUS", "RECORDED")))
                .body("items[0].candidates", equalTo(first20))
                .body("items[1].shipmentId", equalTo(shipmentId));
        assertThat(PostgresServer.queryValue("logisync", "select candidates from parked_milestone where event_id = ?",
                "REST_API:SWIFT:t9-1")).isEqualTo(String.join("|", first20));
    }

    @jakarta.inject.Inject
    com.logisync.milestone.service.ParkingRetention parking;

    @Test
    void parkedReportsThatNeverMatchExpireIntoAnOpsListAndAreDeletedLater() {
        PostgresServer.execute("logisync", "insert into parked_milestone (event_id, ref_keys, request, received_at, status)"
                + " values ('REST_API:SWIFT:exp-old', 'BOL:BOL-NEVER-1', '{}', now() - interval '15 days', 'UNMATCHED'),"
                + " ('REST_API:SWIFT:exp-new', 'BOL:BOL-NEVER-2', '{}', now() - interval '1 day', 'UNMATCHED'),"
                + " ('REST_API:SWIFT:exp-gone', 'BOL:BOL-NEVER-3', '{}', now() - interval '91 days', 'EXPIRED')");
        assertThat(parking.sweep().await().atMost(java.time.Duration.ofSeconds(10))).isGreaterThanOrEqualTo(1);
        assertThat(PostgresServer.queryValue("logisync", "select status from parked_milestone where event_id = ?",
                "REST_API:SWIFT:exp-old")).isEqualTo("EXPIRED");
        assertThat(PostgresServer.queryValue("logisync", "select status from parked_milestone where event_id = ?",
                "REST_API:SWIFT:exp-new")).isEqualTo("UNMATCHED");
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from parked_milestone where event_id = ?",
                "REST_API:SWIFT:exp-gone")).isEqualTo(0L);
        String ops = TestTokens.token("ops-desk", "ops");
        given().auth().oauth2(ops).get("/api/v1/ops/milestones/parked?status=EXPIRED").then().statusCode(200)
                .body("items.eventId", org.hamcrest.Matchers.hasItem("REST_API:SWIFT:exp-old"))
                .body("items.eventId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("REST_API:SWIFT:exp-new")));
        given().auth().oauth2(ops).get("/api/v1/ops/milestones/parked?status=GONE").then().statusCode(400);
    }

    @Test
    void opsSeeTheTradingPartnerProfilesWithoutSecrets() {
        String ops = TestTokens.token("ops-desk", "ops");
        given().auth().oauth2(ops).get("/api/v1/partners/PRAIRIE").then().statusCode(200)
                .body("channels", org.hamcrest.Matchers.containsInAnyOrder("REST", "X12"))
                .body("x12.id", equalTo("PRFL"))
                .body("x12.gsIds", equalTo(List.of("PRFL", "PRFLEAST")))
                .body("x12.allowTest", equalTo(true))
                .body("x12.podSigner", equalTo("N1:RD"))
                .body("carriers", equalTo(List.of("Prairie Freight Lines")))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("webhookFormat")));
        given().auth().oauth2(ops).get("/api/v1/partners/TRUCKSTREAM").then().statusCode(200)
                .body("maxSilence", equalTo("PT6H")).body("webhookFormat", equalTo("TRUCKSTREAM"));
        String all = given().auth().oauth2(ops).get("/api/v1/partners").then().statusCode(200)
                .body("partnerId", hasItem("TRUCKSTREAM")).extract().asString();
        assertThat(all).doesNotContain("local-truckstream-secret").contains("\"webhookFormat\":\"TRUCKSTREAM\"");
        given().auth().oauth2(ops).get("/api/v1/partners/NOBODY").then().statusCode(404);
        // Configured as LOGISYNC_PARTNERS_EASTERN_… (environment variables carry no case): still partner EASTERN.
        given().auth().oauth2(ops).get("/api/v1/partners/EASTERN").then().statusCode(200)
                .body("partnerId", equalTo("EASTERN")).body("carriers", equalTo(List.of("Eastern Freight")));
    }

    @Test
    void theReportingPartnerOrOpsCorrectAMilestoneAndTheStatusIsRecomputed() {
        dispatchedShipment("SHP-PT8", "BOL-PT8", "Swift Haulage");
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON)
                .body("[" + report("t8-x6", "SWIFT", "IN_TRANSIT", "BOL-PT8", false).replace("15:30", "12:00") + ","
                        + report("t8-d1", "SWIFT", "DELIVERED", "BOL-PT8", true) + "]")
                .post("/api/v1/milestones/batch").then().statusCode(200);
        String corrections = "/api/v1/milestones/REST_API:SWIFT:t8-d1/corrections";
        String voidIt = "{\"action\": \"VOID\", \"reason\": \"reported for the wrong load\"}";
        given().auth().oauth2(ROGUE).contentType(ContentType.JSON).body(voidIt).post(corrections).then()
                .statusCode(403).body("type", equalTo("urn:logisync:problem:partner-mismatch"));
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON)
                .body("{\"action\": \"RETIME\", \"reason\": \"no time\"}").post(corrections).then()
                .statusCode(400);
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON).body(voidIt).post(corrections).then()
                .statusCode(201)
                .body("action", equalTo("VOID"))
                .body("correctedBy", equalTo("swift-tms"))
                .body("statusAfter", equalTo("IN_TRANSIT"))
                .body("correctionId", equalTo("REST_API:SWIFT:t8-d1#1"));
        assertThat(PostgresServer.queryValue("logisync", "select status_milestone from shipment_context where shipment_id = ?",
                "SHP-PT8")).isEqualTo("IN_TRANSIT");
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON).body(voidIt).post(corrections).then()
                .statusCode(409).body("type", equalTo("urn:logisync:problem:milestone-voided"));
        List<ConsumerRecord<String, String>> events = KafkaRecords.awaitEvents(Topics.MILESTONES, "SHP-PT8",
                EventType.MILESTONE_CORRECTED.ceType(), 1);
        assertThat(events.get(0).value()).contains("\"correctedEventId\":\"REST_API:SWIFT:t8-d1\"")
                .contains("\"reason\":\"reported for the wrong load\"").contains("\"correctedBy\":\"swift-tms\"");

        // A paper POD for a delivery reported without one: ops only.
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON)
                .body(report("t8-d2", "SWIFT", "DELIVERED", "BOL-PT8", false).replace("15:30", "16:30"))
                .post("/api/v1/milestones").then().statusCode(202);
        String paperPod = "{\"action\": \"RECORD_POD\", \"reason\": \"scanned paper POD\", \"pod\": {\"signedBy\":"
                + " \"J. Doe\", \"signedAt\": \"2026-12-02T16:30:00Z\", \"documentRef\": \"SCAN-8\"}}";
        given().auth().oauth2(SWIFT).contentType(ContentType.JSON).body(paperPod)
                .post("/api/v1/milestones/REST_API:SWIFT:t8-d2/corrections").then().statusCode(403)
                .body("type", equalTo("urn:logisync:problem:ops-only"));
        given().auth().oauth2(TestTokens.token("ops-desk", "ops")).contentType(ContentType.JSON).body(paperPod)
                .post("/api/v1/milestones/REST_API:SWIFT:t8-d2/corrections").then().statusCode(201)
                .body("pod.signedBy", equalTo("J. Doe")).body("pod.verified", equalTo(true))
                .body("correctedBy", equalTo("ops-desk")).body("statusAfter", equalTo("DELIVERED"));
        given().auth().oauth2(TestTokens.token("ops-desk", "ops")).contentType(ContentType.JSON).body(paperPod)
                .post("/api/v1/milestones/REST_API:SWIFT:t8-x6/corrections").then().statusCode(422);
        given().auth().oauth2(TestTokens.token("ops-desk", "ops")).contentType(ContentType.JSON).body(voidIt)
                .post("/api/v1/milestones/REST_API:SWIFT:nope/corrections").then().statusCode(404);
    }
}
