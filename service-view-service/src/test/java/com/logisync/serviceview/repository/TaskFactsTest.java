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

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shipment's task facts are read through the partial index on the generated column {@code task_fact} (V16), not
 * from its whole timeline. The column must hold every row the Java rule ({@link CaseMilestoneRepository#isTaskFact})
 * can keep at any threshold of zero or more, or a task would silently not be opened; and no more than the rows that
 * rule keeps at threshold zero (with any reason code counted: which ones mean OS&amp;D is configuration), or the index
 * would hold the history again. The mutation that drops a type from the column's list fails both tests.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class TaskFactsTest {

    private static final Set<String> OSD = Set.of("DAMAGE", "SHORTAGE", "OVERAGE", "OSD");

    @Inject
    CaseMilestoneRepository timeline;

    @Test
    void theGeneratedColumnMarksExactlyTheRowsTheJavaRuleCanKeep() {
        String run = "TF" + System.nanoTime() + "-";
        try {
            Map<String, TaskFact> rows = new LinkedHashMap<>();
            int n = 0;
            for (MilestoneType type : MilestoneType.values()) {
                for (Classifier classifier : Classifier.values()) {
                    // The plain report: a fact only by its type and classifier.
                    rows.put(insert(run, n++, type, classifier, 0, null, null, null), null);
                    // Each thing that makes any report a fact.
                    rows.put(insert(run, n++, type, classifier, 1, null, null, null), null);
                    rows.put(insert(run, n++, type, classifier, 0, "DAMAGE", null, null), null);
                    rows.put(insert(run, n++, type, classifier, 0, null, "J. Smith", null), null);
                    rows.put(insert(run, n++, type, classifier, 0, null, null, "2 cartons crushed"), null);
                }
            }
            List<String> mismatches = new ArrayList<>();
            int facts = 0;
            for (String id : rows.keySet()) {
                TaskFact m = read(id);
                boolean column = (Boolean) PostgresServer.queryValue("logisync",
                        "select task_fact from case_milestone where event_id = ?", id);
                facts += column ? 1 : 0;
                // At threshold 0 with the OS&D reasons configured, the rule and the column agree on every row.
                if (column != CaseMilestoneRepository.isTaskFact(m, 0, OSD)) {
                    mismatches.add(id + " " + m.milestone + "/" + m.classifier + " column " + column);
                }
            }
            assertThat(mismatches).isEmpty();
            // 6 types of the 5 x (types x classifiers) rows are facts on their own (DELAYED under each classifier,
            // 5 ACTUAL ones), every other row through its delay, reason, POD or notes.
            int combinations = MilestoneType.values().length * Classifier.values().length;
            int plainFacts = Classifier.values().length + 5;
            assertThat(facts).isEqualTo(4 * combinations + plainFacts);
        } finally {
            PostgresServer.deleteShipments("logisync", run);
        }
    }

    @Test
    void aBatchReadsEachShipmentsFactsUnderItsOwnThresholdWithTheColumnsTheDerivationReads() throws Throwable {
        String run = "TG" + System.nanoTime() + "-";
        String strict = run + "A";
        String lenient = run + "B";
        try {
            List<String> expectedStrict = new ArrayList<>();
            List<String> expectedLenient = new ArrayList<>();
            int n = 0;
            for (String s : List.of(strict, lenient)) {
                for (int i = 0; i < 40; i++) {
                    insertFor(s, run, n++, MilestoneType.IN_TRANSIT, Classifier.ACTUAL, 0, null, null, null, i);
                }
                // A late arrival: 90 min over a 60-min threshold, within a 240-min one.
                String late = insertFor(s, run, n++, MilestoneType.ARRIVED_DELIVERY, Classifier.ACTUAL, 90, null, null,
                        null, 41);
                String delay = insertFor(s, run, n++, MilestoneType.DELAYED, Classifier.ACTUAL, 0, "WEATHER", null, null, 42);
                String pickup = insertFor(s, run, n++, MilestoneType.DEPARTED_PICKUP, Classifier.ACTUAL, 0, null, null,
                        null, 2);
                String damage = insertFor(s, run, n++, MilestoneType.IN_TRANSIT, Classifier.ACTUAL, 0, "DAMAGE", null,
                        null, 43);
                // A reason that is not an OS&D one: in the index, not a fact of either.
                insertFor(s, run, n++, MilestoneType.IN_TRANSIT, Classifier.ACTUAL, 0, "TRAFFIC", null, null, 44);
                List<String> expected = s.equals(strict) ? expectedStrict : expectedLenient;
                expected.add(pickup);
                if (s.equals(strict)) {
                    expected.add(late);
                }
                expected.add(delay);
                expected.add(damage);
                if (s.equals(strict)) {
                    expected.add(insertFor(s, run, n++, MilestoneType.DELIVERED, Classifier.ACTUAL, 0, null, "J. Smith",
                            "2 cartons crushed", 45));
                }
            }
            Map<String, Integer> thresholds = new LinkedHashMap<>();
            thresholds.put(strict, 60);
            thresholds.put(lenient, 240);
            Map<String, List<TaskFact>> facts = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                    () -> timeline.taskFacts(thresholds, OSD)));
            assertThat(facts.get(strict)).extracting(m -> m.eventId).containsExactlyElementsOf(expectedStrict);
            assertThat(facts.get(lenient)).extracting(m -> m.eventId).containsExactlyElementsOf(expectedLenient);
            // Every column the derivation reads comes back into its field; the others are not read.
            TaskFact delay = facts.get(strict).get(2);
            assertThat(delay.shipmentId).isEqualTo(strict);
            assertThat(delay.milestone).isEqualTo(MilestoneType.DELAYED);
            assertThat(delay.classifier).isEqualTo(Classifier.ACTUAL);
            assertThat(delay.eventTime).isEqualTo(Instant.parse("2037-03-01T12:42:00Z"));
            assertThat(delay.locationName).isEqualTo("Dallas");
            assertThat(delay.partnerId).isEqualTo("CARRIER-1");
            assertThat(delay.reasonCode).isEqualTo("WEATHER");
            assertThat(delay.reasonSourceCode).isEqualTo("AO");
            assertThat(delay.reasonCodeList).isEqualTo("X12-1651");
            assertThat(delay.podUnverified).isEqualTo("not the dispatched carrier");
            assertThat(delay.reasonText).isEqualTo("snow");
            assertThat(delay.voided).isTrue();
            assertThat(facts.get(strict).get(0).podSignedBy).isNull();
            assertThat(facts.get(strict).get(3).reasonCode).isEqualTo("DAMAGE");
            assertThat(facts.get(strict).get(4).podSignedBy).isEqualTo("J. Smith");
            assertThat(facts.get(strict).get(4).podOsdNotes).isEqualTo("2 cartons crushed");
            assertThat(facts.get(strict).get(1).delayMinutes).isEqualTo(90);
            assertThat(facts.get(strict).get(1).voided).isFalse();
        } finally {
            PostgresServer.deleteShipments("logisync", run);
        }
    }

    private static String insert(String run, int n, MilestoneType type, Classifier classifier, long delay, String reason,
            String podSignedBy, String osdNotes) {
        return insertFor(run + n, run, n, type, classifier, delay, reason, podSignedBy, osdNotes, 0);
    }

    private static String insertFor(String shipment, String run, int n, MilestoneType type, Classifier classifier,
            long delay, String reason, String podSignedBy, String osdNotes, int minute) {
        String id = "evt-" + run + n;
        PostgresServer.execute("logisync", String.format("insert into case_milestone (event_id, shipment_id, milestone,"
                + " classifier, event_time, received_at, location_name, delay_minutes, late, out_of_order, source_system,"
                + " partner_id, reason_code, reason_source_code, reason_code_list, pod_signed_by, pod_unverified,"
                + " local_event_time, zone_id, reason_text, pod_osd_notes, voided, correction) values ('%s', '%s', '%s',"
                + " '%s', '2037-03-01T12:%02d:00Z', '2037-03-01T12:%02d:00Z', 'Dallas', %d, true, false, 'EDI',"
                + " 'CARRIER-1', %s, 'AO', 'X12-1651', %s, 'not the dispatched carrier', '2037-03-01T06:%02d:00',"
                + " 'America/Chicago', 'snow', %s, %s, %s)", id, shipment, type, classifier, minute, minute + 1, delay,
                literal(reason), literal(podSignedBy), minute, literal(osdNotes), type == MilestoneType.DELAYED,
                type == MilestoneType.DELAYED ? "'voided by ops'" : "null"));
        return id;
    }

    private static String literal(String s) {
        return s == null ? "null" : "'" + s.replace("'", "''") + "'";
    }

    private static TaskFact read(String id) {
        TaskFact m = new TaskFact();
        String[] parts = String.valueOf(PostgresServer.queryValue("logisync", "select concat_ws('|', milestone,"
                + " classifier, delay_minutes, coalesce(reason_code, '-'), coalesce(pod_signed_by, '-'),"
                + " coalesce(pod_osd_notes, '-')) from case_milestone where event_id = ?", id)).split("\\|");
        m.milestone = MilestoneType.valueOf(parts[0]);
        m.classifier = Classifier.valueOf(parts[1]);
        m.delayMinutes = Long.parseLong(parts[2]);
        m.reasonCode = "-".equals(parts[3]) ? null : parts[3];
        m.podSignedBy = "-".equals(parts[4]) ? null : parts[4];
        m.podOsdNotes = "-".equals(parts[5]) ? null : parts[5];
        return m;
    }
}
