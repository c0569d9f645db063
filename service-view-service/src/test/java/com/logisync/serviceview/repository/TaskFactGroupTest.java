package com.logisync.serviceview.repository;

import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.serviceview.model.TaskFact;
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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A shipment's task facts are read as the earliest and the latest of each group of facts alike for the rule, kept by
 * triggers on the timeline (V17's {@code case_task_fact_group}). After every kind of write (a batch's insert, a later
 * insert moving a group's earliest back or its latest on, equal times, a redelivery, a void, a re-time, a delete,
 * the timeline emptied),
 * what {@link CaseMilestoneRepository#taskFacts} returns must be exactly what this test computes in Java from the
 * shipment's whole set of facts: of each group (type, classifier, delay, reason, signed, unverified and noted POD,
 * voided) the first in (event time, event id) order and, of the latest time, the smallest id, as
 * {@code ServiceTasks.derive} keeps the first of equal times.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class TaskFactGroupTest {

    private static final Set<String> OSD = Set.of("DAMAGE", "SHORTAGE");

    @Inject
    CaseMilestoneRepository timeline;

    /** One timeline row: id suffix, type, classifier, minute of the event time, delay, reason, POD signer, unverified. */
    private record Row(String id, MilestoneType type, Classifier classifier, int minute, long delay, String reason,
            String signedBy, String unverified) {
    }

    @Test
    void theFactsReadAreTheEarliestAndLatestOfEachGroupAfterEveryKindOfWrite() throws Throwable {
        String run = "TFG" + System.nanoTime() + "-";
        String a = run + "A";
        String b = run + "B";
        try {
            // A batch: one statement for both shipments, with delays of two sizes, equal times and a reason.
            insert(run, List.of(
                    new Row("d1", MilestoneType.DELAYED, Classifier.ACTUAL, 10, 0, "WEATHER", null, null),
                    new Row("d2", MilestoneType.DELAYED, Classifier.ACTUAL, 20, 0, "WEATHER", null, null),
                    new Row("d3", MilestoneType.DELAYED, Classifier.ACTUAL, 30, 0, "WEATHER", null, null),
                    new Row("d4", MilestoneType.DELAYED, Classifier.ACTUAL, 20, 0, "TRAFFIC", null, null),
                    new Row("l1", MilestoneType.ARRIVED_DELIVERY, Classifier.ACTUAL, 40, 90, null, null, null),
                    new Row("l2", MilestoneType.ARRIVED_DELIVERY, Classifier.ACTUAL, 41, 90, null, null, null),
                    new Row("l3", MilestoneType.ARRIVED_DELIVERY, Classifier.ACTUAL, 42, 120, null, null, null),
                    new Row("p1", MilestoneType.DEPARTED_PICKUP, Classifier.ACTUAL, 5, 0, null, null, null),
                    new Row("p2", MilestoneType.DEPARTED_PICKUP, Classifier.ACTUAL, 5, 0, null, null, null),
                    new Row("s1", MilestoneType.DELIVERED, Classifier.ACTUAL, 50, 0, null, "J. Smith", "not the carrier"),
                    new Row("s2", MilestoneType.DELIVERED, Classifier.ACTUAL, 51, 0, null, "K. Jones", null),
                    new Row("x1", MilestoneType.IN_TRANSIT, Classifier.ACTUAL, 15, 0, "DAMAGE", null, null),
                    new Row("n1", MilestoneType.IN_TRANSIT, Classifier.ACTUAL, 16, 0, null, null, null)), a, b);
            assertGroups(a, 8);
            assertGroups(b, 8);
            // d2 is neither the earliest nor the latest of its group; n1 is no fact; of p1 and p2 (equal times) p1.
            assertThat(facts(a)).containsExactly("p1", "d1", "x1", "d4", "d3", "l1", "l2", "l3", "s1", "s2");

            String traffic = groupVersion(a, "DELAYED|ACTUAL|0|TRAFFIC|");
            String weather = groupVersion(a, "DELAYED|ACTUAL|0|WEATHER|");
            assertThat(traffic).endsWith("/0");
            // A later statement: a delay earlier than the group's earliest, one later than its latest, one between
            // them (changes nothing), a pickup at the latest time with a smaller id (the new latest of equal times),
            // a delay at the time of its group's only one with a larger id (changes nothing either), and a
            // redelivery of d1 (on conflict do nothing: not added).
            insert(run, List.of(
                    new Row("d0", MilestoneType.DELAYED, Classifier.ACTUAL, 8, 0, "WEATHER", null, null),
                    new Row("d9", MilestoneType.DELAYED, Classifier.ACTUAL, 35, 0, "WEATHER", null, null),
                    new Row("d5", MilestoneType.DELAYED, Classifier.ACTUAL, 25, 0, "WEATHER", null, null),
                    new Row("p0", MilestoneType.DEPARTED_PICKUP, Classifier.ACTUAL, 5, 0, null, null, null),
                    new Row("d6", MilestoneType.DELAYED, Classifier.ACTUAL, 20, 0, "TRAFFIC", null, null),
                    new Row("d1", MilestoneType.DELAYED, Classifier.ACTUAL, 59, 0, "WEATHER", null, null)), a);
            assertGroups(a, 8);
            assertThat(facts(a)).containsExactly("p0", "d0", "x1", "d4", "d9", "l1", "l2", "l3", "s1", "s2");
            // The group d6 did not move was neither written nor locked (V19): the same row version, xmax still 0;
            // the group that moved has a new version.
            assertThat(groupVersion(a, "DELAYED|ACTUAL|0|TRAFFIC|")).isEqualTo(traffic);
            assertThat(groupVersion(a, "DELAYED|ACTUAL|0|WEATHER|")).isNotEqualTo(weather);

            // A void (Hibernate's correction is an update of the row): the voided delay is a group of its own, the
            // group it left gets its next earliest.
            execute("update case_milestone set voided = true where event_id = 'evt-" + a + "-d0'");
            assertGroups(a, 9);
            assertThat(facts(a)).containsExactly("p0", "d0", "d1", "x1", "d4", "d9", "l1", "l2", "l3", "s1", "s2");

            // A re-time: the latest delay moved before every other, now its group's earliest; its latest is d3 again.
            execute("update case_milestone set event_time = '2037-03-01T12:01:00Z' where event_id = 'evt-" + a + "-d9'");
            assertGroups(a, 9);
            assertThat(facts(a)).containsExactly("d9", "p0", "d0", "x1", "d4", "d3", "l1", "l2", "l3", "s1", "s2");

            // A delete, and then all of a group's rows: no group without facts is left.
            execute("delete from case_milestone where event_id = 'evt-" + a + "-d3'");
            assertGroups(a, 9);
            assertThat(facts(a)).containsExactly("d9", "p0", "d0", "x1", "d4", "d5", "l1", "l2", "l3", "s1", "s2");
            execute("delete from case_milestone where event_id in ('evt-" + a + "-s1', 'evt-" + a + "-s2')");
            assertGroups(a, 7);
            assertThat(PostgresServer.queryValue("logisync", "select count(*) from case_task_fact_group"
                    + " where shipment_id = ?", a)).isEqualTo(7L);
            // The other shipment kept its groups through all of it.
            assertGroups(b, 8);
            // Emptying the timeline (a replay's restore truncates it) empties the groups: checked in a block that
            // then fails, so that the truncate is rolled back and the other tests' rows stay.
            assertThatThrownBy(() -> execute("do $$ declare n bigint; begin truncate case_milestone;"
                    + " select count(*) into n from case_task_fact_group;"
                    + " raise exception 'groups after the truncate: %', n; end $$"))
                    .hasStackTraceContaining("groups after the truncate: 0");
            assertGroups(b, 8);
        } finally {
            PostgresServer.deleteShipments("logisync", run);
        }
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from case_task_fact_group"
                + " where shipment_id like ?", run + "%")).isEqualTo(0L);
    }

    /**
     * The row version of the shipment's group whose key starts with {@code key}: {@code xmin/xmax}, xmax 0 while no
     * transaction has updated, deleted or locked the row.
     */
    private static String groupVersion(String shipment, String key) {
        return String.valueOf(PostgresServer.queryValue("logisync", "select xmin::text || '/' || xmax::text"
                + " from case_task_fact_group where shipment_id = ? and group_key like ?", shipment, key + "%"));
    }

    /** The ids' suffixes of the shipment's facts as read, in the order read. */
    private List<String> facts(String shipment) throws Throwable {
        Map<String, Integer> thresholds = Map.of(shipment, 60);
        Map<String, List<TaskFact>> read = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> timeline.taskFacts(thresholds, OSD)));
        return read.getOrDefault(shipment, List.of()).stream().map(m -> m.eventId.substring(m.eventId.lastIndexOf('-') + 1))
                .toList();
    }

    /**
     * What the repository reads for the shipment is, at thresholds 0 and 60, exactly the earliest and latest of each
     * group of the shipment's whole set of facts (read here through the partial index, in the rule's order), and the
     * shipment has {@code groups} groups.
     */
    private void assertGroups(String shipment, int groups) throws Throwable {
        List<TaskFact> all = new ArrayList<>();
        String ids = String.valueOf(PostgresServer.queryValue("logisync", "select string_agg(event_id, ',' order by"
                + " event_time, event_id) from case_milestone where shipment_id = ? and task_fact", shipment));
        for (String id : ids.split(",")) {
            all.add(read(id));
        }
        Map<List<Object>, List<TaskFact>> byGroup = new LinkedHashMap<>();
        for (TaskFact m : all) {
            byGroup.computeIfAbsent(List.of(m.milestone, m.classifier, m.delayMinutes, String.valueOf(m.reasonCode),
                    m.podSignedBy != null, m.podUnverified != null, m.podOsdNotes != null, m.voided),
                    k -> new ArrayList<>()).add(m);
        }
        assertThat(byGroup).hasSize(groups);
        for (int threshold : new int[] {0, 60}) {
            List<String> expected = new ArrayList<>();
            for (List<TaskFact> group : byGroup.values()) {
                TaskFact first = group.get(0);
                TaskFact last = group.stream().max(Comparator.comparing((TaskFact m) -> m.eventTime)).orElseThrow();
                for (TaskFact m : all) {
                    if ((m == first || m == last) && CaseMilestoneRepository.isTaskFact(m, threshold, OSD)) {
                        expected.add(m.eventId);
                    }
                }
            }
            List<String> inOrder = all.stream().map(m -> m.eventId).filter(expected::contains).toList();
            Map<String, List<TaskFact>> read = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                    () -> timeline.taskFacts(Map.of(shipment, threshold), OSD)));
            assertThat(read.getOrDefault(shipment, List.of())).extracting(m -> m.eventId)
                    .as("threshold %d", threshold).containsExactlyElementsOf(inOrder);
        }
    }

    private static TaskFact read(String id) {
        TaskFact m = new TaskFact();
        String[] parts = String.valueOf(PostgresServer.queryValue("logisync", "select concat_ws('|', event_id, milestone,"
                + " classifier, delay_minutes, coalesce(reason_code, '-'), coalesce(pod_signed_by, '-'),"
                + " coalesce(pod_unverified, '-'), coalesce(pod_osd_notes, '-'), voided,"
                + " to_char(event_time at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
                + " from case_milestone where event_id = ?", id)).split("\\|");
        m.eventId = parts[0];
        m.milestone = MilestoneType.valueOf(parts[1]);
        m.classifier = Classifier.valueOf(parts[2]);
        m.delayMinutes = Long.parseLong(parts[3]);
        m.reasonCode = "-".equals(parts[4]) ? null : parts[4];
        m.podSignedBy = "-".equals(parts[5]) ? null : parts[5];
        m.podUnverified = "-".equals(parts[6]) ? null : parts[6];
        m.podOsdNotes = "-".equals(parts[7]) ? null : parts[7];
        m.voided = "t".equals(parts[8]);
        m.eventTime = java.time.Instant.parse(parts[9]);
        return m;
    }

    /** The rows for each shipment, all in one statement (a consumer's batch), ids {@code evt-<shipment>-<id>}. */
    private static void insert(String run, List<Row> rows, String... shipments) {
        List<String> values = new ArrayList<>();
        for (String shipment : shipments) {
            for (Row r : rows) {
                values.add(String.format("('evt-%s-%s', '%s', '%s', '%s', '2037-03-01T12:%02d:00Z',"
                        + " '2037-03-01T12:%02d:00Z', 'Dallas', %d, false, false, 'EDI', 'CARRIER-1', %s, %s, %s)",
                        shipment, r.id(), shipment, r.type(), r.classifier(), r.minute(), r.minute(), r.delay(),
                        literal(r.reason()), literal(r.signedBy()), literal(r.unverified())));
            }
        }
        execute("insert into case_milestone (event_id, shipment_id, milestone, classifier, event_time, received_at,"
                + " location_name, delay_minutes, late, out_of_order, source_system, partner_id, reason_code,"
                + " pod_signed_by, pod_unverified) values " + String.join(", ", values)
                + " on conflict (event_id) do nothing");
    }

    private static void execute(String sql) {
        PostgresServer.execute("logisync", sql);
    }

    private static String literal(String s) {
        return s == null ? "null" : "'" + s.replace("'", "''") + "'";
    }
}
