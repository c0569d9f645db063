package com.logisync.serviceview.repository;

import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.serviceview.model.ShipmentCase;
import com.logisync.serviceview.model.Stage;
import com.logisync.serviceview.model.TransactionStage;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import jakarta.persistence.Column;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection writes a batch's cases and stages as rows, not through Hibernate: every column of the table is
 * read and written, each into the entity's own field, so what the API reads through Hibernate is what the
 * projection wrote.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ShipmentCaseRowsTest {

    @Inject
    ShipmentCaseRepository cases;
    @Inject
    TransactionStageRepository stages;

    private static final Set<String> KEY = Set.of("shipment_id");

    @Test
    void everyColumnOfTheTableIsReadAndWritten() {
        Object columns = PostgresServer.queryValue("logisync", "select string_agg(column_name, ',' order by column_name)"
                + " from information_schema.columns where table_name = 'shipment_case'");
        Set<String> mapped = new TreeSet<>(KEY);
        ShipmentCaseRepository.COLUMNS.forEach(c -> mapped.add(c.name()));
        assertThat(mapped).containsExactlyElementsOf(new TreeSet<>(Arrays.asList(String.valueOf(columns).split(","))));
        Set<String> entity = new TreeSet<>();
        for (Field f : ShipmentCase.class.getDeclaredFields()) {
            if (own(f)) {
                Column c = f.getAnnotation(Column.class);
                entity.add(c == null ? f.getName() : c.name());
            }
        }
        assertThat(mapped).containsExactlyElementsOf(entity);
    }

    @Test
    void whatTheRowsWriteIsWhatHibernateReads() throws Throwable {
        String id = "SHP-ROWS-" + System.nanoTime();
        PostgresServer.execute("logisync", "insert into shipment_case (shipment_id, updated_at) values ('" + id + "', now())");
        ShipmentCase written = new ShipmentCase();
        written.shipmentId = id;
        int i = 0;
        for (Field f : ShipmentCase.class.getDeclaredFields()) {
            if (!own(f) || f.getName().equals("shipmentId")) {
                continue;
            }
            i++;
            Class<?> t = f.getType();
            // A distinct value per field, so two columns swapped show.
            Object v = t == String.class ? "v" + i // short: invoice_currency is varchar(3)
                    : t == Instant.class ? Instant.parse("2026-03-01T10:00:00.123456Z").plusSeconds(3_600L * i)
                    : t == int.class ? 100 + i
                    : t == long.class ? 10_000_000_000L + i
                    : t == Double.class ? 48.1 + i / 1000.0
                    : t == BigDecimal.class ? new BigDecimal("1718.25").add(BigDecimal.valueOf(i))
                    : t == MilestoneType.class ? MilestoneType.DELIVERED : null;
            assertThat(v).as("a value for %s", f.getName()).isNotNull();
            f.set(written, v);
        }
        Integer updated = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> cases.lockAll(new String[] {id}).chain(locked -> cases.updateAll(List.of(written)))));
        assertThat(updated).isEqualTo(1);

        ShipmentCase read = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> cases.lockAll(new String[] {id, "SHP-NOT-THERE"}))).get(0);
        // A plain object no session manages: neither the columns read into it nor a later write are tracked by the
        // enhanced entity class (each tracked write copied an array of field names).
        org.hibernate.engine.spi.SelfDirtinessTracker tracked = (org.hibernate.engine.spi.SelfDirtinessTracker) (Object) read;
        assertThat(tracked.$$_hibernate_hasDirtyAttributes()).isFalse();
        tracked.$$_hibernate_trackChange("orderId");
        assertThat(tracked.$$_hibernate_getDirtyAttributes()).isEmpty();
        ShipmentCase hibernate = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> cases.findById(id)));
        for (Field f : ShipmentCase.class.getDeclaredFields()) {
            if (own(f)) {
                assertThat(f.get(read)).as("%s as the rows read it", f.getName()).isEqualTo(f.get(written));
                Object h = f.get(hibernate);
                assertThat(h instanceof BigDecimal b ? b.compareTo((BigDecimal) f.get(written)) == 0 : h.equals(f.get(written)))
                        .as("%s as Hibernate reads it: %s", f.getName(), h).isTrue();
            }
        }
        // Cleared again: nulls are written as nulls.
        ShipmentCase cleared = new ShipmentCase();
        cleared.shipmentId = id;
        cleared.updatedAt = Instant.parse("2026-03-02T00:00:00Z");
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> cases.updateAll(List.of(cleared))));
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from shipment_case where shipment_id = ?"
                + " and order_id is null and invoice_total is null and position_latitude is null and status_milestone is null"
                + " and order_amendment = 0 and billing_case_version = 0", id)).isEqualTo(1L);
    }

    @Test
    void stagesAreUpsertedAndDeletedAsSets() throws Throwable {
        String a = "SHP-STG-A-" + System.nanoTime();
        String b = "SHP-STG-B-" + System.nanoTime();
        Instant t0 = Instant.parse("2026-03-01T08:00:00.000001Z");
        List<TransactionStage> first = List.of(stage(a, Stage.DELIVERED, t0, "e1"), stage(a, Stage.POD_RECEIVED, t0, "e2"),
                stage(b, Stage.DELIVERED, t0.plusSeconds(60), "e3"));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> stages.upsertAll(first)));
        // One changed, one withdrawn, one new, in two statements.
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> stages.deleteAll(
                List.of(new TransactionStage.Key(a, Stage.POD_RECEIVED)))
                .chain(() -> stages.upsertAll(List.of(stage(a, Stage.DELIVERED, t0.plusSeconds(5), "e4"),
                        stage(b, Stage.POD_RECEIVED, t0.plusSeconds(90), "e5"))))));
        List<TransactionStage> now = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> stages.ofShipments(new String[] {a, b})));
        Map<String, String> byKey = now.stream().collect(Collectors.toMap(s -> s.id.shipmentId().substring(0, 9) + "/"
                + s.id.stage(), s -> s.completedAt + " " + s.service + " " + s.traceId + " " + s.eventId));
        assertThat(byKey).containsExactlyInAnyOrderEntriesOf(Map.of(
                "SHP-STG-A/DELIVERED", "2026-03-01T08:00:05.000001Z svc trace-e4 e4",
                "SHP-STG-B/DELIVERED", "2026-03-01T08:01:00.000001Z svc trace-e3 e3",
                "SHP-STG-B/POD_RECEIVED", "2026-03-01T08:01:30.000001Z svc trace-e5 e5"));
        // What Hibernate reads for the API is the same.
        List<TransactionStage> api = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> stages.stages(b)));
        assertThat(api).extracting((Function<TransactionStage, Object>) s -> s.id.stage() + "@" + s.completedAt)
                .containsExactly("DELIVERED@2026-03-01T08:01:00.000001Z", "POD_RECEIVED@2026-03-01T08:01:30.000001Z");
    }

    @Test
    void theViewUpdateIsReadFromTheCaseWithTheStoredStages() throws Throwable {
        String id = "SHP-VIEW-" + System.nanoTime();
        String fresh = "SHP-VIEW-NEW-" + System.nanoTime();
        PostgresServer.execute("logisync", "insert into shipment_case (shipment_id, updated_at) values ('" + id
                + "', now()), ('" + fresh + "', now())");
        Instant t0 = Instant.parse("2026-03-01T08:00:00.000001Z");
        ShipmentCase c = new ShipmentCase();
        c.shipmentId = id;
        c.updatedAt = t0.plusSeconds(30);
        c.viewTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        c.viewEventId = "REST_API:SWIFT:d1";
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> cases.updateAll(List.of(c))
                .chain(() -> stages.upsertAll(List.of(stage(id, Stage.DELIVERED, t0, "d1"))))));

        List<TransactionStage> api = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> stages.stages(id)));
        assertThat(api).extracting((Function<TransactionStage, Object>) s -> s.id.stage() + "@" + s.completedAt + " "
                + s.service + " " + s.traceId + " " + s.eventId).containsExactly(
                "DELIVERED@2026-03-01T08:00:00.000001Z svc trace-d1 d1",
                "CRM_VIEW_UPDATED@2026-03-01T08:00:30.000001Z service-view-service 4bf92f3577b34da6a3ce929d0e0e4736"
                        + " REST_API:SWIFT:d1");
        // A case no event was applied to yet has no view update; the projection's own read leaves it out.
        assertThat(VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> stages.stages(fresh)))).isEmpty();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> stages.ofShipments(
                new String[] {id})))).extracting(s -> s.id.stage()).containsExactly(Stage.DELIVERED);
        // The counts see it too.
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from " + TransactionStageRepository.ALL_STAGES
                + " where shipment_id in (?, ?) and stage = 'CRM_VIEW_UPDATED'", id, fresh)).isEqualTo(1L);
    }

    /**
     * The entity's own fields, not those Hibernate's build-time enhancement adds ({@code $$_hibernate_*}); the
     * enhancement also makes them protected, so they are opened here.
     */
    private static boolean own(Field f) {
        if (Modifier.isStatic(f.getModifiers()) || f.getName().startsWith("$$_hibernate")) {
            return false;
        }
        f.setAccessible(true);
        return true;
    }

    private static TransactionStage stage(String shipmentId, Stage stage, Instant at, String eventId) {
        TransactionStage s = new TransactionStage();
        s.id = new TransactionStage.Key(shipmentId, stage);
        s.completedAt = at;
        s.service = "svc";
        s.traceId = "trace-" + eventId;
        s.eventId = eventId;
        return s;
    }
}
