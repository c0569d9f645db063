package com.logisync.billing.service;

import com.logisync.billing.model.BillingAccessorial;
import com.logisync.billing.model.BillingCase;
import com.logisync.billing.model.BillingStop;
import com.logisync.billing.model.BillingStopEvent;
import com.logisync.contracts.event.MilestoneCorrected;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.runtime.repository.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Keeps each stop's detention charge right, in the consumer's transaction under the case lock: the
 * order's stops and appointments, every actual arrival and departure (with corrections), and from
 * them one accessorial per stop ({@code DETENTION:<shipment>:<stop>}) priced by {@link DetentionTariff}.
 * A charge is recomputed whenever one of its facts changes, until a document billed it; a stay that
 * no longer earns detention withdraws its charge.
 */
@ApplicationScoped
public class StopDetention {

    private static final Logger LOG = Logger.getLogger(StopDetention.class);
    public static final String WITHDRAWN = "WITHDRAWN";

    private static final String DELETE_STOPS = "delete from billing_stop where shipment_id = $1";
    private static final String INSERT_STOPS = "insert into billing_stop (stop_id, shipment_id, stop_sequence, stop_type,"
            + " window_start) select * from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[])"
            + " on conflict (stop_id) do update set stop_sequence = excluded.stop_sequence, stop_type = excluded.stop_type,"
            + " window_start = excluded.window_start";
    private static final String STOPS_OF = "select shipment_id, stop_id, stop_sequence, stop_type, window_start"
            + " from billing_stop where shipment_id = any($1::text[]) order by shipment_id, stop_sequence";
    private static final String RECORD_EVENTS = "insert into billing_stop_event (event_id, shipment_id, stop_sequence,"
            + " stop_type, kind, at) select * from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[],"
            + " $6::timestamptz[]) on conflict (event_id) do nothing returning shipment_id";
    private static final String VOID_EVENT = "update billing_stop_event set voided = true where event_id = $1";
    private static final String RETIME_EVENT = "update billing_stop_event set at = $2 where event_id = $1";
    /**
     * What a stay needs of a shipment's reports, however many it has: per stop, type and kind, the earliest valid
     * arrival and the latest valid departure (null when every report of the group was voided). A stop reported again
     * and again (a geofence's arrivals, a carrier's repeated 214s) costs a row per group, not per report: the rows of
     * {@code billing_stop_stay}, which triggers on {@code billing_stop_event} keep as reports are added, corrected
     * or deleted (V12). An aggregate over the reports themselves cost 12.5-13.0 µs per consumed event on the
     * benchmark's lifecycle mix, where stops collect hundreds (docs/benchmarks.md).
     */
    private static final String EVENTS_OF = "select shipment_id, stop_sequence, stop_type, kind, at"
            + " from billing_stop_stay where shipment_id = any($1::text[])";

    /*
     * The stops and the arrivals and departures are written and read with plain statements on the session's
     * connection (SessionSql), never as entities: a consumer batch holds hundreds of cases in its Hibernate session,
     * and every flush, explicit or before a query, walks all of them. A flush per order (its stops persisted, then
     * read back) made billing apply 47 orders/s (./logisync bench-view, docs/benchmarks.md). Nothing else reads or
     * writes these two tables.
     */

    /**
     * The order's stops (as released or last amended) replace those known. {@code replace}: the case may have stops
     * already (its lane was set before), so they are deleted first; a new case's order only inserts them (each
     * statement here is a round trip a batch waits for: the delete of nothing took 0.44 ms of PostgreSQL's time per
     * order while billing applied orders, docs/benchmarks.md). A stop id already there is updated, not refused.
     */
    public Uni<Void> stops(BillingCase b, List<Stop> stops, boolean replace) {
        int n = stops.size();
        String[] ids = new String[n];
        String[] shipments = new String[n];
        Integer[] sequences = new Integer[n];
        String[] types = new String[n];
        java.time.OffsetDateTime[] windows = new java.time.OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Stop stop = stops.get(i);
            ids[i] = b.shipmentId + ":" + stop.sequence();
            shipments[i] = b.shipmentId;
            sequences[i] = stop.sequence();
            types[i] = stop.type().name();
            windows[i] = SessionSql.utc(stop.window() == null ? null : stop.window().start());
        }
        Uni<Integer> deleted = replace ? SessionSql.update(DELETE_STOPS, b.shipmentId) : Uni.createFrom().item(0);
        return (n == 0 ? deleted : deleted.chain(() -> SessionSql.update(INSERT_STOPS, ids, shipments, sequences, types,
                windows))).replaceWithVoid();
    }

    /** An actual arrival or departure at a stop, written with the others of its batch ({@link #recordAll}). */
    public record StopReport(String eventId, String shipmentId, int stopSequence, String stopType, String kind,
            Instant at) {
    }

    /** The milestones that report an arrival or a departure at a stop: the stop's type and the report's kind. */
    private static final Map<MilestoneType, Map.Entry<StopType, String>> STOP_REPORTS = Map.of(
            MilestoneType.ARRIVED_PICKUP, Map.entry(StopType.PICKUP, BillingStopEvent.ARRIVAL),
            MilestoneType.DEPARTED_PICKUP, Map.entry(StopType.PICKUP, BillingStopEvent.DEPARTURE),
            MilestoneType.ARRIVED_DELIVERY, Map.entry(StopType.DELIVERY, BillingStopEvent.ARRIVAL),
            MilestoneType.DEPARTED_DELIVERY, Map.entry(StopType.DELIVERY, BillingStopEvent.DEPARTURE));

    /** Whether a milestone of this type, actual, makes a stop report ({@link #stopReport}). */
    public static boolean reportsStop(MilestoneType type) {
        return STOP_REPORTS.containsKey(type);
    }

    /** The stop report a milestone makes: an actual arrival or departure at a stop; null for any other milestone. */
    public static StopReport stopReport(String shipmentId, MilestoneRecorded m) {
        Map.Entry<StopType, String> stop = m.classifier() == Classifier.ACTUAL ? STOP_REPORTS.get(m.milestone()) : null;
        if (stop == null) {
            return null;
        }
        Integer sequence = m.location() != null && m.location().stopSequence() != null ? m.location().stopSequence()
                : m.enrichment() != null ? m.enrichment().stopSequence() : null;
        return new StopReport(m.eventId(), shipmentId, sequence == null ? 0 : sequence, stop.getKey().name(),
                stop.getValue(), m.eventTime().utc());
    }

    /**
     * Writes a batch's stop reports in one statement; the shipments that gained one. A redelivered report (or a
     * revision under the same id) finds its row and changes nothing: its time stands.
     */
    public Uni<java.util.Set<String>> recordAll(List<StopReport> reports) {
        if (reports.isEmpty()) {
            return Uni.createFrom().item(java.util.Set.of());
        }
        int n = reports.size();
        String[] ids = new String[n];
        String[] shipments = new String[n];
        Integer[] sequences = new Integer[n];
        String[] types = new String[n];
        String[] kinds = new String[n];
        java.time.OffsetDateTime[] times = new java.time.OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            StopReport r = reports.get(i);
            ids[i] = r.eventId();
            shipments[i] = r.shipmentId();
            sequences[i] = r.stopSequence();
            types[i] = r.stopType();
            kinds[i] = r.kind();
            times[i] = SessionSql.utc(r.at());
        }
        return SessionSql.select(RECORD_EVENTS, ids, shipments, sequences, types, kinds, times)
                .map(rows -> rows.stream().map(r -> (String) r[0]).collect(Collectors.toCollection(java.util.TreeSet::new)));
    }

    /** A correction of an arrival or departure: re-timed or voided; false when it corrects something else. */
    public Uni<Boolean> correct(MilestoneCorrected c) {
        Uni<Integer> changed = switch (c.action()) {
            case VOID -> SessionSql.update(VOID_EVENT, c.correctedEventId());
            case RETIME -> c.eventTime() == null ? Uni.createFrom().item(0)
                    : SessionSql.update(RETIME_EVENT, c.correctedEventId(), SessionSql.utc(c.eventTime().utc()));
            default -> Uni.createFrom().item(0);
        };
        return changed.map(n -> n > 0);
    }

    /** The stops of these shipments, by shipment, each list in stop order. */
    private static Uni<Map<String, List<BillingStop>>> stopsOf(String[] shipmentIds) {
        return SessionSql.select(STOPS_OF, (Object) shipmentIds).map(rows -> {
            Map<String, List<BillingStop>> byShipment = new java.util.HashMap<>();
            for (Object[] r : rows) {
                BillingStop stop = new BillingStop();
                stop.shipmentId = (String) r[0];
                stop.stopId = (String) r[1];
                stop.stopSequence = ((Number) r[2]).intValue();
                stop.stopType = (String) r[3];
                stop.windowStart = r[4] == null ? null : ((java.time.OffsetDateTime) r[4]).toInstant();
                byShipment.computeIfAbsent(stop.shipmentId, k -> new ArrayList<>()).add(stop);
            }
            return byShipment;
        });
    }

    /**
     * The arrivals and departures of these shipments, by shipment: per stop, type and kind the one that counts for a
     * stay ({@link #stays} takes the earliest arrival and the latest departure), voided when none is valid. A shipment
     * with reports, even voided ones only, is in the map: its charges are looked at again.
     */
    private static Uni<Map<String, List<BillingStopEvent>>> eventsOf(String[] shipmentIds) {
        return SessionSql.select(EVENTS_OF, (Object) shipmentIds).map(rows -> {
            Map<String, List<BillingStopEvent>> byShipment = new java.util.HashMap<>();
            for (Object[] r : rows) {
                BillingStopEvent e = new BillingStopEvent();
                e.shipmentId = (String) r[0];
                e.stopSequence = ((Number) r[1]).intValue();
                e.stopType = (String) r[2];
                e.kind = (String) r[3];
                e.at = r[4] == null ? null : ((java.time.OffsetDateTime) r[4]).toInstant();
                e.voided = e.at == null;
                byShipment.computeIfAbsent(e.shipmentId, k -> new ArrayList<>()).add(e);
            }
            return byShipment;
        });
    }

    /**
     * Every stop's stay from the stops and their reports: the earliest valid arrival and the latest
     * valid departure; a report without a stop sequence belongs to the first pickup or the last delivery stop.
     */
    public static List<DetentionTariff.Stay> stays(List<BillingStop> stops, List<BillingStopEvent> events) {
        Optional<BillingStop> firstPickup = stops.stream().filter(s -> StopType.PICKUP.name().equals(s.stopType))
                .min(Comparator.comparingInt(s -> s.stopSequence));
        Optional<BillingStop> lastDelivery = stops.stream().filter(s -> StopType.DELIVERY.name().equals(s.stopType))
                .max(Comparator.comparingInt(s -> s.stopSequence));
        List<DetentionTariff.Stay> stays = new ArrayList<>();
        for (BillingStop stop : stops) {
            boolean isDefault = firstPickup.map(p -> p == stop).orElse(false)
                    || lastDelivery.map(d -> d == stop).orElse(false);
            List<BillingStopEvent> at = events.stream().filter(e -> !e.voided)
                    .filter(e -> e.stopSequence == stop.stopSequence
                            || (e.stopSequence == 0 && isDefault && e.stopType.equals(stop.stopType)))
                    .toList();
            Instant arrived = at.stream().filter(e -> BillingStopEvent.ARRIVAL.equals(e.kind)).map(e -> e.at)
                    .min(Comparator.naturalOrder()).orElse(null);
            Instant departed = at.stream().filter(e -> BillingStopEvent.DEPARTURE.equals(e.kind)).map(e -> e.at)
                    .max(Comparator.naturalOrder()).orElse(null);
            if (arrived != null && departed != null) {
                stays.add(new DetentionTariff.Stay(stop.stopSequence, StopType.valueOf(stop.stopType), stop.windowStart,
                        arrived, departed));
            }
        }
        return stays;
    }

    /** The accessorial id of a stop's detention. */
    public static String accessorialId(String shipmentId, int stopSequence) {
        return "DETENTION:" + shipmentId + ":" + stopSequence;
    }

    /**
     * Recomputes every stop's detention charge under the contract (null: not known yet, nothing changes).
     * Returns whether a charge was created, changed or withdrawn.
     */
    public Uni<Boolean> recompute(BillingCase b, Contract contract, RoundingMode rounding) {
        return recomputeAll(List.of(b), x -> Uni.createFrom().item(contract), rounding).map(changed -> !changed.isEmpty());
    }

    /**
     * {@link #recompute} for the cases of a batch at once: their contracts (the repository keeps the versions it
     * read), then their arrivals and departures, their stops and their detention charges in one statement each,
     * whatever the number of cases; the charges created are written together. The shipments whose charges changed.
     */
    public Uni<java.util.Set<String>> recomputeAll(java.util.Collection<BillingCase> cases,
            Function<BillingCase, Uni<Contract>> contractOf, RoundingMode rounding) {
        Map<String, BillingCase> byId = new java.util.TreeMap<>();
        Map<String, Contract> contracts = new java.util.HashMap<>();
        return com.logisync.runtime.vertx.Sequential.each(cases, b -> contractOf.apply(b).invoke(contract -> {
            if (contract != null) {
                byId.put(b.shipmentId, b);
                contracts.put(b.shipmentId, contract);
            }
        }).replaceWithVoid()).chain(() -> byId.isEmpty() ? Uni.createFrom().item(Map.<String, List<BillingStopEvent>>of())
                : eventsOf(byId.keySet().toArray(String[]::new))).chain(events -> {
            // No arrival or departure was ever reported: no stay, so no detention charge was ever made or is due (the
            // common case of an order released or amended before its pickup), and the charges need not be read.
            String[] reported = byId.keySet().stream().filter(events::containsKey).toArray(String[]::new);
            if (reported.length == 0) {
                return Uni.createFrom().item(java.util.Set.<String>of());
            }
            return stopsOf(reported).chain(stops -> Panache.getSession().chain(s -> s.createQuery(
                            "from BillingAccessorial where shipmentId in :s and accessorialId like 'DETENTION:%'",
                            BillingAccessorial.class)
                    // Without the automatic flush before the query: in a consumer's batch it walked every case and
                    // charge of the batch. It needs none: the only writer of these rows is this method, which
                    // flushes what it creates at once (below), and a charge it changed is already in the session,
                    // whose instance the query answers.
                    .setFlushMode(jakarta.persistence.FlushModeType.COMMIT)
                    .setParameter("s", List.of(reported)).getResultList()
                    .chain(found -> {
                        Map<String, List<BillingAccessorial>> existing = new java.util.HashMap<>();
                        found.forEach(a -> existing.computeIfAbsent(a.shipmentId, k -> new ArrayList<>()).add(a));
                        List<BillingAccessorial> created = new ArrayList<>();
                        java.util.Set<String> changed = new java.util.TreeSet<>();
                        for (String id : reported) {
                            if (apply(byId.get(id), contracts.get(id), rounding,
                                    stays(stops.getOrDefault(id, List.of()), events.get(id)),
                                    existing.getOrDefault(id, List.of()), created)) {
                                changed.add(id);
                            }
                        }
                        return created.isEmpty() ? Uni.createFrom().item(changed)
                                : s.persistAll(created.toArray()).chain(s::flush).replaceWith(changed);
                    })));
        });
    }

    /** Brings the stored charges in line with the stays; new charges are added to {@code created}. */
    public static boolean apply(BillingCase b, Contract contract, RoundingMode rounding, List<DetentionTariff.Stay> stays,
            List<BillingAccessorial> existing, List<BillingAccessorial> created) {
        Map<String, BillingAccessorial> byId = existing.stream()
                .collect(Collectors.toMap(a -> a.accessorialId, Function.identity()));
        boolean changed = false;
        java.util.Set<String> assessed = new java.util.HashSet<>();
        for (DetentionTariff.Stay stay : stays) {
            String id = accessorialId(b.shipmentId, stay.stopSequence());
            assessed.add(id);
            DetentionTariff.Assessment a = DetentionTariff.assess(stay, contract, rounding);
            BillingAccessorial row = byId.get(id);
            if (row != null && row.billedIn != null) {
                if (row.quantity.compareTo(BigDecimal.valueOf(a.billableMinutes())) != 0) {
                    LOG.warnf("Detention of %s at stop %d is now %d min but was billed in %s as %s min: not changed",
                            b.shipmentId, stay.stopSequence(), a.billableMinutes(), row.billedIn, row.quantity);
                }
                continue;
            }
            if (!a.chargeable()) {
                changed |= withdraw(row, a.evidence());
                continue;
            }
            BigDecimal minutes = BigDecimal.valueOf(a.billableMinutes());
            if (row == null) {
                row = new BillingAccessorial();
                row.accessorialId = id;
                row.shipmentId = b.shipmentId;
                row.capturedAt = stay.departedAt(); // a fact, not processing time: any arrival order bills alike
                created.add(row);
            } else if (row.quantity.compareTo(minutes) == 0 && Objects.equals(row.evidence, trim(a.evidence()))
                    && !WITHDRAWN.equals(row.status)) {
                continue;
            }
            row.chargeCode = a.chargeCode();
            row.quantity = minutes;
            row.unit = "MINUTES";
            row.startedAt = stay.arrivedAt();
            row.endedAt = stay.departedAt();
            row.evidence = trim(a.evidence());
            if (row.decidedBy == null || "AUTO".equals(row.decidedBy) || WITHDRAWN.equals(row.status)) {
                AccessorialPolicy.Decision d = AccessorialPolicy.decide(new AccessorialPolicy.Claim(a.chargeCode(),
                        minutes, "MINUTES", true, null), contract);
                row.status = d.status();
                row.reason = d.reason();
                row.decidedBy = "APPROVED".equals(d.status()) ? "AUTO" : null;
                row.decidedAt = "APPROVED".equals(d.status()) ? Instant.now() : null;
            }
            LOG.infof("Detention of %s at stop %d: %s %s min, %s (%s)", b.shipmentId, stay.stopSequence(),
                    a.chargeCode(), minutes, row.status, a.evidence());
            changed = true;
        }
        for (BillingAccessorial row : existing) {
            if (!assessed.contains(row.accessorialId) && row.billedIn != null) {
                continue;
            }
            if (!assessed.contains(row.accessorialId)) {
                changed |= withdraw(row, "the stop no longer has a valid arrival and departure");
            }
        }
        return changed;
    }

    private static boolean withdraw(BillingAccessorial row, String why) {
        if (row == null || WITHDRAWN.equals(row.status)) {
            return false;
        }
        row.status = WITHDRAWN;
        row.reason = trim("recomputed: no billable detention (" + why + ")");
        row.decidedBy = "AUTO";
        row.decidedAt = Instant.now();
        LOG.infof("Detention %s withdrawn: %s", row.accessorialId, why);
        return true;
    }

    private static String trim(String s) {
        return s == null ? null : s.length() > 500 ? s.substring(0, 500) : s;
    }
}
