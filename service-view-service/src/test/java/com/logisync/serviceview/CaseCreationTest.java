package com.logisync.serviceview;

import com.logisync.contracts.EventType;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.runtime.messaging.IncomingEvent;
import com.logisync.runtime.repository.SessionSql;
import com.logisync.serviceview.service.ShipmentCaseProjection;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A case is created by the first batch that names its shipment. Two transactions (two replicas' consumers, or a
 * replay beside the live consumer) may both find it missing: the second waits for the first's case and applies
 * its own event to it, neither fails and neither event is lost.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class CaseCreationTest {

    @Inject
    ShipmentCaseProjection projection;

    @Test
    void twoTransactionsThatBothFindTheCaseMissingCreateItOnceAndBothApplyTheirEvents() throws Throwable {
        String s = "SHP-RACE-" + System.nanoTime();
        Instant window = Instant.parse("2026-12-03T18:00:00Z");
        Address addr = new Address("1 Main St", "Houston", "TX", "77002", "US");
        TimeWindow w = new TimeWindow(window.minusSeconds(7200), window);
        OrderReleased order = new OrderReleased(new Correlation(s, "ORD-" + s, null, null, "CUST-RACE", List.of()),
                "LTL_STANDARD", List.of(), List.of(new Stop(1, StopType.PICKUP, "Dallas DC", null, addr, "America/Chicago", w),
                        new Stop(2, StopType.DELIVERY, "Store 17", null, addr, "America/Chicago", w)),
                Instant.parse("2026-12-03T08:00:00Z"));
        var pickedUp = com.logisync.testsupport.Milestones.reported(new Correlation(s, "ORD-" + s, null, null,
                "CUST-RACE", null), s + "-pickup", MilestoneType.DEPARTED_PICKUP, Instant.parse("2026-12-03T11:00:00Z")).build();

        // The first transaction creates the case, then stays open for 1.5 s before it commits.
        long[] committed = new long[2];
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try {
                VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection
                        .applyAll(List.of(new IncomingEvent("race-order-" + s, EventType.ORDER_RELEASED, "test",
                                Instant.now(), order, null)))
                        .chain(() -> SessionSql.select("select pg_sleep(1.5)"))));
                committed[0] = System.nanoTime();
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Long.parseLong(String.valueOf(
                PostgresServer.queryValue("logisync", "select count(*) from pg_stat_activity where query like"
                        + " 'select pg_sleep(1.5)%' and state = 'active'"))) == 1);

        // The second finds no committed case: it waits on the first's, then locks and changes it.
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> projection.applyAll(List.of(
                new IncomingEvent("race-pickup-" + s, EventType.MILESTONE_RECORDED, "test", Instant.now(), pickedUp,
                        null)))));
        committed[1] = System.nanoTime();
        first.get(30, TimeUnit.SECONDS);

        assertThat(committed[1]).as("the second transaction ended after the first committed").isGreaterThan(committed[0]);
        assertThat(PostgresServer.queryValue("logisync", "select count(*) || ' ' || max(customer_id) || ' '"
                + " || max(status_milestone) || ' ' || max(delivery_name) from shipment_case where shipment_id = '" + s + "'"))
                .hasToString("1 CUST-RACE DEPARTED_PICKUP Store 17");
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from case_milestone where shipment_id = '" + s
                + "'")).hasToString("1");
        assertThat(PostgresServer.queryValue("logisync", "select customer_id from case_change where shipment_id = '" + s
                + "'")).hasToString("CUST-RACE");
    }
}
