package com.logisync.milestone.edi;

import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.StopType;
import com.logisync.milestone.partner.PartnerProfiles.PartnerProfile;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.milestone.service.LocationZones;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps one X12 214 transaction to canonical milestones, following the X12 code lists (element 1650
 * for AT7-01 statuses, 1652 for AT7-03 appointments, 1651 for both reasons, 623 for time codes):
 * B10 and L11 give the shipment's keys, each LX loop is a stop with one or more AT7 statuses, MS1 the
 * place (city/state or DDDMMSS longitude/latitude), K1 remarks, AT7-05/06/07 the time.
 * <ul>
 * <li>A status that cannot be used (unknown code, no time, bad date) is reported as an error of its
 * own; the valid statuses beside it are recorded (the transaction is "accepted with errors"). Only a
 * transaction that yields nothing, or whose envelope or references are broken, is rejected.</li>
 * <li>A time without a zone code, or {@code LT}, is local to the reporting location: coordinates or
 * a city and state resolve its zone; otherwise the stop's zone (for a status at a stop) or an assumed
 * zone is applied later, and the event says which.</li>
 * <li>The event id depends on what the status says (shipment reference, status, time, stop), not on
 * the envelope's control numbers, so a file re-sent with a new ISA13 yields the same ids.</li>
 * </ul>
 */
public final class X12Status214 {

    /** A status code's canonical meaning; {@code reason} is the canonical reason the code itself implies. */
    record Status(MilestoneType milestone, Classifier classifier, StopType stop, String reason) {
    }

    static final Map<String, Status> STATUS = new HashMap<>();
    static {
        put("X3", MilestoneType.ARRIVED_PICKUP, Classifier.ACTUAL, StopType.PICKUP, null);
        put("X8", MilestoneType.ARRIVED_PICKUP, Classifier.ACTUAL, StopType.PICKUP, null);
        put("L1", MilestoneType.ARRIVED_PICKUP, Classifier.ACTUAL, StopType.PICKUP, null); // loading
        put("AA", MilestoneType.ARRIVED_PICKUP, Classifier.ESTIMATED, StopType.PICKUP, null); // estimated pick-up
        put("CP", MilestoneType.LOADING_COMPLETED, Classifier.ACTUAL, StopType.PICKUP, null);
        put("AM", MilestoneType.LOADING_COMPLETED, Classifier.ACTUAL, StopType.PICKUP, null); // loaded on truck
        put("CL", MilestoneType.LOADING_COMPLETED, Classifier.ACTUAL, StopType.PICKUP, null); // trailer closed out
        put("AF", MilestoneType.DEPARTED_PICKUP, Classifier.ACTUAL, StopType.PICKUP, null);
        put("XB", MilestoneType.DISPATCHED, Classifier.ACTUAL, null, null); // shipment acknowledged
        put("X6", MilestoneType.IN_TRANSIT, Classifier.ACTUAL, null, null);
        put("J1", MilestoneType.IN_TRANSIT, Classifier.ACTUAL, null, "INTERLINE"); // delivered to connecting line
        put("R1", MilestoneType.IN_TRANSIT, Classifier.ACTUAL, null, "INTERLINE"); // received from prior carrier
        put("BA", MilestoneType.IN_TRANSIT, Classifier.ACTUAL, null, "INTERLINE"); // connecting line pick-up
        put("AN", MilestoneType.IN_TRANSIT, Classifier.ACTUAL, null, "DIVERTED_TO_AIR");
        put("K1", MilestoneType.IN_TRANSIT, Classifier.ACTUAL, null, "CUSTOMS"); // arrived at customs
        put("X4", MilestoneType.ARRIVED_TERMINAL, Classifier.ACTUAL, StopType.TERMINAL, null);
        put("AR", MilestoneType.ARRIVED_TERMINAL, Classifier.ACTUAL, StopType.TERMINAL, null); // rail ramp arrival
        put("I1", MilestoneType.ARRIVED_TERMINAL, Classifier.ACTUAL, StopType.TERMINAL, null); // in-gate
        put("AV", MilestoneType.ARRIVED_TERMINAL, Classifier.ACTUAL, StopType.TERMINAL, "AVAILABLE_FOR_DELIVERY");
        put("B6", MilestoneType.ARRIVED_TERMINAL, Classifier.ESTIMATED, StopType.TERMINAL, null);
        put("P1", MilestoneType.DEPARTED_TERMINAL, Classifier.ACTUAL, StopType.TERMINAL, null);
        put("RL", MilestoneType.DEPARTED_TERMINAL, Classifier.ACTUAL, StopType.TERMINAL, null); // rail ramp departure
        put("OA", MilestoneType.DEPARTED_TERMINAL, Classifier.ACTUAL, StopType.TERMINAL, null); // out-gate
        put("C1", MilestoneType.DEPARTED_TERMINAL, Classifier.ESTIMATED, StopType.TERMINAL, null);
        put("AJ", MilestoneType.OUT_FOR_DELIVERY, Classifier.ACTUAL, StopType.DELIVERY, null); // tendered for delivery
        put("X1", MilestoneType.ARRIVED_DELIVERY, Classifier.ACTUAL, StopType.DELIVERY, null);
        put("X5", MilestoneType.ARRIVED_DELIVERY, Classifier.ACTUAL, StopType.DELIVERY, null);
        put("S1", MilestoneType.ARRIVED_DELIVERY, Classifier.ACTUAL, StopType.DELIVERY, "TRAILER_SPOTTED");
        put("D1", MilestoneType.DELIVERED, Classifier.ACTUAL, StopType.DELIVERY, null);
        put("CD", MilestoneType.DEPARTED_DELIVERY, Classifier.ACTUAL, StopType.DELIVERY, null);
        put("AG", MilestoneType.ETA_UPDATED, Classifier.ESTIMATED, StopType.DELIVERY, null);
        put("X2", MilestoneType.ETA_UPDATED, Classifier.ESTIMATED, StopType.DELIVERY, null);
        put("SD", MilestoneType.DELAYED, Classifier.ACTUAL, null, null);
        put("PR", MilestoneType.DELAYED, Classifier.ACTUAL, null, "CUSTOMS"); // US customs hold
        put("BC", MilestoneType.DELAYED, Classifier.ACTUAL, null, "STORAGE_IN_TRANSIT");
        put("A9", MilestoneType.EXCEPTION, Classifier.ACTUAL, null, "DAMAGE");
        put("A3", MilestoneType.EXCEPTION, Classifier.ACTUAL, null, "RETURNED_TO_SHIPPER");
        put("AI", MilestoneType.EXCEPTION, Classifier.ACTUAL, null, "RECONSIGNED");
        put("OO", MilestoneType.EXCEPTION, Classifier.ACTUAL, null, "PAPERWORK_ONLY");
        // The carrier cancelled its part (a load tender withdrawn): an exception on the load, never the
        // shipment's cancellation (ERP cancels orders), and never a status that outranks DELIVERED.
        put("CA", MilestoneType.EXCEPTION, Classifier.ACTUAL, null, "CARRIER_CANCELLED");
        put("AH", MilestoneType.DELIVERY_ATTEMPTED, Classifier.ACTUAL, StopType.DELIVERY, null);
        put("AP", MilestoneType.DELIVERY_NOT_COMPLETED, Classifier.ACTUAL, StopType.DELIVERY, null);
        put("A7", MilestoneType.REFUSED, Classifier.ACTUAL, StopType.DELIVERY, null);
    }

    private static void put(String code, MilestoneType type, Classifier classifier, StopType stop, String reason) {
        STATUS.put(code, new Status(type, classifier, stop, reason));
    }

    /** The codes this mapping understands (docs/channels.md lists them). */
    public static Set<String> statusCodes() {
        return Set.copyOf(STATUS.keySet());
    }

    /** Element 1651 reasons (AT7-02 for a status, AT7-04 for an appointment) to canonical reasons. */
    static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("AO", "WEATHER"), Map.entry("AF", "ACCIDENT"), Map.entry("AI", "MECHANICAL"),
            Map.entry("AG", "CONSIGNEE_RELATED"), Map.entry("AM", "SHIPPER_RELATED"),
            Map.entry("AJ", "OTHER_CARRIER_RELATED"), Map.entry("AH", "DRIVER_RELATED"),
            Map.entry("BE", "ROAD_CONDITIONS"), Map.entry("A1", "MISSED_DELIVERY"), Map.entry("AY", "MISSED_PICKUP"),
            Map.entry("B1", "CONSIGNEE_CLOSED"), Map.entry("AN", "HOLIDAY_CLOSED"),
            Map.entry("D2", "DRIVER_NOT_AVAILABLE"), Map.entry("T3", "TRAILER_NOT_AVAILABLE"),
            Map.entry("T2", "TRACTOR_NOT_AVAILABLE"), Map.entry("CA", "CUSTOMS"), Map.entry("AS", "CUSTOMS"),
            Map.entry("BD", "CUSTOMS"), Map.entry("AR", "CUSTOMS"), Map.entry("A2", "INCORRECT_ADDRESS"),
            Map.entry("A5", "UNABLE_TO_LOCATE"), Map.entry("AQ", "RECIPIENT_UNAVAILABLE"),
            Map.entry("AD", "CUSTOMER_REQUESTED_FUTURE_DELIVERY"), Map.entry("BS", "REFUSED_BY_CUSTOMER"),
            Map.entry("BT", "RETURNED_TO_SHIPPER"), Map.entry("C2", "CREDIT_HOLD"), Map.entry("AW", "PAST_CUT_OFF"),
            Map.entry("BH", "INSUFFICIENT_TIME"), Map.entry("T7", "INSUFFICIENT_TIME"), Map.entry("AA", "MIS_SORT"),
            Map.entry("D1", "CARRIER_DISPATCH_ERROR"), Map.entry("P1", "PROCESSING_DELAY"),
            Map.entry("BC", "MISSING_DOCUMENTS"), Map.entry("RC", "RECONSIGNED"),
            // Damage, whatever the carrier's wording: the same canonical reason as A9.
            Map.entry("AK", "DAMAGE"),
            Map.entry("BG", "OTHER"));

    /** Element 1651 codes that say "nothing unusual": no reason is recorded. */
    private static final Set<String> NORMAL = Set.of("NS", "NA");

    /** Element 623 time codes with a fixed offset or a zone; absent or LT means the reporting location's time. */
    static final Map<String, ZoneId> TIME_CODES = new HashMap<>();
    static {
        TIME_CODES.put("UT", ZoneOffset.UTC);
        TIME_CODES.put("GM", ZoneOffset.UTC);
        zone("E", -5, "America/New_York");
        zone("C", -6, "America/Chicago");
        zone("M", -7, "America/Denver");
        zone("P", -8, "America/Los_Angeles");
        zone("A", -9, "America/Anchorage");
        zone("H", -10, "Pacific/Honolulu");
        zone("T", -4, "America/Halifax"); // Atlantic: TS, TD, TT
        TIME_CODES.put("NS", ZoneOffset.ofHoursMinutes(-3, -30));
        TIME_CODES.put("ND", ZoneOffset.ofHoursMinutes(-2, -30));
        TIME_CODES.put("NT", ZoneId.of("America/St_Johns"));
        // 01-12 are ISO P01-P12 (UTC+1 to +12), 13-24 are M12 to M01 (UTC-12 to -1).
        for (int n = 1; n <= 24; n++) {
            TIME_CODES.put(String.format("%02d", n), ZoneOffset.ofHours(n <= 12 ? n : n - 25));
        }
    }

    private static void zone(String letter, int standardHours, String zone) {
        TIME_CODES.put(letter + "S", ZoneOffset.ofHours(standardHours));
        TIME_CODES.put(letter + "D", ZoneOffset.ofHours(standardHours + 1));
        TIME_CODES.put(letter + "T", ZoneId.of(zone));
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    /**
     * The milestones of a transaction; {@code rejected} reasons (then none of its statuses is used), and
     * {@code errors} of single segments, as an acknowledgement reports them.
     */
    public record Result(List<MilestoneRequest> milestones, List<String> rejected, List<X12SegmentError> errors,
            String rejectCode) {

        public boolean isRejected() {
            return !rejected.isEmpty();
        }

        /** Every problem in words, for the JSON acknowledgement. */
        public List<String> messages() {
            List<String> all = new ArrayList<>();
            errors.forEach(e -> all.add(e.message()));
            all.addAll(rejected);
            return all.stream().distinct().toList();
        }
    }

    /** What the mapping needs besides the transaction: who sends, its profile, and zone lookups. */
    public record Context(String partnerId, PartnerProfile profile, LocationZones zones) {
    }

    private X12Status214() {
    }

    public static Result map(Context context, X12Interchange.Transaction tx) {
        List<String> rejected = new ArrayList<>(tx.errors());
        List<X12SegmentError> errors = new ArrayList<>();
        X12Interchange.Segment st = tx.segments().get(0);
        int first = st.position();
        if (!"214".equals(tx.type())) {
            rejected.add("ST01 " + tx.type() + " is not a 214 (shipment status)");
            return new Result(List.of(), rejected, errors, "1");
        }
        if (!rejected.isEmpty()) {
            return new Result(List.of(), rejected, errors, rejected.stream().anyMatch(r -> r.startsWith("SE01")) ? "4" : "3");
        }
        String pro = null;
        String bol = null;
        String po = null;
        String load = null;
        Map<String, String> parties = new HashMap<>();
        List<Pending> pending = new ArrayList<>();
        Pending loop = null;
        boolean b10 = false;
        for (X12Interchange.Segment s : tx.segments()) {
            switch (s.tag()) {
                case "B10" -> {
                    b10 = true;
                    pro = s.element(1);
                    bol = s.element(2);
                }
                case "L11" -> {
                    String value = s.element(1);
                    String qualifier = s.element(2);
                    if (loop != null && "QN".equals(qualifier)) {
                        loop.stopSequence = parseInt(value);
                    } else if ("BM".equals(qualifier)) {
                        bol = value;
                    } else if ("PO".equals(qualifier)) {
                        po = value;
                    } else if ("CN".equals(qualifier)) {
                        pro = pro == null ? value : pro;
                    } else if ("LO".equals(qualifier)) {
                        load = value;
                    }
                }
                case "N1" -> {
                    if (s.element(1) != null && s.element(2) != null) {
                        parties.putIfAbsent(s.element(1), s.element(2));
                    }
                }
                case "LX" -> {
                    loop = new Pending();
                    loop.lx = s.element(1);
                    pending.add(loop);
                }
                case "AT7" -> {
                    if (loop == null) {
                        errors.add(X12SegmentError.segment("AT7", s.position() - first + 1, "2",
                                "AT7 at segment " + s.position() + " is outside an LX loop"));
                    } else {
                        loop.statuses.add(s);
                    }
                }
                case "MS1" -> {
                    if (loop != null) {
                        loop.ms1 = s;
                    }
                }
                case "K1" -> {
                    if (loop != null) {
                        loop.remarks.add(String.join(" ", nonNull(s.element(1), s.element(2))).trim());
                    }
                }
                default -> {
                }
            }
        }
        if (!b10) {
            rejected.add("B10 (carrier reference and BOL) is missing");
            errors.add(X12SegmentError.segment("B10", 2, "3", "B10 is missing"));
        }
        if (pro == null && bol == null && po == null && load == null) {
            rejected.add("No shipment reference: B10-01/B10-02 and L11 (BM, PO, CN, LO) are all missing");
        }
        if (pending.stream().allMatch(p -> p.statuses.isEmpty())) {
            rejected.add("No AT7 status in the transaction");
        }
        if (!rejected.isEmpty()) {
            return new Result(List.of(), rejected.stream().distinct().toList(), errors, "5");
        }
        MilestoneRequest.Keys keys = new MilestoneRequest.Keys(null, null, load, bol, pro, po);
        String reference = pro != null ? pro : bol != null ? bol : load != null ? load : po;
        List<MilestoneRequest> out = new ArrayList<>();
        for (Pending p : pending) {
            for (X12Interchange.Segment at7 : p.statuses) {
                MilestoneRequest m = status(context, keys, reference, p, parties, at7, first, errors);
                if (m != null) {
                    out.add(m);
                }
            }
        }
        if (out.isEmpty()) {
            return new Result(List.of(), List.of("None of the transaction's statuses can be used"), errors, "5");
        }
        return new Result(out, List.of(), errors, null);
    }

    private static final class Pending {
        String lx;
        Integer stopSequence;
        X12Interchange.Segment ms1;
        final List<X12Interchange.Segment> statuses = new ArrayList<>();
        final List<String> remarks = new ArrayList<>();
    }

    private static MilestoneRequest status(Context context, MilestoneRequest.Keys keys, String reference, Pending loop,
            Map<String, String> parties, X12Interchange.Segment at7, int first, List<X12SegmentError> errors) {
        String code = at7.element(1);
        String appointment = at7.element(3);
        String where = "AT7 in LX " + loop.lx + " (segment " + at7.position() + ")";
        Status status;
        String sourceCode;
        if (code != null && appointment != null) {
            errors.add(X12SegmentError.element(at7, first, 3, "1652", "10", appointment,
                    where + " carries both AT7-01 and AT7-03; only one is allowed"));
            return null;
        } else if (code != null) {
            status = STATUS.get(code);
            if (status == null && partialDeliveryCodes(context).contains(code)) {
                status = new Status(MilestoneType.DELIVERY_NOT_COMPLETED, Classifier.ACTUAL, StopType.DELIVERY,
                        "PARTIAL_DELIVERY");
            }
            sourceCode = code;
            if (status == null) {
                errors.add(X12SegmentError.element(at7, first, 1, "1650", "7", code,
                        where + ": AT7-01 '" + code + "' is not a known shipment status code"));
                return null;
            }
        } else if ("AA".equals(appointment) || "AB".equals(appointment)) {
            status = new Status(MilestoneType.APPOINTMENT_SET, Classifier.PLANNED,
                    "AA".equals(appointment) ? StopType.PICKUP : StopType.DELIVERY, null);
            sourceCode = appointment;
        } else if (appointment != null) {
            errors.add(X12SegmentError.element(at7, first, 3, "1652", "7", appointment,
                    where + ": AT7-03 '" + appointment + "' is not a known appointment code"));
            return null;
        } else {
            errors.add(X12SegmentError.element(at7, first, 1, "1650", "2", null,
                    where + ": neither AT7-01 nor AT7-03 is given"));
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(at7.element(5) == null ? "" : at7.element(5), DATE);
        } catch (DateTimeParseException e) {
            errors.add(X12SegmentError.element(at7, first, 5, "373", at7.element(5) == null ? "1" : "8", at7.element(5),
                    where + ": AT7-05 '" + at7.element(5) + "' is not a date CCYYMMDD"));
            return null;
        }
        String hhmm = at7.element(6);
        if (hhmm == null) {
            // A status without a time is an error, never midnight.
            errors.add(X12SegmentError.element(at7, first, 6, "337", "1", null,
                    where + ": AT7-06 (time) is missing; a status needs its time"));
            return null;
        }
        LocalDateTime local;
        try {
            local = date.atTime(LocalTime.of(Integer.parseInt(hhmm.substring(0, 2)), Integer.parseInt(hhmm.substring(2, 4)),
                    hhmm.length() >= 6 ? Integer.parseInt(hhmm.substring(4, 6)) : 0));
        } catch (RuntimeException e) {
            errors.add(X12SegmentError.element(at7, first, 6, "337", "9", hhmm,
                    where + ": AT7-06 '" + hhmm + "' is not a time HHMM"));
            return null;
        }
        String timeCode = at7.element(7);
        java.time.OffsetDateTime eventTime = null;
        LocalDateTime localEventTime = null;
        String localZone = null;
        Location location = location(loop, status.stop());
        if (timeCode == null || "LT".equals(timeCode)) {
            localEventTime = local;
            localZone = reportingZone(context, location).map(ZoneId::getId).orElse(null);
        } else if (TIME_CODES.containsKey(timeCode)) {
            eventTime = local.atZone(TIME_CODES.get(timeCode)).toOffsetDateTime();
        } else {
            errors.add(X12SegmentError.element(at7, first, 7, "623", "7", timeCode,
                    where + ": AT7-07 time code '" + timeCode + "' is not an X12 time code"));
            return null;
        }
        String reasonCode = code != null ? at7.element(2) : at7.element(4);
        String canonical = status.reason() != null ? status.reason()
                : reasonCode == null || NORMAL.contains(reasonCode) ? null : REASONS.getOrDefault(reasonCode, "OTHER");
        Reason reason = canonical == null ? null : new Reason(canonical, reasonCode, "X12-1651",
                status.reason() != null && reasonCode != null && !NORMAL.contains(reasonCode)
                        ? "status " + code + ", reason " + reasonCode + " (" + REASONS.getOrDefault(reasonCode, "OTHER") + ")"
                        : null);
        String sourceEventId = reference + "/" + sourceCode + "/" + DateTimeFormatter.ofPattern("yyyyMMddHHmm").format(local)
                + "/" + (loop.stopSequence != null ? "S" + loop.stopSequence : "LX" + loop.lx);
        MilestoneRequest.Pod pod = status.milestone() == MilestoneType.DELIVERED ? pod(context, loop, parties) : null;
        return new MilestoneRequest(sourceEventId, SourceSystem.X12_214, context.partnerId(), status.milestone(),
                status.classifier(), eventTime, sourceCode, keys, location, reason, pod, localEventTime, localZone);
    }

    /** The zone of the place the status was reported from: coordinates first, then city and state. */
    private static Optional<ZoneId> reportingZone(Context context, Location location) {
        if (location == null) {
            return Optional.empty();
        }
        Optional<ZoneId> byPoint = context.zones() == null ? Optional.empty()
                : context.zones().at(location.latitude(), location.longitude());
        if (byPoint.isPresent()) {
            return byPoint;
        }
        return location.address() == null ? Optional.empty()
                : LocationZones.of(location.address().city(), location.address().region());
    }

    /**
     * The POD signer of a D1, where the partner's profile says its 214 carries it: a K1 remark of the
     * status's loop (after the configured prefix), or N1-02 of a party loop with the configured entity code.
     */
    static MilestoneRequest.Pod pod(Context context, Pending loop, Map<String, String> parties) {
        if (context.profile() == null || context.profile().x12() == null) {
            return null;
        }
        String rule = context.profile().x12().podSigner();
        String signer = null;
        if ("K1".equalsIgnoreCase(rule)) {
            String prefix = context.profile().x12().podSignerPrefix();
            for (String remark : loop.remarks) {
                String r = remark.trim();
                if (prefix == null || r.toUpperCase(Locale.ROOT).startsWith(prefix.toUpperCase(Locale.ROOT))) {
                    signer = (prefix == null ? r : r.substring(prefix.length())).replaceFirst("^[:\\s]+", "").trim();
                    break;
                }
            }
        } else if (rule != null && rule.toUpperCase(Locale.ROOT).startsWith("N1:")) {
            signer = parties.get(rule.substring(3).trim().toUpperCase(Locale.ROOT));
        }
        return signer == null || signer.isBlank() ? null : new MilestoneRequest.Pod(signer, null, null, null);
    }

    /** Partial delivery has no code in the 4010 list: a partner that sends one names it in its profile. */
    private static Set<String> partialDeliveryCodes(Context context) {
        if (context.profile() == null || context.profile().x12() == null) {
            return Set.of();
        }
        return Set.copyOf(context.profile().x12().partialDeliveryCodes());
    }

    private static Location location(Pending loop, StopType stop) {
        X12Interchange.Segment ms1 = loop.ms1;
        if (ms1 == null) {
            return loop.stopSequence == null && stop == null ? null
                    : new Location(null, null, null, null, null, loop.stopSequence, stop);
        }
        String city = ms1.element(1);
        String state = ms1.element(2);
        Double longitude = degrees(ms1.element(4), ms1.element(6), 'W');
        Double latitude = degrees(ms1.element(5), ms1.element(7), 'S');
        Address address = city == null ? null : new Address(null, city, state, null, ms1.element(3) == null ? "US"
                : ms1.element(3));
        String name = city == null ? null : state == null ? city : city + ", " + state;
        return new Location(name, null, address, latitude, longitude, loop.stopSequence, stop);
    }

    /** DDDMMSS (or DDMMSS) with a direction code to signed decimal degrees. */
    static Double degrees(String dms, String direction, char negative) {
        if (dms == null || !dms.matches("\\d{6,7}")) {
            return null;
        }
        int n = dms.length();
        int degrees = Integer.parseInt(dms.substring(0, n - 4));
        int minutes = Integer.parseInt(dms.substring(n - 4, n - 2));
        int seconds = Integer.parseInt(dms.substring(n - 2));
        double value = degrees + minutes / 60.0 + seconds / 3600.0;
        value = Math.round(value * 1_000_000) / 1_000_000.0;
        return direction != null && direction.charAt(0) == negative ? -value : value;
    }

    private static List<String> nonNull(String... values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private static Integer parseInt(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
