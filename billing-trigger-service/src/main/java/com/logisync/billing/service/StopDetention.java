package com.logisync.billing.service;

import com.logisync.billing.model.BillingAccessorial;
import com.logisync.billing.model.BillingCase;
import com.logisync.billing.model.BillingStop;
import com.logisync.billing.model.BillingStopEvent;
import com.logisync.contracts.event.MilestoneCorrected;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
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

    /** The order's stops (as released or last amended) replace those known. */
    public Uni<Void> stops(BillingCase b, List<Stop> stops) {
        return Panache.getSession().chain(s -> s.createQuery("delete from BillingStop where shipmentId = :s")
                .setParameter("s", b.shipmentId).executeUpdate()
                .chain(() -> {
                    List<BillingStop> rows = stops.stream().map(stop -> {
                        BillingStop row = new BillingStop();
                        row.stopId = b.shipmentId + ":" + stop.sequence();
                        row.shipmentId = b.shipmentId;
                        row.stopSequence = stop.sequence();
                        row.stopType = stop.type().name();
                        row.windowStart = stop.window() == null ? null : stop.window().start();
                        return row;
                    }).toList();
                    return s.persistAll(rows.toArray()).chain(s::flush);
                }));
    }

    /** Records an actual arrival or departure at a stop; false when the milestone is neither. */
    public Uni<Boolean> record(BillingCase b, MilestoneRecorded m) {
        if (m.classifier() != Classifier.ACTUAL) {
            return Uni.createFrom().item(false);
        }
        StopType type;
        String kind;
        switch (m.milestone()) {
            case ARRIVED_PICKUP -> { type = StopType.PICKUP; kind = BillingStopEvent.ARRIVAL; }
            case DEPARTED_PICKUP -> { type = StopType.PICKUP; kind = BillingStopEvent.DEPARTURE; }
            case ARRIVED_DELIVERY -> { type = StopType.DELIVERY; kind = BillingStopEvent.ARRIVAL; }
            case DEPARTED_DELIVERY -> { type = StopType.DELIVERY; kind = BillingStopEvent.DEPARTURE; }
            default -> {
                return Uni.createFrom().item(false);
            }
        }
        Integer sequence = m.location() != null && m.location().stopSequence() != null ? m.location().stopSequence()
                : m.enrichment() != null ? m.enrichment().stopSequence() : null;
        return Panache.getSession().chain(s -> s.find(BillingStopEvent.class, m.eventId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(false); // a revision of the same report: its time stands
            }
            BillingStopEvent e = new BillingStopEvent();
            e.eventId = m.eventId();
            e.shipmentId = b.shipmentId;
            e.stopSequence = sequence == null ? 0 : sequence;
            e.stopType = type.name();
            e.kind = kind;
            e.at = m.eventTime().utc();
            return s.persist(e).chain(s::flush).replaceWith(true);
        }));
    }

    /** A correction of an arrival or departure: re-timed or voided; false when it corrects something else. */
    public Uni<Boolean> correct(MilestoneCorrected c) {
        return Panache.getSession().chain(s -> s.find(BillingStopEvent.class, c.correctedEventId()).chain(e -> {
            if (e == null) {
                return Uni.createFrom().item(false);
            }
            switch (c.action()) {
                case VOID -> e.voided = true;
                case RETIME -> {
                    if (c.eventTime() == null) {
                        return Uni.createFrom().item(false);
                    }
                    e.at = c.eventTime().utc();
                }
                default -> {
                    return Uni.createFrom().item(false);
                }
            }
            return s.flush().replaceWith(true);
        }));
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
        if (contract == null) {
            return Uni.createFrom().item(false);
        }
        return Panache.getSession().chain(s -> s.createQuery("from BillingStop where shipmentId = :s", BillingStop.class)
                .setParameter("s", b.shipmentId).getResultList()
                .chain(stops -> s.createQuery("from BillingStopEvent where shipmentId = :s", BillingStopEvent.class)
                        .setParameter("s", b.shipmentId).getResultList()
                        .chain(events -> s.createQuery("from BillingAccessorial where shipmentId = :s"
                                        + " and accessorialId like :prefix", BillingAccessorial.class)
                                .setParameter("s", b.shipmentId)
                                .setParameter("prefix", "DETENTION:" + b.shipmentId + ":%").getResultList()
                                .chain(existing -> {
                                    List<BillingAccessorial> created = new ArrayList<>();
                                    boolean changed = apply(b, contract, rounding, stays(stops, events), existing,
                                            created);
                                    return created.isEmpty() ? Uni.createFrom().item(changed)
                                            : s.persistAll(created.toArray()).chain(s::flush).replaceWith(true);
                                }))));
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
