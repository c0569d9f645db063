package com.logisync.billing;

import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detention prices a stop from its stay (billing_stop_stay: the earliest valid arrival, the latest valid departure
 * per stop, type and kind), which triggers on billing_stop_event keep (V12), whoever writes the reports: here plain
 * SQL, as a pod of the previous version would write them during a rollout. After every kind of change the stays are
 * exactly what the aggregate over the reports gives, with concrete times.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ErpStandIn.class)
class StopStayTest {

    private static final String DB = "logisync";

    @Test
    void theStaysFollowEveryReportAddedCorrectedOrDeleted() {
        String s = "SHP-STAY" + System.nanoTime();
        PostgresServer.execute(DB, "insert into billing_case (shipment_id, status, updated_at) values ('" + s
                + "', 'OPEN', now())");
        try {
            // One statement of four reports: two arrivals and two departures at stop 2.
            PostgresServer.execute(DB, "insert into billing_stop_event (event_id, shipment_id, stop_sequence, stop_type,"
                    + " kind, at) values ('" + s + "-a1', '" + s + "', 2, 'DELIVERY', 'ARRIVAL', '2026-12-02T12:30:00Z'),"
                    + " ('" + s + "-a2', '" + s + "', 2, 'DELIVERY', 'ARRIVAL', '2026-12-02T12:00:00Z'),"
                    + " ('" + s + "-d1', '" + s + "', 2, 'DELIVERY', 'DEPARTURE', '2026-12-02T17:30:00Z'),"
                    + " ('" + s + "-d2', '" + s + "', 2, 'DELIVERY', 'DEPARTURE', '2026-12-02T20:01:00Z')");
            assertThat(stays(s)).isEqualTo("2/DELIVERY/ARRIVAL 12:00:00, 2/DELIVERY/DEPARTURE 20:01:00");
            assertConsistent(s);
            String arrivalVersion = version(s, "ARRIVAL");
            String departureVersion = version(s, "DEPARTURE");

            // A later statement: an earlier arrival moves the stay, a departure before the latest does not; another stop.
            PostgresServer.execute(DB, "insert into billing_stop_event (event_id, shipment_id, stop_sequence, stop_type,"
                    + " kind, at) values ('" + s + "-a3', '" + s + "', 2, 'DELIVERY', 'ARRIVAL', '2026-12-02T11:45:00Z'),"
                    + " ('" + s + "-d3', '" + s + "', 2, 'DELIVERY', 'DEPARTURE', '2026-12-02T19:00:00Z'),"
                    + " ('" + s + "-p1', '" + s + "', 1, 'PICKUP', 'ARRIVAL', '2026-12-01T08:00:00Z')");
            assertThat(stays(s)).isEqualTo("1/PICKUP/ARRIVAL 08:00:00, 2/DELIVERY/ARRIVAL 11:45:00,"
                    + " 2/DELIVERY/DEPARTURE 20:01:00");
            // The stay that moved has a new row version; the one that did not was not written at all (V13).
            assertThat(version(s, "ARRIVAL")).isNotEqualTo(arrivalVersion);
            assertThat(version(s, "DEPARTURE")).isEqualTo(departureVersion);
            // Nor locked (V14): "on conflict do update ... where" would have locked it, a new xmax per batch.
            assertThat(lockedBy(s, "DEPARTURE")).isEqualTo("0");
            // Nor by a report that arrives voided.
            PostgresServer.execute(DB, "insert into billing_stop_event (event_id, shipment_id, stop_sequence, stop_type,"
                    + " kind, at, voided) values ('" + s + "-d0', '" + s + "', 2, 'DELIVERY', 'DEPARTURE',"
                    + " '2026-12-02T23:00:00Z', true)");
            assertThat(version(s, "DEPARTURE")).isEqualTo(departureVersion);
            // A redelivered report (same id) changes nothing.
            PostgresServer.execute(DB, "insert into billing_stop_event (event_id, shipment_id, stop_sequence, stop_type,"
                    + " kind, at) values ('" + s + "-a3', '" + s + "', 2, 'DELIVERY', 'ARRIVAL', '2026-12-02T06:00:00Z')"
                    + " on conflict (event_id) do nothing");
            assertThat(stays(s)).contains("2/DELIVERY/ARRIVAL 11:45:00");

            // Voided: the latest departure goes, the next one counts.
            PostgresServer.execute(DB, "update billing_stop_event set voided = true where event_id = '" + s + "-d2'");
            assertThat(stays(s)).contains("2/DELIVERY/DEPARTURE 19:00:00");
            // Re-timed: the earliest arrival is moved later than another one.
            PostgresServer.execute(DB, "update billing_stop_event set at = '2026-12-02T13:00:00Z' where event_id = '" + s
                    + "-a3'");
            assertThat(stays(s)).contains("2/DELIVERY/ARRIVAL 12:00:00");
            assertConsistent(s);

            // Every departure voided: the group stays, with no time (the charge is withdrawn, not left standing).
            PostgresServer.execute(DB, "update billing_stop_event set voided = true where event_id in ('" + s + "-d1', '"
                    + s + "-d3')");
            assertThat(stays(s)).contains("2/DELIVERY/DEPARTURE -");
            assertConsistent(s);

            // Deleted: the pickup's only report, and its stay with it.
            PostgresServer.execute(DB, "delete from billing_stop_event where event_id = '" + s + "-p1'");
            assertThat(stays(s)).isEqualTo("2/DELIVERY/ARRIVAL 12:00:00, 2/DELIVERY/DEPARTURE -");
            assertConsistent(s);

            // A valid departure after every one was voided: the stay has a time again.
            PostgresServer.execute(DB, "insert into billing_stop_event (event_id, shipment_id, stop_sequence, stop_type,"
                    + " kind, at) values ('" + s + "-d4', '" + s + "', 2, 'DELIVERY', 'DEPARTURE', '2026-12-02T18:00:00Z')");
            assertThat(stays(s)).isEqualTo("2/DELIVERY/ARRIVAL 12:00:00, 2/DELIVERY/DEPARTURE 18:00:00");
            assertConsistent(s);
        } finally {
            PostgresServer.deleteShipments(DB, s);
        }
        assertThat(PostgresServer.queryValue(DB, "select count(*) from billing_stop_stay where shipment_id = ?", s))
                .isEqualTo(0L);
    }

    private static String stays(String s) {
        return String.valueOf(PostgresServer.queryValue(DB, "select string_agg(stop_sequence || '/' || stop_type || '/'"
                + " || kind || ' ' || coalesce(to_char(at at time zone 'UTC', 'HH24:MI:SS'), '-'), ', '"
                + " order by stop_sequence, stop_type, kind) from billing_stop_stay where shipment_id = ?", s));
    }

    /** The row version (xmin) of stop 2's stay of that kind: a new one each time the row is written. */
    private static String version(String s, String kind) {
        return String.valueOf(PostgresServer.queryValue(DB, "select xmin::text from billing_stop_stay where shipment_id = ?"
                + " and stop_sequence = 2 and kind = ?", s, kind));
    }

    /** The xmax of stop 2's stay of that kind: 0 while no transaction has updated, deleted or locked the row. */
    private static String lockedBy(String s, String kind) {
        return String.valueOf(PostgresServer.queryValue(DB, "select xmax::text from billing_stop_stay where shipment_id = ?"
                + " and stop_sequence = 2 and kind = ?", s, kind));
    }

    /** The stays are the aggregate over the reports, row for row. */
    private static void assertConsistent(String s) {
        Object differences = PostgresServer.queryValue(DB, "select count(*) from ((select stop_sequence, stop_type, kind,"
                + " case when kind = 'ARRIVAL' then min(at) filter (where not voided) else max(at) filter (where not voided)"
                + " end from billing_stop_event where shipment_id = ? group by 1, 2, 3) except all (select stop_sequence,"
                + " stop_type, kind, at from billing_stop_stay where shipment_id = ?)) d", s, s);
        Object stays = PostgresServer.queryValue(DB, "select count(*) from billing_stop_stay where shipment_id = ?", s);
        Object groups = PostgresServer.queryValue(DB, "select count(distinct (stop_sequence, stop_type, kind))"
                + " from billing_stop_event where shipment_id = ?", s);
        assertThat(differences).isEqualTo(0L);
        assertThat(stays).isEqualTo(groups);
    }
}
