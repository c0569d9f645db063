package com.logisync.milestone.repository;

import com.logisync.milestone.model.MilestoneEntry;
import com.logisync.contracts.Topics;
import com.logisync.runtime.outbox.LogRow;
import com.logisync.runtime.outbox.OutboxHandOver;
import com.logisync.runtime.repository.SessionSql;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

@ApplicationScoped
public class MilestoneRepository implements PanacheRepositoryBase<MilestoneEntry, String> {

    private final OutboxHandOver handOver;

    public MilestoneRepository(OutboxHandOver handOver) {
        this.handOver = handOver;
    }

    /**
     * One primary-key probe per id, whatever the statistics say: as {@code event_id = any($1)} the planner chose,
     * now and then, to scan the whole table for a batch's 1,000 ids (a benchmark's 1-2 million rows: seconds per
     * batch, the slowest statement of the hot path, docs/benchmarks.md); a lateral lookup with a limit is
     * parameterised per id, so a sequential scan can never be cheaper than the index.
     */
    private static final String RECORDED = "select k.id from unnest($1::text[]) as k(id),"
            + " lateral (select 1 from milestone m where m.event_id = k.id limit 1) found";

    /**
     * Every row of a batch in one statement of constant shape (typed arrays unnested), so the database parses one
     * statement whatever the batch size. The arrays are unnested in the select list (a {@code ProjectSet}, which hands
     * the rows on one by one, in the arrays' order), not in {@code from}: a function there is first copied whole into
     * a tuplestore, a batch's payloads with it (the statement alone took 2.32-2.55 s that way against 1.61-1.78 s per
     * 100,500 of the benchmark's milestones, docs/benchmark-log.md, thirty-seventh session). The row is its own
     * publication log entry (V13): the transaction's id, a number from the outbox's sequence (in the order of the
     * rows), its relay partition (the shipment's, computed as {@code outbox_event.part} is from the partition key), its
     * CloudEvents id and its trace. Set here, not by column defaults, so a row written by a pod of the previous version
     * during a rolling upgrade stays out of the log (it writes an outbox row instead).
     */
    private static final String INSERT_ALL = "insert into milestone (event_id, shipment_id, milestone, classifier,"
            + " event_time, received_at, delay_minutes, late, out_of_order, payload, ce_id, traceparent, part, txid, seq)"
            + " select e, s, m, c, t, r, d, l, o, convert_from(p, 'UTF8'), i::uuid, tp, (hashtext(s) & 15)::smallint,"
            + " pg_current_xact_id()::text::bigint, nextval('outbox_event_seq_seq')"
            + " from (select unnest($1::text[]) e, unnest($2::text[]) s, unnest($3::text[]) m, unnest($4::text[]) c,"
            + " unnest($5::timestamptz[]) t, unnest($6::timestamptz[]) r, unnest($7::bigint[]) d,"
            + " unnest($8::boolean[]) l, unnest($9::boolean[]) o, unnest($10::bytea[]) p, unnest($11::text[]) i,"
            + " unnest($12::text[]) tp) u";

    /**
     * {@link #INSERT_ALL} for the paths that meet a concurrent report of the same event without a fallback of their
     * own (a single report, a parked milestone released by its order): a row a concurrent transaction wrote first is
     * skipped, and the statement answers the event ids it did insert.
     */
    private static final String INSERT_ALL_SKIPPING = INSERT_ALL + " on conflict (event_id) do nothing"
            + " returning event_id, txid, seq, part";

    /**
     * What the relay needs of each row inserted beyond what the service sent: its transaction, its number and its
     * partition, handed over in memory with the rest (OutboxHandOver), so the relay need not read the rows back.
     */
    private static final String INSERT_ALL_RETURNING = INSERT_ALL + " returning event_id, txid, seq, part";

    private static final String STATUS_FACTS = "select milestone, classifier, event_time from milestone"
            + " where shipment_id = $1 and not voided";
    private static final String FIND = "select shipment_id, milestone, voided, payload from milestone where event_id = $1";
    private static final String VOID = "update milestone set voided = true where event_id = $1";
    private static final String RETIME = "update milestone set event_time = $2 where event_id = $1";

    /** A recorded milestone as a correction needs it: its shipment, type, whether voided, and its event. */
    private static final String UNVERIFIED_PODS = "select payload from milestone"
            + " where shipment_id = $1 and not voided and payload like '%\"verified\":false%' order by event_time, event_id";

    /** The payloads of the shipment's milestones that still count and carry a POD judged unverified (a few at most). */
    public Uni<List<String>> unverifiedPods(String shipmentId) {
        return SessionSql.select(UNVERIFIED_PODS, shipmentId).map(rows -> rows.stream().map(r -> (String) r[0]).toList());
    }

    public record Recorded(String shipmentId, String milestone, boolean voided, String payload) {
    }

    public Uni<Recorded> find(String eventId) {
        return SessionSql.select(FIND, eventId).map(rows -> rows.isEmpty() ? null : new Recorded((String) rows.get(0)[0],
                (String) rows.get(0)[1], (Boolean) rows.get(0)[2], (String) rows.get(0)[3]));
    }

    public Uni<Void> markVoided(String eventId) {
        return SessionSql.update(VOID, eventId).replaceWithVoid();
    }

    public Uni<Void> retime(String eventId, java.time.Instant eventTime) {
        return SessionSql.update(RETIME, eventId, SessionSql.utc(eventTime)).replaceWithVoid();
    }

    /** The shipment's milestones that still count (not voided): type, classifier, event time. */
    public Uni<List<Object[]>> statusFacts(String shipmentId) {
        return SessionSql.select(STATUS_FACTS, shipmentId);
    }

    /** Which of these event ids are already recorded (one query for a whole batch). */
    public Uni<Set<String>> recorded(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return SessionSql.select(RECORDED, (Object) eventIds.toArray(String[]::new)).map(MilestoneRepository::firstColumn);
    }

    /**
     * Inserts the rows with one statement, in the caller's transaction. A row whose event id is already recorded,
     * or that a concurrent transaction wrote first, fails the statement, and with it the transaction, with
     * Hibernate's {@link org.hibernate.exception.ConstraintViolationException}: the batch path then ingests the batch
     * again with its repeats looked for first ({@link #recorded}), and after a race past that look one report at a
     * time (BatchIngestion). No {@code on conflict (event_id) do nothing}: its speculative insertion (an extra probe
     * of the key, a token lock and a WAL record per row) was 12-15 % of the statement (docs/benchmarks.md), paid on
     * every row for a repeat that few batches carry. Each row inserted is published, as its {@code MilestoneRecorded}, once the
     * transaction commits (V13): no outbox row is written for it. The rows are also handed to this process's relay in
     * memory ({@link OutboxHandOver}), which then need not read them back to publish them.
     */
    public Uni<Set<String>> insertAll(List<MilestoneEntry> entries) {
        return insert(false, entries).map(MilestoneRepository::firstColumn);
    }

    /**
     * As {@link #insertAll}, but a row a concurrent report inserted first is skipped, not an error: answers the
     * event ids actually inserted (the caller answers the others DUPLICATE).
     */
    public Uni<Set<String>> insertAllSkippingRecorded(List<MilestoneEntry> entries) {
        return insert(true, entries).map(MilestoneRepository::firstColumn);
    }

    private Uni<List<Object[]>> insert(boolean skipping, List<MilestoneEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = entries.size();
        String[] ids = new String[n];
        String[] shipments = new String[n];
        String[] kinds = new String[n];
        String[] classifiers = new String[n];
        OffsetDateTime[] eventTimes = new OffsetDateTime[n];
        OffsetDateTime[] receivedAt = new OffsetDateTime[n];
        Long[] delays = new Long[n];
        Boolean[] late = new Boolean[n];
        Boolean[] outOfOrder = new Boolean[n];
        String[] payloads = new String[n];
        String[] ceIds = new String[n];
        String[] traceparents = new String[n];
        for (int i = 0; i < n; i++) {
            MilestoneEntry e = entries.get(i);
            ids[i] = e.eventId;
            shipments[i] = e.shipmentId;
            kinds[i] = e.milestone.name();
            classifiers[i] = e.classifier.name();
            eventTimes[i] = SessionSql.utc(e.eventTime);
            receivedAt[i] = SessionSql.utc(e.receivedAt);
            delays[i] = e.delayMinutes;
            late[i] = e.late;
            outOfOrder[i] = e.outOfOrder;
            payloads[i] = e.payload;
            ceIds[i] = e.ceId;
            traceparents[i] = e.traceparent;
        }
        Object[] params = {ids, shipments, kinds, classifiers, eventTimes, receivedAt, delays, late, outOfOrder,
                SessionSql.utf8(payloads), ceIds, traceparents}; // the events' JSON as UTF-8 bytes: most of the bytes
        return SessionSql.select(skipping ? INSERT_ALL_SKIPPING : INSERT_ALL_RETURNING, params).invoke(inserted -> {
            if (!inserted.isEmpty()) {
                handOver.written(((Number) inserted.get(0)[1]).longValue(), logRows(entries, receivedAt, inserted));
            }
        });
    }

    /**
     * The inserted rows as the relay reads them from {@code outbox_rows} (V13): the CloudEvents id as its text, the
     * milestones topic and type, the shipment as the key, the payload, the trace, the time received as stored (to
     * the microsecond), with the transaction, number and partition the statement answered ({@code inserted}: event
     * id, txid, seq, part, in the order of the rows, else matched by event id).
     */
    private static List<LogRow> logRows(List<MilestoneEntry> entries, OffsetDateTime[] receivedAt,
            List<Object[]> inserted) {
        List<LogRow> rows = new java.util.ArrayList<>(inserted.size());
        java.util.Map<String, Integer> byId = null;
        for (int k = 0; k < inserted.size(); k++) {
            Object[] r = inserted.get(k);
            String id = (String) r[0];
            int i = k;
            if (inserted.size() != entries.size() || !id.equals(entries.get(k).eventId)) {
                if (byId == null) {
                    byId = new java.util.HashMap<>(entries.size() * 2);
                    for (int j = 0; j < entries.size(); j++) {
                        byId.put(entries.get(j).eventId, j);
                    }
                }
                i = byId.get(id);
            }
            MilestoneEntry e = entries.get(i);
            rows.add(new LogRow(((Number) r[2]).longValue(), ((Number) r[1]).longValue(), ((Number) r[3]).intValue(),
                    e.ceId, Topics.MILESTONES, e.shipmentId, MILESTONE_RECORDED, e.payload, e.traceparent,
                    receivedAt[i].truncatedTo(java.time.temporal.ChronoUnit.MICROS)));
        }
        return rows;
    }

    private static final String MILESTONE_RECORDED = com.logisync.contracts.EventType.MILESTONE_RECORDED.ceType();

    private static Set<String> firstColumn(List<Object[]> rows) {
        Set<String> values = new HashSet<>();
        rows.forEach(r -> values.add((String) r[0]));
        return values;
    }
}
