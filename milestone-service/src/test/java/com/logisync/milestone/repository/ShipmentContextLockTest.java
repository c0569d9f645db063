package com.logisync.milestone.repository;

import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.milestone.model.ShipmentContext;
import com.logisync.runtime.repository.SessionSql;
import com.logisync.runtime.vertx.SafeContext;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch path's lock of many shipment contexts ({@link ShipmentContextRepository#lockAll}, a plain statement)
 * reads every column as the entity mapping reads it, gives the contexts in shipment id order, and holds each
 * row's lock for the transaction.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ShipmentContextLockTest {

    @Inject
    ShipmentContextRepository contexts;
    @Inject
    Vertx vertx;

    @Test
    void everyColumnIsReadAsTheEntityReadsItInShipmentIdOrderAndEachRowIsLocked() throws Exception {
        PostgresServer.execute("logisync", "delete from shipment_context where shipment_id like 'SHP-LK%'");
        PostgresServer.execute("logisync", "insert into shipment_context (shipment_id, order_id, load_id, customer_id,"
                + " pickup_window_start, pickup_window_end, pickup_zone, delivery_window_start, delivery_window_end,"
                + " delivery_zone, delivery_stop_sequence, carrier, traceparent, status_milestone, status_event_time,"
                + " order_amendment, updated_at) values"
                + " ('SHP-LK2', 'ORD-LK2', 'LD-LK2', 'ACME', '2026-12-04 08:00:00.123456+00', '2026-12-04 10:00:00+00',"
                + " 'America/Chicago', '2026-12-05 14:00:00+00', '2026-12-05 16:30:00+00', 'America/Denver', 3, 'SWIFT',"
                + " '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'ARRIVED_DELIVERY',"
                + " '2026-12-05 14:05:00+00', 2, '2026-12-05 14:06:00+00'),"
                + " ('SHP-LK1', null, null, null, null, null, null, null, null, null, null, null, null, null, null, 0,"
                + " '2026-12-04 07:00:00+00'),"
                + " ('SHP-LK3', 'ORD-LK3', null, 'ACME', null, null, null, '2026-12-06 14:00:00+00', null, null, 1, null,"
                + " null, 'IN_TRANSIT', '2026-12-04 09:00:00.5+00', 0, '2026-12-04 09:00:01+00')");

        List<ShipmentContext> locked = new ArrayList<>();
        List<ShipmentContext> entities = new ArrayList<>();
        List<Object[]> ownLocks = new ArrayList<>();
        List<Object[]> settings = new ArrayList<>();
        SafeContext.run(vertx, () -> Panache.withTransaction(() -> contexts.lockAll(List.of("SHP-LK3", "SHP-LK1",
                        "SHP-LK2", "SHP-LK-none"))
                .invoke(l -> locked.addAll(l.contexts()))
                // Rows this transaction holds a lock on carry its transaction id as their xmax.
                .chain(() -> SessionSql.select("select shipment_id from shipment_context where shipment_id like 'SHP-LK%'"
                        + " and xmax::text::bigint = txid_current() % 4294967296 order by shipment_id"))
                .invoke(ownLocks::addAll)
                // Looked up by index scans, for this transaction only (ShipmentContextRepository#INDEX_PER_KEY).
                .chain(() -> SessionSql.select("select current_setting('enable_bitmapscan')")).invoke(settings::addAll)
                .chain(() -> contexts.findById("SHP-LK1")).invoke(entities::add)
                .chain(() -> contexts.findById("SHP-LK2")).invoke(entities::add)
                .chain(() -> contexts.findById("SHP-LK3")).invoke(entities::add)
                .chain(() -> Uni.createFrom().voidItem())))
                .await().atMost(Duration.ofSeconds(30));

        assertThat(locked).extracting(c -> c.shipmentId).containsExactly("SHP-LK1", "SHP-LK2", "SHP-LK3");
        assertThat(ownLocks).extracting(r -> r[0]).containsExactly("SHP-LK1", "SHP-LK2", "SHP-LK3");
        assertThat(settings).extracting(r -> r[0]).containsExactly("off");
        assertThat(SafeContext.run(vertx, () -> Panache.withTransaction(() -> SessionSql.select(
                "select current_setting('enable_bitmapscan')"))).await().atMost(Duration.ofSeconds(30)))
                .extracting(r -> r[0]).containsExactly("on");
        int compared = 0;
        for (int i = 0; i < 3; i++) {
            for (Field f : ShipmentContext.class.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || f.getName().startsWith("$$")) {
                    continue; // what Hibernate's enhancement adds
                }
                f.setAccessible(true); // the build makes an entity's public fields protected, behind accessors
                assertThat(f.get(locked.get(i))).as("%s of %s", f.getName(), locked.get(i).shipmentId)
                        .isEqualTo(f.get(entities.get(i)));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(3 * 17); // every mapped column of every row
        ShipmentContext full = locked.get(1);
        assertThat(full.pickupWindowStart).isEqualTo(Instant.parse("2026-12-04T08:00:00.123456Z"));
        assertThat(full.deliveryStopSequence).isEqualTo(3);
        assertThat(full.statusMilestone).isEqualTo(MilestoneType.ARRIVED_DELIVERY);
        assertThat(full.orderAmendment).isEqualTo(2);
        assertThat(full.traceparent).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(locked.get(0).customerId).isNull();
        assertThat(locked.get(2).statusEventTime).isEqualTo(Instant.parse("2026-12-04T09:00:00.500Z"));
    }

    /**
     * A batch's status writes stay on their rows' pages (HOT updates: no new index entry, no page found elsewhere),
     * because inserts fill the table's pages only to 45 % (V15). Each context is written once, by one transaction, so
     * no version it replaces can be pruned before it ends: every new version needs room on the page as it is. At the
     * default fillfactor (100) pages of freshly inserted contexts are full and none of these 60 updates was HOT; at 50
     * two of them were not.
     */
    @Test
    void aBatchsStatusWritesStayOnTheirPages() {
        PostgresServer.execute("logisync", "delete from shipment_context where shipment_id like 'SHP-HOT%'");
        // 60 contexts as wide as an order makes them (about 300 bytes), inserted together: two to five pages.
        PostgresServer.execute("logisync", "insert into shipment_context (shipment_id, order_id, load_id, customer_id,"
                + " pickup_window_start, pickup_window_end, pickup_zone, delivery_window_start, delivery_window_end,"
                + " delivery_zone, delivery_stop_sequence, carrier, traceparent, status_milestone, status_event_time,"
                + " order_amendment, updated_at) select 'SHP-HOT' || lpad(i::text, 3, '0'), 'ORD-HOT-' || i,"
                + " 'LD-HOT-' || i, 'ACME', now(), now(), 'America/Chicago', now(), now(), 'America/Denver', 1,"
                + " 'SWIFT TRANSPORTATION', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'IN_TRANSIT',"
                + " now(), 0, now() from generate_series(1, 60) i");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            ids.add(String.format("SHP-HOT%03d", i));
        }
        // The backend's counts before and after the writes, in the same transaction: on PostgreSQL 14 they also hold
        // what earlier transactions of this pooled connection did and the backend has not yet reported (up to 500 ms),
        // which stays the same between the two reads.
        String counts = "select n_tup_upd, n_tup_hot_upd from pg_stat_xact_user_tables where relname = 'shipment_context'";
        List<Object[]> before = new ArrayList<>();
        List<Object[]> after = SafeContext.run(vertx, () -> Panache.withTransaction(() -> SessionSql.select(counts)
                        .invoke(before::addAll)
                        .chain(() -> contexts.lockAll(ids))
                        .chain(l -> {
                            l.contexts().forEach(x -> {
                                x.statusMilestone = MilestoneType.OUT_FOR_DELIVERY;
                                x.updatedAt = Instant.parse("2026-12-06T03:00:00Z");
                            });
                            return contexts.saveStatuses(l);
                        })
                        .chain(() -> SessionSql.select(counts))))
                .await().atMost(Duration.ofSeconds(30));

        assertThat(before).hasSize(1);
        assertThat(after).hasSize(1);
        assertThat(((Number) after.get(0)[0]).longValue() - ((Number) before.get(0)[0]).longValue()).isEqualTo(60);
        assertThat(((Number) after.get(0)[1]).longValue() - ((Number) before.get(0)[1]).longValue())
                .as("HOT updates of 60").isEqualTo(60);
        assertThat(PostgresServer.queryValue("logisync", "select count(*)::text from shipment_context"
                + " where shipment_id like 'SHP-HOT%' and status_milestone = 'OUT_FOR_DELIVERY'")).isEqualTo("60");
    }

    private static ShipmentContext copy(ShipmentContext c) {
        ShipmentContext x = new ShipmentContext();
        x.shipmentId = c.shipmentId;
        x.statusMilestone = c.statusMilestone;
        x.carrier = c.carrier;
        return x;
    }

    /**
     * The statuses are written by the row versions locked: a context this transaction changed after locking it
     * (a newer version at another address) is not written over, the statement fails the transaction and nothing of
     * it stays.
     */
    @Test
    void aContextChangedSinceItsLockFailsTheWriteOfStatuses() {
        PostgresServer.execute("logisync", "delete from shipment_context where shipment_id like 'SHP-LS%'");
        PostgresServer.execute("logisync", "insert into shipment_context (shipment_id, status_milestone, updated_at)"
                + " values ('SHP-LS1', 'IN_TRANSIT', '2026-12-05 10:00:00+00'),"
                + " ('SHP-LS2', 'IN_TRANSIT', '2026-12-05 10:00:00+00')");
        Throwable failure = SafeContext.run(vertx, () -> Panache.withTransaction(() -> contexts.lockAll(
                        List.of("SHP-LS1", "SHP-LS2"))
                .call(() -> SessionSql.update("update shipment_context set carrier = 'SWIFT' where shipment_id = 'SHP-LS2'"))
                .chain(l -> {
                    l.contexts().forEach(x -> x.statusMilestone = MilestoneType.DELIVERED);
                    return contexts.saveStatuses(l);
                })))
                .onItem().transform(v -> (Throwable) null).onFailure().recoverWithItem(e -> e)
                .await().atMost(Duration.ofSeconds(30));

        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessage("Wrote the status of 1 of 2 shipment contexts: a context changed since this transaction locked it");
        assertThat(PostgresServer.queryValue("logisync", "select string_agg(shipment_id || ' ' || status_milestone"
                + " || ' ' || coalesce(carrier, '-'), ', ' order by shipment_id) from shipment_context"
                + " where shipment_id like 'SHP-LS%'")).isEqualTo("SHP-LS1 IN_TRANSIT -, SHP-LS2 IN_TRANSIT -");
    }

    /**
     * A context another transaction changed and holds: the lock waits for it and reads what it committed (the
     * row's newer version, PostgreSQL's EvalPlanQual through the join), and the row it did not wait for as it was.
     */
    @Test
    void aLockThatWaitsForAnotherTransactionReadsWhatItCommitted() throws Exception {
        PostgresServer.execute("logisync", "delete from shipment_context where shipment_id like 'SHP-LW%'");
        PostgresServer.execute("logisync", "insert into shipment_context (shipment_id, status_milestone, updated_at)"
                + " values ('SHP-LW1', 'IN_TRANSIT', now()), ('SHP-LW2', 'IN_TRANSIT', now())");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(PostgresServer.database("logisync"),
                "postgres", "postgres")) {
            c.setAutoCommit(false);
            try (java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("update shipment_context set status_milestone = 'ARRIVED_DELIVERY',"
                        + " carrier = 'SWIFT' where shipment_id = 'SHP-LW2'");
            }
            // The lock, then the new statuses written by the row versions it locked (ShipmentContextRepository#saveStatuses).
            java.util.concurrent.Future<List<ShipmentContext>> locked = pool.submit(() -> SafeContext.run(vertx,
                    () -> Panache.withTransaction(() -> contexts.lockAll(List.of("SHP-LW2", "SHP-LW1")).chain(l -> {
                        List<ShipmentContext> read = l.contexts().stream().map(ShipmentContextLockTest::copy).toList();
                        l.contexts().forEach(x -> {
                            x.statusMilestone = MilestoneType.DELIVERED;
                            x.updatedAt = Instant.parse("2026-12-05T18:00:00Z");
                        });
                        return contexts.saveStatuses(l).replaceWith(read);
                    })))
                    .await().atMost(Duration.ofSeconds(30)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(PostgresServer
                    .queryValue("logisync", "select count(*)::text from pg_stat_activity where wait_event_type = 'Lock'"
                            + " and query like 'select c.shipment_id%'")));
            assertThat(locked.isDone()).isFalse();
            c.commit();
            List<ShipmentContext> read = locked.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(read).extracting(x -> x.shipmentId).containsExactly("SHP-LW1", "SHP-LW2");
            assertThat(read.get(1).statusMilestone).isEqualTo(MilestoneType.ARRIVED_DELIVERY);
            assertThat(read.get(1).carrier).isEqualTo("SWIFT");
            assertThat(read.get(0).statusMilestone).isEqualTo(MilestoneType.IN_TRANSIT);
            // Both rows written, the one the lock waited for at the version the other transaction committed: its
            // carrier kept, its status the new one.
            assertThat(PostgresServer.queryValue("logisync", "select string_agg(shipment_id || ' ' || status_milestone"
                    + " || ' ' || coalesce(carrier, '-') || ' ' || (updated_at = timestamptz '2026-12-05 18:00:00+00'),"
                    + " ', ' order by shipment_id)"
                    + " from shipment_context where shipment_id like 'SHP-LW%'"))
                    .isEqualTo("SHP-LW1 DELIVERED - true, SHP-LW2 DELIVERED SWIFT true");
        } finally {
            pool.shutdownNow();
        }
    }
}
