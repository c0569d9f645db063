package com.logisync.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.billing.service.BillingCaseService;
import com.logisync.contracts.EventType;
import com.logisync.contracts.LogiSyncEvent;
import com.logisync.contracts.Topics;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.model.Correlation;
import com.logisync.runtime.messaging.IdempotentConsumer;
import com.logisync.runtime.vertx.SafeContext;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.Milestones;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The milestones consumer polls up to {@code max.poll.records} events and applies them in one transaction, its
 * ledger rows with them (for the events whose redelivery would change something). A partition's backlog holds a few
 * events of each of many shipments: a poll as large as the configured one, read from the records' text as the
 * channel hands them over, is applied whole (every case created
 * or found, locked and written once, evaluated once after its last event of the batch), and the same poll delivered
 * again (a crash before the offset commit) changes nothing.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ErpStandIn.class)
class LargeBatchTest {

    /** Three reports that change nothing billing holds, then the delivery (without its POD: nothing is invoiced). */
    private static final List<MilestoneType> REPORTS = List.of(MilestoneType.IN_TRANSIT, MilestoneType.ARRIVED_TERMINAL,
            MilestoneType.OUT_FOR_DELIVERY, MilestoneType.DELIVERED);
    private static final Instant DELIVERED_AT = Instant.parse("2026-12-03T15:45:00Z");

    @Inject
    IdempotentConsumer consumer;
    @Inject
    BillingCaseService cases;
    @Inject
    ObjectMapper mapper;
    @Inject
    Vertx vertx;

    @ConfigProperty(name = "mp.messaging.incoming.milestones-in.max.poll.records")
    int pollSize;

    @Test
    void aPollAsLargeAsTheConsumersIsAppliedWholeAndItsRedeliveryChangesNothing() throws Exception {
        assertThat(pollSize).as("the milestones consumer's poll").isGreaterThanOrEqualTo(500);
        int shipments = pollSize / REPORTS.size();
        String run = "LBB" + System.nanoTime() + "-";
        // Half the shipments have their order already; the other half are first seen in the poll.
        List<ConsumerRecord<String, String>> orders = new ArrayList<>();
        for (int i = 0; i < shipments; i += 2) {
            String s = run + i;
            orders.add(record(Topics.ORDERS, orders.size(), s, "order-" + s, new OrderReleased(new Correlation(s,
                    "ORD-" + s, null, null, "CUST-ACME", null), "LTL_STANDARD", List.of(), List.of(),
                    Instant.parse("2026-12-01T10:00:00Z"))));
        }
        try {
            applyThenRedeliver(run, shipments, orders);
        } finally {
            // Its open cases would be in the clerks' worklist other tests read: every row of the run goes, from every
            // table keyed by shipment.
            PostgresServer.deleteShipments("logisync", run);
        }
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from billing_case where shipment_id like '"
                + run + "%'")).hasToString("0");
    }

    /**
     * Arrivals, departures and corrections of many shipments in one poll, as a partition's backlog holds them: each
     * stop's detention is priced from the contract inside the batch (the charges read without flushing the batch's
     * session first, StopDetention#recompute), created once, and changed again by a later correction of the same poll.
     */
    @Test
    void aPollOfArrivalsDeparturesAndCorrectionsPricesEveryStopsDetentionOnce() throws Exception {
        BillingDecisionsTest.seedAcmeContract();
        int shipments = pollSize / 5 * 2; // two reports each, and a correction for every other one
        String run = "LBD" + System.nanoTime() + "-";
        List<ConsumerRecord<String, String>> orders = new ArrayList<>();
        List<ConsumerRecord<String, String>> poll = new ArrayList<>();
        for (int i = 0; i < shipments; i++) {
            String s = run + i;
            orders.add(record(Topics.ORDERS, i, s, "order-" + s, BillingDecisionsTest.orderWithAppointments(s)));
        }
        // Every arrival (two hours early: 12:00 for 14:00), then every departure (17:30: 90 billable minutes), then the
        // corrections of every other departure to 20:01 (241 minutes: capped at 340.00).
        for (int i = 0; i < shipments; i++) {
            String s = run + i;
            poll.add(record(Topics.MILESTONES, poll.size(), s, "arr-" + s, Milestones.reported(Milestones.correlation(s,
                    "CUST-ACME"), "arr-" + s, MilestoneType.ARRIVED_DELIVERY, Instant.parse("2026-12-02T12:00:00Z")).build()));
        }
        for (int i = 0; i < shipments; i++) {
            String s = run + i;
            poll.add(record(Topics.MILESTONES, poll.size(), s, "dep-" + s, Milestones.reported(Milestones.correlation(s,
                    "CUST-ACME"), "dep-" + s, MilestoneType.DEPARTED_DELIVERY, Instant.parse("2026-12-02T17:30:00Z")).build()));
        }
        for (int i = 0; i < shipments; i += 2) {
            String s = run + i;
            poll.add(record(Topics.MILESTONES, poll.size(), s, "cor-" + s, BillingDecisionsTest.retimed(s, "dep-" + s,
                    MilestoneType.DEPARTED_DELIVERY, Instant.parse("2026-12-02T20:01:00Z"))));
        }
        assertThat(poll).hasSize(pollSize);
        try {
            run(orders);
            run(poll);
            String charges = "select count(*) || ' ' || count(distinct shipment_id)"
                    + " || ' ' || count(*) filter (where quantity = 90 and reason = 'detention 2 started hour(s) at 85.00 = 170.00')"
                    + " || ' ' || count(*) filter (where quantity = 241 and reason = 'detention 5 started hour(s) at 85.00 ="
                    + " 340.00, capped at the contract''s 340.00 per stop')"
                    + " || ' ' || count(*) filter (where status = 'APPROVED' and decided_by = 'AUTO'"
                    + " and accessorial_id = 'DETENTION:' || shipment_id || ':2')"
                    + " from billing_accessorial where shipment_id like '" + run + "%'";
            String priced = String.valueOf(PostgresServer.queryValue("logisync", charges));
            assertThat(priced).isEqualTo(shipments + " " + shipments + " " + shipments / 2 + " " + shipments / 2 + " "
                    + shipments);
            // Ledger rows for the corrections only: an arrival or departure is recognised by its own report row.
            String ledger = "select count(*) filter (where event_id like 'cor-%') || ' ' || count(*)"
                    + " from processed_event where event_id like any (array['arr-" + run + "%', 'dep-" + run + "%',"
                    + " 'cor-" + run + "%'])";
            assertThat(PostgresServer.queryValue("logisync", ledger)).hasToString(shipments / 2 + " " + shipments / 2);
            String reports = "select count(*) || ' ' || md5(string_agg(event_id || at || xmin, ',' order by event_id))"
                    + " from billing_stop_event where shipment_id like '" + run + "%'";
            String recorded = String.valueOf(PostgresServer.queryValue("logisync", reports));
            assertThat(recorded).startsWith(2 * shipments + " ");
            String snapshots = "select count(*) from outbox_event where ce_type = '"
                    + EventType.BILLING_CASE_UPDATED.ceType() + "' and partition_key like '" + run + "%'";
            Object published = PostgresServer.queryValue("logisync", snapshots);
            // The same poll again (a crash before the offset commit): the reports applied again find their rows, the
            // corrections are skipped by their ledger rows; nothing is charged twice or changed, no report row is
            // written again (the re-timed departures keep their corrected time), no snapshot is published again.
            run(poll);
            assertThat(PostgresServer.queryValue("logisync", charges)).hasToString(priced);
            assertThat(PostgresServer.queryValue("logisync", ledger)).hasToString(shipments / 2 + " " + shipments / 2);
            assertThat(PostgresServer.queryValue("logisync", reports)).hasToString(recorded);
            assertThat(PostgresServer.queryValue("logisync", snapshots)).isEqualTo(published);
        } finally {
            PostgresServer.deleteShipments("logisync", run);
        }
    }

    private void applyThenRedeliver(String run, int shipments, List<ConsumerRecord<String, String>> orders)
            throws Exception {
        run(orders);
        // One poll of the milestones topic: the reports round the shipments, as a partition's backlog holds them.
        List<ConsumerRecord<String, String>> poll = new ArrayList<>();
        for (int r = 0; r < REPORTS.size(); r++) {
            for (int i = 0; i < shipments; i++) {
                String s = run + i;
                var m = Milestones.reported(Milestones.correlation(s, "CUST-ACME"), s + "-" + r, REPORTS.get(r),
                        DELIVERED_AT.minus(REPORTS.size() - 1 - r, ChronoUnit.HOURS)).build();
                poll.add(record(Topics.MILESTONES, poll.size(), s, "m-" + s + "-" + r, m));
            }
        }
        assertThat(poll).hasSize(pollSize);

        run(poll);

        String state = "select count(*) || ' ' || count(*) filter (where status = 'OPEN' and customer_id = 'CUST-ACME'"
                + " and delivered_at = '" + DELIVERED_AT + "' and pod_signed_by is null and load_id = 'LD-' || shipment_id) || ' '"
                + " || count(*) filter (where case_version = 2) || ' ' || sum(case_version)"
                // and which transaction last wrote each row: a case rewritten unchanged would show here
                + " || ' ' || md5(string_agg(xmin::text, ',' order by shipment_id))"
                + " from billing_case where shipment_id like '" + run + "%'";
        // Each case created once, every event's effect in it (the load learnt from the reports' correlation), and
        // written once for the whole poll: a second version for the cases whose order came first, a first for the rest.
        int ordered = (shipments + 1) / 2;
        String applied = String.valueOf(PostgresServer.queryValue("logisync", state));
        assertThat(applied).startsWith(shipments + " " + shipments + " " + ordered + " ");
        // Ledger rows for the deliveries only: the three inert reports of each shipment change nothing when applied
        // again (BillingCaseService#needsLedger), so they cost none.
        String ledger = "select count(*) || ' ' || count(*) filter (where event_id like '%-3')"
                + " from processed_event where event_id like 'm-" + run + "%'";
        assertThat(PostgresServer.queryValue("logisync", ledger)).hasToString(shipments + " " + shipments);
        // The agent's snapshot once per case for the poll, after its delivery: not once per event.
        String snapshots = "select count(*) || ' ' || count(distinct partition_key) from outbox_event where ce_type = '"
                + EventType.BILLING_CASE_UPDATED.ceType() + "' and partition_key like '" + run + "%'";
        String published = String.valueOf(PostgresServer.queryValue("logisync", snapshots));
        assertThat(published).isEqualTo((shipments + ordered) + " " + shipments);
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from outbox_event where payload like"
                + " '%{\"rule\":\"DELIVERED\",\"met\":true,\"detail\":\"delivered at " + DELIVERED_AT + "\"}%'"
                + " and payload like '%\"eligible\":false%' and partition_key like '" + run + "%'"))
                .hasToString(Integer.toString(shipments));

        // Delivered again whole: the deliveries skipped by their ledger rows, the inert reports applied again and
        // changing nothing: no case written, no ledger row, no event.
        run(poll);
        assertThat(PostgresServer.queryValue("logisync", state)).hasToString(applied);
        assertThat(PostgresServer.queryValue("logisync", ledger)).hasToString(shipments + " " + shipments);
        assertThat(PostgresServer.queryValue("logisync", snapshots)).hasToString(published);
    }

    private void run(List<ConsumerRecord<String, String>> records) {
        // As the consumer applies a poll (ShipmentEventsConsumer).
        SafeContext.run(vertx, () -> consumer.applyBatch(records, cases::applyAll, true, BillingCaseService::needsLedger))
                .await().atMost(Duration.ofSeconds(120));
    }

    /** The record as the channel hands it over: the event's JSON as the services write it, in a binary CloudEvent. */
    private ConsumerRecord<String, String> record(String topic, long offset, String key, String id, LogiSyncEvent event)
            throws Exception {
        return KafkaRecords.consumed(topic, offset, key, id, EventType.of(event).ceType(), mapper.writeValueAsString(event));
    }
}
