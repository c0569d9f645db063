package com.logisync.milestone;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.EventType;
import com.logisync.contracts.LogiSyncEvent;
import com.logisync.contracts.Topics;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.milestone.service.OrderContextProjection;
import com.logisync.runtime.messaging.IdempotentConsumer;
import com.logisync.runtime.vertx.SafeContext;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * milestone-service learns each shipment's order context from the orders topic a polled batch at a time, in one
 * transaction: the contexts created and locked, the keys locked and registered, each event applied in order, the
 * reports parked under the batch's keys released. Applied again (a redelivery), the batch changes nothing.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@TestSecurity(user = "SWIFT", roles = {"erp", "carrier", "billing-clerk", "service-agent", "ops"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class OrderContextBatchTest {

    @Inject
    IdempotentConsumer consumer;
    @Inject
    OrderContextProjection projection;
    @Inject
    ObjectMapper mapper;
    @Inject
    Vertx vertx;

    @Test
    void aBatchOfOrdersIsOneTransactionThatRegistersEveryKeyReleasesWhatWasParkedAndChangesNothingTheSecondTime()
            throws Exception {
        String run = "OCB" + System.nanoTime() + "-";
        // A report for a shipment milestone-service does not know yet: parked under the order's BOL.
        given().contentType(ContentType.JSON).body(MilestoneIngestionTest.delivered(run + "ev", "bol", "BOL-" + run + "7",
                        "2026-12-02T16:00:00Z"))
                .post("/api/v1/milestones").then().statusCode(202).body("outcome", equalTo("PARKED"));

        // One poll: 300 orders, the dispatch of the 7th right after its order, and a PO shared by the first two.
        List<ConsumerRecord<String, String>> poll = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String s = run + i;
            var order = MilestoneIngestionTest.order(s, "ORD-" + s, "BOL-" + s);
            if (i < 2) {
                order = new com.logisync.contracts.event.OrderReleased(new Correlation(s, "ORD-" + s, null, null,
                        "CUST-ACME", List.of(new ExternalReference(ReferenceType.BOL, "BOL-" + s),
                                new ExternalReference(ReferenceType.PO, "PO-" + run))),
                        order.serviceLevel(), order.lines(), order.stops(), order.releasedAt());
            }
            poll.add(record(poll.size(), s, "order-" + s, order));
            if (i == 7) {
                poll.add(record(poll.size(), s, "dispatch-" + s, new DispatchAccepted(new Correlation(s, "ORD-" + s,
                        "LD-" + s, null, "CUST-ACME", null), new DispatchReference("LD-" + s, "RT-1", "Swift", "D. Ortiz",
                        "TRK-" + run, null, null, "REST_TMS"), Instant.parse("2026-12-01T12:00:00Z"))));
            }
        }

        run(poll);

        String contexts = "select count(*) || ' ' || count(*) filter (where order_id = 'ORD-' || shipment_id"
                + " and customer_id = 'CUST-ACME' and delivery_window_end = '2026-12-02T18:00:00Z')"
                + " || ' ' || count(load_id) || ' ' || count(carrier) from shipment_context where shipment_id like '" + run + "%'";
        assertThat(PostgresServer.queryValue("logisync", contexts)).hasToString("300 300 1 1");
        // Every key of every event: shipment, order and BOL of each, the load of the dispatched one, the shared PO twice.
        String keys = "select count(*) || ' ' || count(*) filter (where ref_key = 'PO:PO-" + run + "')"
                + " from shipment_reference where shipment_id like '" + run + "%'";
        assertThat(PostgresServer.queryValue("logisync", keys)).hasToString((300 * 3 + 1 + 2) + " 2");
        assertThat(PostgresServer.queryValue("logisync", "select shipment_id from shipment_reference"
                + " where ref_key = 'LOAD:LD-" + run + "7'")).isEqualTo(run + "7");
        assertThat(PostgresServer.queryValue("logisync", "select vehicle_id from vehicle_assignment where shipment_id = '"
                + run + "7'")).isEqualTo("TRK-" + run);
        // The parked report was recorded for its shipment, with the order's context, and left the parking.
        assertThat(PostgresServer.queryValue("logisync", "select shipment_id from milestone where event_id = ?",
                "REST_API:SWIFT:" + run + "ev")).isEqualTo(run + "7");
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from parked_milestone where event_id = ?",
                "REST_API:SWIFT:" + run + "ev")).hasToString("0");
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from processed_event where event_id like '%-"
                + run + "%'")).hasToString("301");

        // Delivered again whole: no context or key written, nothing recorded twice.
        String versions = "select sum(xmin::text::bigint) from shipment_context where shipment_id like '" + run + "%'";
        Object before = PostgresServer.queryValue("logisync", versions);
        run(poll);
        assertThat(PostgresServer.queryValue("logisync", versions)).isEqualTo(before);
        assertThat(PostgresServer.queryValue("logisync", keys)).hasToString((300 * 3 + 1 + 2) + " 2");
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from milestone where shipment_id like '"
                + run + "%'")).hasToString("1");
    }

    private void run(List<ConsumerRecord<String, String>> records) {
        SafeContext.run(vertx, () -> consumer.applyBatch(records, projection::applyAll)).await().atMost(Duration.ofSeconds(60));
    }

    /** The record as the channel hands it over: the event's JSON as the services write it, in a binary CloudEvent. */
    private ConsumerRecord<String, String> record(long offset, String key, String id, LogiSyncEvent event) throws Exception {
        return KafkaRecords.consumed(Topics.ORDERS, offset, key, id, EventType.of(event).ceType(), mapper.writeValueAsString(event));
    }
}
