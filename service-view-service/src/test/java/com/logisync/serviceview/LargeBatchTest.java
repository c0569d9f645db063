package com.logisync.serviceview;

import com.logisync.contracts.EventType;
import com.logisync.contracts.event.CustomerUpdated;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.masterdata.Customer;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.runtime.messaging.IncomingEvent;
import com.logisync.runtime.messaging.RetryBatchException;
import com.logisync.runtime.messaging.TransientFailures;
import com.logisync.serviceview.service.ShipmentCaseProjection;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.Milestones;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The milestones consumer polls up to {@code max.poll.records} events and applies them in one transaction. A
 * partition's backlog holds a few events of each of many shipments; a poll as large as the configured one is
 * applied whole, every case and timeline row right, and applied again (a redelivery after a crash before the
 * offset commit) it changes nothing.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class LargeBatchTest {

    private static final List<MilestoneType> REPORTS = List.of(MilestoneType.ARRIVED_PICKUP,
            MilestoneType.LOADING_COMPLETED, MilestoneType.DEPARTED_PICKUP, MilestoneType.IN_TRANSIT);

    @Inject
    ShipmentCaseProjection projection;

    @ConfigProperty(name = "mp.messaging.incoming.milestones-in.max.poll.records")
    int pollSize;

    @Test
    void aPollAsLargeAsTheConsumersIsAppliedWholeAndItsRedeliveryChangesNothing() throws Throwable {
        assertThat(pollSize).as("the milestones consumer's poll").isGreaterThanOrEqualTo(500);
        int shipments = pollSize / REPORTS.size();
        String run = "LB" + System.nanoTime() + "-";
        String customer = "CUST-" + run;
        Instant window = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        Instant start = Instant.now().minus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Address addr = new Address("1 Main St", "Houston", "TX", "77002", "US");
        TimeWindow w = new TimeWindow(window.minus(Duration.ofHours(2)), window);
        List<IncomingEvent> orders = new ArrayList<>();
        for (int i = 0; i < shipments; i++) {
            String s = run + i;
            OrderReleased order = new OrderReleased(new Correlation(s, "ORD-" + s, null, null, customer, List.of()),
                    "LTL_STANDARD", List.of(), List.of(new Stop(1, StopType.PICKUP, "Dallas DC", null, addr, "America/Chicago", w),
                            new Stop(2, StopType.DELIVERY, "Store " + i, null, addr, "America/Chicago", w)),
                    start.minus(1, ChronoUnit.HOURS));
            orders.add(new IncomingEvent("order-" + s, EventType.ORDER_RELEASED, "test", Instant.now(), order, null));
        }
        try {
            applyThenRedeliver(run, customer, shipments, orders, start);
        } finally {
            // Its cases (500 at the default poll), never dispatched, would fill the first page of the stuck-transactions monitor that
            // ReadModelTest reads: every row of the run goes, from every table keyed by shipment.
            PostgresServer.deleteShipments("logisync", run);
        }
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from shipment_case where shipment_id like '"
                + run + "%'")).hasToString("0");
    }

    /**
     * A poll of delays and late arrivals for shipments of two customers whose thresholds differ (60 and 240 min): each
     * shipment's tasks are derived under its own customer's threshold, though the batch reads the facts of all of
     * them in one statement (under the lower threshold), and the poll redelivered changes no task.
     */
    @Test
    void aPollOfDelaysDerivesEachShipmentsTasksUnderItsOwnCustomersThreshold() throws Throwable {
        int shipments = 100;
        String run = "LT" + System.nanoTime() + "-";
        String strict = "CUST-" + run + "A";
        String lenient = "CUST-" + run + "B";
        // Days ahead of the wall clock (as ProactiveTasksTest's): the task sweep runs every second against the real
        // clock and would raise tasks opened hours ago by age, or find a pickup window missed.
        Instant start = Instant.parse("2037-12-01T08:00:00Z");
        Instant window = Instant.parse("2037-12-02T08:00:00Z");
        Address addr = new Address("1 Main St", "Houston", "TX", "77002", "US");
        TimeWindow w = new TimeWindow(window.minus(Duration.ofHours(2)), window);
        List<IncomingEvent> setup = new ArrayList<>();
        setup.add(customer(strict, 60));
        setup.add(customer(lenient, 240));
        for (int i = 0; i < shipments; i++) {
            setup.add(order(run + i, i % 2 == 0 ? strict : lenient, "Store " + i, addr, w, start));
        }
        List<IncomingEvent> poll = new ArrayList<>();
        for (int i = 0; i < shipments; i++) {
            String s = run + i;
            String customer = i % 2 == 0 ? strict : lenient;
            poll.add(recorded(delayed(s, customer, start)));
            poll.add(recorded(arrivedLate(s, customer, start, w)));
        }
        String tasks = "select string_agg(customer_id || ' ' || reason || ' ' || severity || ' ' || n, ', '"
                + " order by customer_id, reason) from (select customer_id, reason, severity, count(*) as n"
                + " from service_task where shipment_id like '" + run + "%' and status = 'OPEN'"
                + " group by customer_id, reason, severity) t";
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(setup)));
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(poll)));
            // 120 min late: over 60 (twice: MEDIUM), not over 240. Arrived 300 min late: four times 60 (HIGH), over 240.
            String expected = strict + " DELAYED MEDIUM 50, " + strict + " LATE_ARRIVAL HIGH 50, "
                    + lenient + " LATE_ARRIVAL LOW 50";
            assertThat(PostgresServer.queryValue("logisync", tasks)).hasToString(expected);
            String changed = "select max(updated_at)::text || ' ' || count(*) from service_task where shipment_id like '"
                    + run + "%'";
            Object before = PostgresServer.queryValue("logisync", changed);

            redeliver(poll);
            assertThat(PostgresServer.queryValue("logisync", tasks)).hasToString(expected);
            assertThat(PostgresServer.queryValue("logisync", changed)).isEqualTo(before);
        } finally {
            PostgresServer.deleteShipments("logisync", run);
        }
    }

    /**
     * A delay and a late arrival voided by corrections in the same poll that reported them open no task: the batch's
     * task facts are read with plain SQL at its end, after what the corrections changed in the timeline is written.
     */
    @Test
    void reportsVoidedInTheSamePollOpenNoTask() throws Throwable {
        String run = "LV" + System.nanoTime() + "-";
        String customer = "CUST-" + run;
        Instant start = Instant.parse("2037-12-01T08:00:00Z");
        Instant window = Instant.parse("2037-12-02T08:00:00Z");
        Address addr = new Address("1 Main St", "Houston", "TX", "77002", "US");
        TimeWindow w = new TimeWindow(window.minus(Duration.ofHours(2)), window);
        List<IncomingEvent> setup = new ArrayList<>();
        setup.add(customer(customer, 60));
        List<IncomingEvent> poll = new ArrayList<>();
        List<IncomingEvent> corrections = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String s = run + i;
            setup.add(order(s, customer, "Store " + i, addr, w, start));
            var delayed = delayed(s, customer, start);
            var arrived = arrivedLate(s, customer, start, w);
            poll.add(recorded(delayed));
            poll.add(recorded(arrived));
            // Shipment 0: both reports voided; shipment 1: its delay only; shipment 2: neither.
            if (i == 0) {
                corrections.add(voided(s, customer, delayed.eventId(), MilestoneType.DELAYED, start));
                corrections.add(voided(s, customer, arrived.eventId(), MilestoneType.ARRIVED_DELIVERY, start));
            } else if (i == 1) {
                corrections.add(voided(s, customer, delayed.eventId(), MilestoneType.DELAYED, start));
            }
        }
        poll.addAll(corrections);
        String tasks = "select string_agg(shipment_id || ' ' || reason, ', ' order by shipment_id, reason)"
                + " from service_task where shipment_id like '" + run + "%' and status = 'OPEN'";
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(setup)));
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(poll)));
            assertThat(PostgresServer.queryValue("logisync", tasks)).hasToString(run + "1 LATE_ARRIVAL, " + run
                    + "2 DELAYED, " + run + "2 LATE_ARRIVAL");
            assertThat(PostgresServer.queryValue("logisync", "select count(*) from case_milestone where shipment_id like '"
                    + run + "%' and voided")).isEqualTo(3L);
        } finally {
            PostgresServer.deleteShipments("logisync", run);
        }
    }

    /**
     * A delay reported again and again (a telematics feed's every few minutes): the task keeps the earliest report as
     * its opening, the latest one's reason in its detail, and the largest delay, however many reports the shipment has;
     * a correction voiding the latest gives the detail back to the one before it. The facts are read as the earliest and
     * the latest of each group alike for the rule (V17): a group's middle reports change nothing, its ends do.
     */
    @Test
    void aDelayReportedAgainAndAgainKeepsItsFirstOpeningAndItsLatestReason() throws Throwable {
        String run = "LR" + System.nanoTime() + "-";
        String customer = "CUST-" + run;
        String s = run + "0";
        Instant start = Instant.parse("2037-12-01T08:00:00Z");
        Instant window = Instant.parse("2037-12-03T08:00:00Z");
        Address addr = new Address("1 Main St", "Houston", "TX", "77002", "US");
        TimeWindow w = new TimeWindow(window.minus(Duration.ofHours(2)), window);
        List<IncomingEvent> setup = List.of(customer(customer, 60), order(s, customer, "Store 0", addr, w, start));
        // One reason code throughout (one group for the rule), each report its own words.
        List<IncomingEvent> first = List.of(delay(s, customer, "d-first", start.plus(1, ChronoUnit.HOURS), "ice on I-45"));
        List<IncomingEvent> many = new ArrayList<>();
        for (int i = 0; i < 39; i++) {
            many.add(delay(s, customer, "d-" + i, start.plus(2, ChronoUnit.HOURS).plus(i, ChronoUnit.MINUTES),
                    "ice on I-45, report " + i));
        }
        IncomingEvent latest = delay(s, customer, "d-latest", start.plus(5, ChronoUnit.HOURS), "whiteout near Huntsville");
        many.add(latest);
        many.add(delay(s, customer, "d-earliest", start.plus(30, ChronoUnit.MINUTES), "ice on I-45, first report"));
        String task = "select severity || ' ' || delay_minutes || ' ' || opened_at::text || ' ' || updated_at::text"
                + " from service_task where shipment_id = '" + s + "' and reason = 'DELAYED' and status = 'OPEN'";
        String detail = "select detail from service_task where shipment_id = '" + s + "' and reason = 'DELAYED'";
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(setup)));
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(first)));
            assertThat(PostgresServer.queryValue("logisync", task))
                    .hasToString("MEDIUM 120 2037-12-01 09:00:00+00 2037-12-01 09:00:00+00");
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(many)));
            // Opened by the earliest report, updated by the latest, whose reason the detail gives.
            assertThat(PostgresServer.queryValue("logisync", task))
                    .hasToString("MEDIUM 120 2037-12-01 08:30:00+00 2037-12-01 13:00:00+00");
            assertThat(String.valueOf(PostgresServer.queryValue("logisync", detail)))
                    .startsWith("carrier reported a delay: WEATHER (X12-1651 AO) whiteout near Huntsville;")
                    .endsWith("120 min late (threshold 60 min)");
            // The latest voided: the detail is the one before it's (report 38, at 10:38), the times stay.
            IncomingEvent correction = voided(s, customer,
                    ((com.logisync.contracts.event.MilestoneRecorded) latest.payload()).eventId(), MilestoneType.DELAYED,
                    start.plus(4, ChronoUnit.HOURS));
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(
                    List.of(correction))));
            assertThat(PostgresServer.queryValue("logisync", task))
                    .hasToString("MEDIUM 120 2037-12-01 08:30:00+00 2037-12-01 13:00:00+00");
            assertThat(String.valueOf(PostgresServer.queryValue("logisync", detail)))
                    .startsWith("carrier reported a delay: WEATHER (X12-1651 AO) ice on I-45, report 38;");
            assertThat(PostgresServer.queryValue("logisync", "select count(*) from case_milestone where shipment_id = '"
                    + s + "'")).isEqualTo(42L);
        } finally {
            PostgresServer.deleteShipments("logisync", run);
        }
    }

    private static IncomingEvent delay(String shipmentId, String customer, String id, Instant at, String words) {
        return recorded(Milestones.reported(Milestones.correlation(shipmentId, customer), shipmentId + "-" + id,
                MilestoneType.DELAYED, at).reason(new com.logisync.contracts.milestone.Reason("WEATHER", "AO", "X12-1651",
                        words)).enrichment(new Enrichment(customer, null, null, 120, true)).build());
    }

    /** The carrier's delay report at {@code start}, 120 min late. */
    private static com.logisync.contracts.event.MilestoneRecorded delayed(String s, String customer, Instant start) {
        return Milestones.reported(Milestones.correlation(s, customer), s + "-delay", MilestoneType.DELAYED, start)
                .enrichment(new Enrichment(customer, null, null, 120, true)).build();
    }

    /** The arrival at the delivery stop an hour after {@code start}, 300 min past its window. */
    private static com.logisync.contracts.event.MilestoneRecorded arrivedLate(String s, String customer, Instant start,
            TimeWindow w) {
        return Milestones.reported(Milestones.correlation(s, customer), s + "-arrival", MilestoneType.ARRIVED_DELIVERY,
                start.plus(1, ChronoUnit.HOURS)).enrichment(new Enrichment(customer, 2, w, 300, true)).build();
    }

    /** The report as the milestones consumer receives it, under the id {@code m-<source event id>}. */
    private static IncomingEvent recorded(com.logisync.contracts.event.MilestoneRecorded m) {
        return new IncomingEvent("m-" + m.source().sourceEventId(), EventType.MILESTONE_RECORDED, "test", Instant.now(), m,
                null);
    }

    /** The customer, with its delay threshold, as master data tells it. */
    private static IncomingEvent customer(String customer, int thresholdMinutes) {
        return new IncomingEvent("customer-" + customer, EventType.CUSTOMER_UPDATED, "test", Instant.now(),
                new CustomerUpdated(new Customer(customer, customer + " Inc", Customer.AccountStatus.ACTIVE, false,
                        "America/Chicago", new Customer.ServicePreferences(thresholdMinutes, List.of()), 1)), null);
    }

    /** The shipment's order, released an hour before {@code start}: a pickup in Dallas, a delivery at {@code store}. */
    private static IncomingEvent order(String s, String customer, String store, Address addr, TimeWindow w, Instant start) {
        return new IncomingEvent("order-" + s, EventType.ORDER_RELEASED, "test", Instant.now(), new OrderReleased(
                new Correlation(s, "ORD-" + s, null, null, customer, List.of()), "LTL_STANDARD", List.of(),
                List.of(new Stop(1, StopType.PICKUP, "Dallas DC", null, addr, "America/Chicago", w),
                        new Stop(2, StopType.DELIVERY, store, null, addr, "America/Chicago", w)),
                start.minus(1, ChronoUnit.HOURS)), null);
    }

    private static IncomingEvent voided(String shipmentId, String customer, String eventId, MilestoneType milestone,
            Instant at) {
        var correction = new com.logisync.contracts.event.MilestoneCorrected(Milestones.correlation(shipmentId,
                customer), eventId + "#1", eventId, milestone,
                com.logisync.contracts.event.MilestoneCorrected.Action.VOID, "reported for the wrong load", "ops-desk",
                null, null, at.plus(2, ChronoUnit.HOURS), MilestoneType.IN_TRANSIT, at.minus(1, ChronoUnit.HOURS));
        return new IncomingEvent("c-" + eventId, EventType.MILESTONE_CORRECTED, "test", Instant.now(), correction, null);
    }

    /**
     * A poll applied again as the consumer applies a redelivery: its first attempt meets the timeline's rows and
     * applies nothing ({@link RetryBatchException}, transient), unless a conflict met earlier still has the timeline
     * written with on conflict; then the retry.
     */
    private void redeliver(List<IncomingEvent> poll) throws Throwable {
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(poll)));
        } catch (RetryBatchException conflict) {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(poll)));
        }
    }

    private void applyThenRedeliver(String run, String customer, int shipments, List<IncomingEvent> orders, Instant start)
            throws Throwable {
        // The timeline written as live, without on conflict, whatever an earlier test's redelivery left.
        projection.checkConflictsUntil(Instant.EPOCH);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(orders)));
        // One poll of the milestones topic: the reports round the shipments, as a partition's backlog holds them.
        List<IncomingEvent> batch = new ArrayList<>();
        for (int r = 0; r < REPORTS.size(); r++) {
            for (int i = 0; i < shipments; i++) {
                String s = run + i;
                var m = Milestones.reported(Milestones.correlation(s, customer), s + "-" + r, REPORTS.get(r),
                        start.plus(r, ChronoUnit.HOURS)).build();
                batch.add(recorded(m));
            }
        }
        assertThat(batch).hasSize(pollSize);

        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(batch)));

        String cases = "select count(*) || ' ' || count(*) filter (where status_milestone = 'IN_TRANSIT'"
                + " and customer_id = '" + customer + "' and delivery_name like 'Store %') from shipment_case"
                + " where shipment_id like '" + run + "%'";
        String timeline = "select count(*) || ' ' || count(distinct shipment_id) from case_milestone"
                + " where shipment_id like '" + run + "%'";
        String feed = "select count(*) from customer_event where customer_id = '" + customer + "'";
        assertThat(PostgresServer.queryValue("logisync", cases)).hasToString(shipments + " " + shipments);
        assertThat(PostgresServer.queryValue("logisync", timeline)).hasToString(shipments * REPORTS.size() + " " + shipments);
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from case_change where customer_id = '"
                + customer + "'")).hasToString(Integer.toString(shipments));
        assertThat(PostgresServer.queryValue("logisync", "select count(distinct shipment_id) from customer_event"
                + " where customer_id = '" + customer + "' and event_type = 'shipment.in_transit'"))
                .hasToString(Integer.toString(shipments));
        String events = String.valueOf(PostgresServer.queryValue("logisync", feed));
        // The feed tells the poll's events in the order applied: its sequence follows the batch (the insert takes the
        // rows as unnested, with no sort of its own).
        String told = "select string_agg(event_id, ',' order by feed_xid, feed_seq) from customer_event where customer_id = '"
                + customer + "'";
        assertThat(PostgresServer.queryValue("logisync", told)).hasToString(String.join(",",
                batch.stream().map(e -> ((com.logisync.contracts.event.MilestoneRecorded) e.payload()).eventId()).toList()));

        assertThat(projection.conflictsCheckedUntil()).as("no conflict met yet").isBefore(Instant.now());

        // Redelivered whole: the first attempt meets the timeline's rows and its transaction applies nothing; the
        // consumer's retry (a transient failure) writes the timeline with on conflict, for ten minutes.
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> projection.applyAll(batch)))).isInstanceOf(RetryBatchException.class)
                .satisfies(e -> assertThat(TransientFailures.isTransient(e)).isTrue());
        assertThat(projection.conflictsCheckedUntil()).isAfter(Instant.now().plus(9, ChronoUnit.MINUTES));
        assertThat(PostgresServer.queryValue("logisync", feed)).hasToString(events);
        // The retry: the same cases, no second timeline row, no second customer event.
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(batch)));
        assertThat(PostgresServer.queryValue("logisync", cases)).hasToString(shipments + " " + shipments);
        assertThat(PostgresServer.queryValue("logisync", timeline)).hasToString(shipments * REPORTS.size() + " " + shipments);
        assertThat(PostgresServer.queryValue("logisync", feed)).hasToString(events);
    }
}
