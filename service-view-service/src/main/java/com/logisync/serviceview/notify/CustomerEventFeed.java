package com.logisync.serviceview.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.InvoiceIssued;
import com.logisync.contracts.event.InvoiceRequested;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.runtime.repository.SessionSql;
import com.logisync.serviceview.model.ShipmentCase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The customer-facing event log. The projection adds an event for each recorded milestone (positions
 * excepted) and each invoice ERP issued; at the end of its batch, in its transaction, one statement
 * writes them to {@code customer_event} and, for the events seen for the first time, a delivery per
 * matching subscription ({@code delivery}, the outbox the {@link DeliverySender} works through). An event is told
 * once: a redelivered milestone adds no timeline row and so no event, an invoice told again finds its row (the
 * invoices' unique index), and a replay of the read model finds its milestones' rows through the unique index on
 * event ids it builds first ({@link FeedEventIdIndex}).
 */
@ApplicationScoped
public class CustomerEventFeed {

    public static final String INVOICE_ISSUED = "invoice.issued";

    /** Every type a subscription may select. */
    public static final Set<String> TYPES;
    static {
        Set<String> types = new TreeSet<>();
        for (MilestoneType m : MilestoneType.values()) {
            if (m != MilestoneType.POSITION) {
                types.add(type(m));
            }
        }
        types.add(INVOICE_ISSUED);
        TYPES = java.util.Collections.unmodifiableSet(types);
    }

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final ObjectMapper mapper;

    public CustomerEventFeed(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static String type(MilestoneType m) {
        return "shipment." + m.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The subscription type of a milestone: an estimated delivery is an ETA, not a delivery. */
    public static String typeOf(MilestoneType m, Classifier c) {
        if (m == MilestoneType.DELIVERED && c != Classifier.ACTUAL) {
            return type(MilestoneType.ETA_UPDATED);
        }
        return type(m);
    }

    /** An event not written yet: built when the projection applies it, its local time once the customer's zone is known. */
    public record Pending(String eventId, String customerId, String shipmentId, String type, Instant eventTime,
            Function<String, CustomerEvent> build) {
    }

    /** The customer event of a recorded milestone, as the case stands after it. */
    public Pending milestone(ShipmentCase view, MilestoneRecorded m) {
        Instant created = m.receivedAt() == null ? Instant.now() : m.receivedAt();
        String type = typeOf(m.milestone(), m.classifier());
        CustomerEvent.References refs = references(view, m.correlation());
        CustomerEvent.Place place = m.location() == null ? null : new CustomerEvent.Place(m.location().name(),
                m.location().locationCode(), m.location().address() == null ? null : m.location().address().city(),
                m.location().address() == null ? null : m.location().address().region(),
                m.location().address() == null ? null : m.location().address().country(), m.location().stopSequence(),
                m.location().stopType() == null ? null : m.location().stopType().name());
        CustomerEvent.Why why = m.reason() == null ? null : new CustomerEvent.Why(m.reason().code(),
                m.reason().sourceCode(), m.reason().sourceCodeList(), m.reason().description());
        CustomerEvent.Pod pod = m.pod() == null || !m.pod().isSigned() ? null : new CustomerEvent.Pod(m.pod().signedBy(),
                m.pod().signedAt(), m.pod().documentRef(), blankToNull(m.pod().osdNotes()));
        long delay = m.enrichment() == null ? 0 : m.enrichment().delayMinutes();
        Instant carrierEta = view.eta;
        Instant predicted = carrierEta == null ? com.logisync.serviceview.service.EtaPrediction.predicted(view.plannedDelivery, delay) : null;
        String[] known = zoneOf(view, m);
        String customerId = view.customerId != null ? view.customerId : m.correlation().customerId();
        String transport = transportCode(m.milestone());
        String shipmentCode = m.milestone() == MilestoneType.DELIVERED && m.classifier() == Classifier.ACTUAL ? "CMPL" : null;
        return new Pending(m.eventId(), customerId, view.shipmentId, type, m.eventTime().utc(), customerZone -> {
            String zone = known != null ? known[0] : customerZone;
            CustomerEvent.LocalTime local = zone == null ? null : new CustomerEvent.LocalTime(
                    local(m.eventTime().utc(), zone), zone, known != null ? known[1] : "CUSTOMER");
            CustomerEvent.Eta eta = carrierEta != null ? eta(carrierEta, "CARRIER", zone)
                    : predicted != null ? eta(predicted, "PREDICTED", zone) : null;
            return new CustomerEvent(m.eventId(), type, transport != null ? "TRANSPORT" : "SHIPMENT",
                    classifier(m.classifier()), m.eventTime().utc(), created.truncatedTo(ChronoUnit.MILLIS), transport,
                    shipmentCode, null, m.milestone().name(), view.shipmentId, customerId, refs, local, place, why,
                    eta, pod, null);
        });
    }

    /** The customer event of an invoice ERP issued, with the lines billing asked for (the same rating revision). */
    public Pending invoice(ShipmentCase view, InvoiceIssued issued, List<InvoiceRequested.Charge> charges) {
        return invoice(view, issued.correlation(), issued.idempotencyKey(), issued.invoiceId(), issued.currency(),
                issued.total(), issued.issuedAt(), charges, "INVOICE", null);
    }

    /**
     * The customer event of a document ERP issued (an invoice, a supplementary invoice): {@code invoice:<key>},
     * so the same document told twice (by its event and by billing's snapshot) is one event.
     */
    public Pending invoice(ShipmentCase view, Correlation correlation, String key, String invoiceId, String currency,
            java.math.BigDecimal total, Instant issuedAt, List<InvoiceRequested.Charge> charges, String kind,
            String originalInvoiceId) {
        String eventId = "invoice:" + key;
        List<CustomerEvent.Line> lines = charges == null ? List.of() : charges.stream().map(c -> new CustomerEvent.Line(
                c.code(), c.description(), c.quantity(), c.unit(), c.rate(), c.amount(), c.rateQualifier())).toList();
        CustomerEvent.References refs = references(view, correlation);
        String customerId = view.customerId != null ? view.customerId : correlation.customerId();
        return new Pending(eventId, customerId, view.shipmentId, INVOICE_ISSUED, issuedAt, zone ->
                new CustomerEvent(eventId, INVOICE_ISSUED, "SHIPMENT", "ACT", issuedAt, issuedAt, null,
                        "ISSU", "INV", null, view.shipmentId, customerId, refs,
                        zone == null ? null : new CustomerEvent.LocalTime(local(issuedAt, zone), zone, "CUSTOMER"),
                        null, null, null, null, new CustomerEvent.Invoice(invoiceId, currency, total, issuedAt, lines,
                                kind, originalInvoiceId)));
    }

    private static CustomerEvent.Eta eta(Instant at, String kind, String zone) {
        return new CustomerEvent.Eta(at, kind, zone == null ? null : local(at, zone), zone);
    }

    /**
     * The zone a milestone's local time is told in, and where it comes from: the report's own IANA zone
     * (REPORTED; an offset or UTC alone is not a place's zone), else the zone of the stop it happened at
     * (STOP: its location's stop type, or a pickup or delivery milestone), else null (the customer's then).
     */
    public static String[] zoneOf(ShipmentCase view, MilestoneRecorded m) {
        String reported = m.eventTime().zoneId();
        if (reported != null) {
            ZoneId zone = zone(reported);
            if (zone != null && !(zone instanceof java.time.ZoneOffset)) {
                return new String[] {reported, "REPORTED"};
            }
        }
        String zone = stopZone(view, m.milestone(), m.location() != null ? m.location().stopType() : null);
        return zone == null ? null : new String[] {zone, "STOP"};
    }

    /** The zone of the stop a milestone happened at: its location's stop type, or a pickup or delivery milestone. */
    public static String stopZone(ShipmentCase view, MilestoneType milestone, com.logisync.contracts.model.StopType stop) {
        if (view == null) {
            return null;
        }
        String name = milestone.name();
        boolean pickup = stop == com.logisync.contracts.model.StopType.PICKUP || stop == null && name.contains("PICKUP");
        boolean delivery = stop == com.logisync.contracts.model.StopType.DELIVERY || stop == null
                && (name.contains("DELIVER") || milestone == MilestoneType.REFUSED);
        return pickup ? view.pickupZone : delivery ? view.deliveryZone : null;
    }

    public static String local(Instant utc, String zone) {
        ZoneId id = zone(zone);
        if (id == null) {
            return null;
        }
        // Whole seconds, as LOCAL writes them; by position for the years it writes with four digits.
        java.time.LocalDateTime local = utc.atZone(id).toLocalDateTime().withNano(0);
        int year = local.getYear();
        return year >= 1 && year <= 9999 ? com.logisync.runtime.json.IsoTimes.format(local) : local.format(LOCAL);
    }

    /** Zones by name, or none for a name that is not a zone: ZoneId.of parses and looks up its rules on every call. */
    private static final java.util.concurrent.ConcurrentHashMap<String, java.util.Optional<ZoneId>> ZONES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The zone of that name, or null when it is none (bounded: at most 1,000 names are kept). */
    static ZoneId zone(String name) {
        java.util.Optional<ZoneId> known = ZONES.get(name);
        if (known == null) {
            ZoneId parsed;
            try {
                parsed = ZoneId.of(name);
            } catch (java.time.DateTimeException e) {
                parsed = null;
            }
            known = java.util.Optional.ofNullable(parsed);
            if (ZONES.size() < 1000) {
                ZONES.put(name, known);
            }
        }
        return known.orElse(null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static String classifier(Classifier c) {
        return switch (c) {
            case ACTUAL -> "ACT";
            case ESTIMATED -> "EST";
            default -> "PLN";
        };
    }

    /** DCSA's transport event codes: an arrival or a departure at a stop. */
    static String transportCode(MilestoneType m) {
        return switch (m) {
            case ARRIVED_PICKUP, ARRIVED_TERMINAL, ARRIVED_DELIVERY -> "ARRI";
            case DEPARTED_PICKUP, DEPARTED_TERMINAL, DEPARTED_DELIVERY -> "DEPA";
            default -> null;
        };
    }

    private static CustomerEvent.References references(ShipmentCase view, Correlation c) {
        Set<String> pos = new LinkedHashSet<>();
        Set<String> bols = new LinkedHashSet<>();
        Set<String> pros = new LinkedHashSet<>();
        for (ExternalReference r : c.references()) {
            if (r.type() == ReferenceType.PO) {
                pos.add(r.value());
            } else if (r.type() == ReferenceType.BOL) {
                bols.add(r.value());
            } else if (r.type() == ReferenceType.PRO) {
                pros.add(r.value());
            }
        }
        return new CustomerEvent.References(view.orderId != null ? view.orderId : c.orderId(), List.copyOf(pos),
                List.copyOf(bols), List.copyOf(pros), view.loadId != null ? view.loadId : c.loadId());
    }

    /**
     * The rows in the batch's order, their {@code feed_seq} taken as they come out of {@code unnest}, as milestone-service
     * numbers its log rows (MilestoneRepository). The arrays are unnested in the select list (a ProjectSet, row by row),
     * not in {@code from}: a function in {@code from} is materialized first, and a batch of 8,000 events' payloads
     * (6 MB) went beyond {@code work_mem} to a temporary file written and read back by every batch (741 blocks per
     * 8,000 rows; 187,389 in one phase alone; 345-365 against 281-302 ms per 8,000 rows with the arrays in the select
     * list, 2026-12-05: docs/benchmark-log.md). No {@code order by} the position either: that sorted the whole rows.
     */
    private static final String INSERT = "insert into customer_event (event_id, customer_id, shipment_id, event_type,"
            + " event_date_time, created_at, payload) select e, c, s, t, d, now(), convert_from(p, 'UTF8') from"
            + " (select unnest($1::text[]) as e, unnest($2::text[]) as c, unnest($3::text[]) as s,"
            + " unnest($4::text[]) as t, unnest($5::timestamptz[]) as d, unnest($6::bytea[]) as p) as u";

    /**
     * Untargeted: the arbiters are the unique indexes there are, the invoices' ({@code customer_event_invoice}) and,
     * while a replay needs it, the one on every event id ({@link FeedEventIdIndex}); an event the feed has is left
     * out either way.
     */
    private static final String WRITE = INSERT + " on conflict do nothing";

    /** A delivery keeps its event's feed position, the feed's primary key, by which the sender reads the event. */
    private static String fanOut(String write) {
        return "with added as (" + write
                + " returning event_id, customer_id, shipment_id, event_type, feed_xid, feed_seq)"
                + " insert into delivery (delivery_id, subscription_id, shipment_id, event_id, event_type, status,"
                + " next_attempt_at, created_at, feed_xid, feed_seq) select 'msg_' || md5(s.subscription_id || '/'"
                + " || a.event_id), s.subscription_id, a.shipment_id, a.event_id, a.event_type, 'PENDING', now(),"
                + " now(), a.feed_xid, a.feed_seq from added a"
                + " join subscription s on s.customer_id = a.customer_id and s.deleted_at is null"
                + " and a.event_type = any(s.event_types) order by a.feed_seq, s.subscription_id"
                + " on conflict (delivery_id) do nothing";
    }

    private static final String WRITE_AND_FAN_OUT = fanOut(WRITE);

    /** The same for events the feed cannot have yet: no speculative insertion per row. */
    private static final String WRITE_NEW_AND_FAN_OUT = fanOut(INSERT);

    /** The key types whose values a customer event lists among its references. */
    public static final java.util.Set<String> REFERENCE_TYPES = java.util.Set.of("PO", "BOL", "PRO");

    /**
     * Writes the batch's customer events (customer zones by customer id; the shipments' PO, BOL and PRO
     * numbers by shipment and type, each list in order) and, unless the read model is being replayed, the
     * deliveries of the new ones: one statement. Live, a batch of milestones' events is written without
     * {@code on conflict}: its speculative insertion cost 2.5 of the row's 14-15 µs of PostgreSQL
     * (docs/benchmark-log.md, twenty-eighth session), and the feed cannot have them (see {@link #onlyNewMilestones}).
     * Should it have one after all, the statement fails, and with it the batch's transaction; the consumer retries
     * the batch, and for {@link #CONFLICTS_CHECKED_FOR} every batch is written with {@code on conflict}, so the
     * events the feed had get no delivery again. That can only happen while the feed has its unique index on event
     * ids: a replay builds it before it restores the timeline behind the feed ({@link FeedEventIdIndex}).
     */
    public Uni<Void> write(List<Pending> pending, java.util.Map<String, String> zones,
            java.util.Map<String, ? extends java.util.Map<String, ? extends java.util.Collection<String>>> keys,
            boolean fanOut) {
        if (pending.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = pending.size();
        String[] ids = new String[n];
        String[] customers = new String[n];
        String[] shipmentIds = new String[n];
        String[] types = new String[n];
        java.time.OffsetDateTime[] times = new java.time.OffsetDateTime[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Pending p = pending.get(i);
            ids[i] = p.eventId();
            customers[i] = p.customerId();
            shipmentIds[i] = p.shipmentId();
            types[i] = p.type();
            times[i] = SessionSql.utc(p.eventTime());
            CustomerEvent event = p.build().apply(p.customerId() == null ? null : zones.get(p.customerId()));
            java.util.Map<String, ? extends java.util.Collection<String>> known = keys.get(p.shipmentId());
            CustomerEvent told = known == null ? event.withKnownReferences(null, null, null)
                    : event.withKnownReferences(list(known.get("PO")), list(known.get("BOL")), list(known.get("PRO")));
            // Stored compact when it can be (CustomerEventJson#compact): the row's bytes are service-view's cost.
            payloads[i] = CustomerEventJson.compacts(told, ids[i], types[i], shipmentIds[i], customers[i])
                    ? CustomerEventJson.compact(told) : payload(told);
        }
        // The payloads as UTF-8 bytes (SessionSql.utf8): most of the statement's bytes.
        Object[] params = {ids, customers, shipmentIds, types, times, SessionSql.utf8(payloads)};
        if (!fanOut || !onlyNewMilestones(pending) || System.currentTimeMillis() < conflictsCheckedUntil) {
            return SessionSql.update(fanOut ? WRITE_AND_FAN_OUT : WRITE, params).replaceWithVoid();
        }
        return SessionSql.update(WRITE_NEW_AND_FAN_OUT, params)
                .onFailure(CustomerEventFeed::alreadyInTheFeed).transform(e -> {
                    conflictsCheckedUntil = System.currentTimeMillis() + CONFLICTS_CHECKED_FOR.toMillis();
                    return new com.logisync.runtime.messaging.RetryBatchException("The customer feed had one of a"
                            + " batch's milestones already (a restore of the read model left it ahead of the timeline):"
                            + " the batch is retried, and for " + CONFLICTS_CHECKED_FOR.toMinutes() + " minutes every"
                            + " batch is written with on conflict (" + ((ConstraintViolationException) e)
                            .getConstraintName() + ")", e);
                })
                .replaceWithVoid();
    }

    /** How long batches are written with {@code on conflict} after the feed was found to have one of them. */
    static final java.time.Duration CONFLICTS_CHECKED_FOR = java.time.Duration.ofMinutes(10);

    /** Until when (epoch millis) every batch is written with {@code on conflict}. */
    private volatile long conflictsCheckedUntil;

    /**
     * A unique violation: the only one the insert can meet is on the event id, the invoices' index aside (a batch with
     * an invoice is written with {@code on conflict}); a NOT NULL one is a bug, not this.
     */
    static boolean alreadyInTheFeed(Throwable failure) {
        return failure instanceof ConstraintViolationException violation && "23505".equals(violation.getSQLState());
    }

    /** Until when the feed is written with {@code on conflict} whatever the batch (for tests). */
    public java.time.Instant conflictsCheckedUntil() {
        return java.time.Instant.ofEpochMilli(conflictsCheckedUntil);
    }

    /**
     * Whether every event is a milestone's: the projection adds one only for a milestone whose timeline row the
     * batch wrote, and both rows are written in one transaction, so the feed cannot have it, unless a restore of
     * the read model left the feed ahead of the timeline (a snapshot older than the feed, the timeline being
     * replayed). An invoice's event is told twice by design (its event and billing's snapshot).
     */
    static boolean onlyNewMilestones(List<Pending> pending) {
        for (Pending p : pending) {
            if (INVOICE_ISSUED.equals(p.type())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> list(java.util.Collection<String> values) {
        return values == null ? null : List.copyOf(values);
    }

    /** The customers of these events, for one lookup of their zones. */
    public static List<String> customers(List<Pending> pending) {
        List<String> ids = new ArrayList<>();
        for (Pending p : pending) {
            if (p.customerId() != null && !ids.contains(p.customerId())) {
                ids.add(p.customerId());
            }
        }
        return ids;
    }

    /**
     * The JSON of a feed row's event: its stored text, or the text of its compact form with the row's event id,
     * type, shipment and customer ({@link CustomerEventJson#expand}). Every reader of {@code customer_event.payload}
     * goes through this.
     */
    public static String json(String stored, String eventId, String type, String shipmentId, String customerId) {
        return CustomerEventJson.expand(stored, eventId, type, shipmentId, customerId);
    }

    /** The event's JSON: written field by field for a milestone's, by the mapper for an invoice's. */
    String payload(CustomerEvent event) {
        if (!CustomerEventJson.handles(event)) {
            return json(event);
        }
        return CustomerEventJson.write(event);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
