package com.logisync.milestone.edi;

import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.StopType;
import com.logisync.milestone.rest.MilestoneRequest;

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
import java.util.Map;

/**
 * Maps one X12 214 transaction to canonical milestones, following the code lists in
 * {@code shared/docs/canonical-events.md}: B10 and L11 give the shipment's keys, each LX loop is a
 * stop with one or more AT7 statuses (or AT7-03 appointments), MS1 gives the place (city/state or
 * DDDMMSS longitude/latitude), AT7-05/06/07 the time. A time without a zone code (or {@code LT}) is
 * local to the stop and is resolved later with the stop's zone from the order. The event id depends
 * on what the status says (sender, shipment reference, status, time, stop), not on the envelope's
 * control numbers, so a file re-sent with a new ISA13 yields the same ids and is recognised as a repeat.
 */
public final class X12Status214 {

    /** A status code's canonical meaning. */
    private record Status(MilestoneType milestone, Classifier classifier, StopType stop, String reason) {
    }

    private static final Map<String, Status> STATUS = new HashMap<>();
    static {
        STATUS.put("X3", new Status(MilestoneType.ARRIVED_PICKUP, Classifier.ACTUAL, StopType.PICKUP, null));
        STATUS.put("X8", new Status(MilestoneType.ARRIVED_PICKUP, Classifier.ACTUAL, StopType.PICKUP, null));
        STATUS.put("CP", new Status(MilestoneType.LOADING_COMPLETED, Classifier.ACTUAL, StopType.PICKUP, null));
        STATUS.put("AF", new Status(MilestoneType.DEPARTED_PICKUP, Classifier.ACTUAL, StopType.PICKUP, null));
        STATUS.put("X6", new Status(MilestoneType.IN_TRANSIT, Classifier.ACTUAL, null, null));
        STATUS.put("X4", new Status(MilestoneType.ARRIVED_TERMINAL, Classifier.ACTUAL, StopType.TERMINAL, null));
        STATUS.put("P1", new Status(MilestoneType.DEPARTED_TERMINAL, Classifier.ACTUAL, StopType.TERMINAL, null));
        STATUS.put("X1", new Status(MilestoneType.ARRIVED_DELIVERY, Classifier.ACTUAL, StopType.DELIVERY, null));
        STATUS.put("X5", new Status(MilestoneType.ARRIVED_DELIVERY, Classifier.ACTUAL, StopType.DELIVERY, null));
        STATUS.put("D1", new Status(MilestoneType.DELIVERED, Classifier.ACTUAL, StopType.DELIVERY, null));
        STATUS.put("CD", new Status(MilestoneType.DEPARTED_DELIVERY, Classifier.ACTUAL, StopType.DELIVERY, null));
        STATUS.put("AG", new Status(MilestoneType.ETA_UPDATED, Classifier.ESTIMATED, StopType.DELIVERY, null));
        STATUS.put("X2", new Status(MilestoneType.ETA_UPDATED, Classifier.ESTIMATED, StopType.DELIVERY, null));
        STATUS.put("SD", new Status(MilestoneType.DELAYED, Classifier.ACTUAL, null, null));
        STATUS.put("A9", new Status(MilestoneType.EXCEPTION, Classifier.ACTUAL, null, "DAMAGE"));
        STATUS.put("AH", new Status(MilestoneType.DELIVERY_ATTEMPTED, Classifier.ACTUAL, StopType.DELIVERY, null));
        STATUS.put("AP", new Status(MilestoneType.DELIVERY_NOT_COMPLETED, Classifier.ACTUAL, StopType.DELIVERY, null));
        STATUS.put("A7", new Status(MilestoneType.REFUSED, Classifier.ACTUAL, StopType.DELIVERY, null));
        STATUS.put("CA", new Status(MilestoneType.CANCELLED, Classifier.ACTUAL, null, null));
    }

    /** AT7-02 status reason codes (element 1651) to canonical reasons. */
    private static final Map<String, String> REASONS = Map.ofEntries(Map.entry("NS", "NORMAL"),
            Map.entry("AO", "WEATHER"), Map.entry("AF", "ACCIDENT"), Map.entry("AI", "MECHANICAL"),
            Map.entry("AG", "CONSIGNEE_RELATED"), Map.entry("AM", "SHIPPER_RELATED"),
            Map.entry("AJ", "OTHER_CARRIER_RELATED"), Map.entry("AH", "DRIVER_RELATED"),
            Map.entry("BE", "ROAD_CONDITIONS"), Map.entry("A1", "MISSED_DELIVERY"), Map.entry("AY", "MISSED_PICKUP"),
            Map.entry("B1", "CONSIGNEE_CLOSED"), Map.entry("AN", "HOLIDAY_CLOSED"),
            Map.entry("D2", "DRIVER_NOT_AVAILABLE"), Map.entry("T3", "TRAILER_NOT_AVAILABLE"),
            Map.entry("CA", "CUSTOMS"), Map.entry("BG", "OTHER"));

    /** AT7-07 time codes with a fixed offset or zone; absent or LT means the stop's local time. */
    private static final Map<String, ZoneId> TIME_CODES = Map.ofEntries(
            Map.entry("UT", ZoneOffset.UTC), Map.entry("GM", ZoneOffset.UTC), Map.entry("Z", ZoneOffset.UTC),
            Map.entry("ET", ZoneId.of("America/New_York")), Map.entry("CT", ZoneId.of("America/Chicago")),
            Map.entry("MT", ZoneId.of("America/Denver")), Map.entry("PT", ZoneId.of("America/Los_Angeles")),
            Map.entry("ES", ZoneOffset.ofHours(-5)), Map.entry("ED", ZoneOffset.ofHours(-4)),
            Map.entry("CS", ZoneOffset.ofHours(-6)), Map.entry("CD", ZoneOffset.ofHours(-5)),
            Map.entry("MS", ZoneOffset.ofHours(-7)), Map.entry("MD", ZoneOffset.ofHours(-6)),
            Map.entry("PS", ZoneOffset.ofHours(-8)), Map.entry("PD", ZoneOffset.ofHours(-7)));

    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    /** The milestones of a transaction, or the reasons it is rejected (then none of its statuses is used). */
    public record Result(List<MilestoneRequest> milestones, List<String> errors) {
    }

    private X12Status214() {
    }

    public static Result map(String partnerId, X12Interchange.Transaction tx) {
        List<String> errors = new ArrayList<>(tx.errors());
        if (!"214".equals(tx.type())) {
            errors.add("ST01 " + tx.type() + " is not a 214 (shipment status)");
            return new Result(List.of(), errors);
        }
        String pro = null;
        String bol = null;
        String po = null;
        String load = null;
        List<MilestoneRequest> out = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        Pending loop = null;
        for (X12Interchange.Segment s : tx.segments()) {
            switch (s.tag()) {
                case "B10" -> {
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
                case "LX" -> {
                    loop = new Pending();
                    loop.lx = s.element(1);
                    pending.add(loop);
                }
                case "AT7" -> {
                    if (loop == null) {
                        errors.add("AT7 at segment " + s.position() + " is outside an LX loop");
                    } else {
                        loop.statuses.add(s);
                    }
                }
                case "MS1" -> {
                    if (loop != null) {
                        loop.ms1 = s;
                    }
                }
                default -> {
                }
            }
        }
        if (pro == null && bol == null && po == null && load == null) {
            errors.add("No shipment reference: B10-01/B10-02 and L11 (BM, PO, CN, LO) are all missing");
        }
        if (pending.stream().allMatch(p -> p.statuses.isEmpty())) {
            errors.add("No AT7 status in the transaction");
        }
        MilestoneRequest.Keys keys = new MilestoneRequest.Keys(null, null, load, bol, pro, po);
        String reference = pro != null ? pro : bol != null ? bol : load != null ? load : po;
        for (Pending p : pending) {
            for (int n = 0; n < p.statuses.size(); n++) {
                X12Interchange.Segment at7 = p.statuses.get(n);
                MilestoneRequest m = status(partnerId, keys, reference, p, at7, errors);
                if (m != null) {
                    out.add(m);
                }
            }
        }
        return errors.isEmpty() ? new Result(out, List.of()) : new Result(List.of(), errors.stream().distinct().toList());
    }

    private static final class Pending {
        String lx;
        Integer stopSequence;
        X12Interchange.Segment ms1;
        final List<X12Interchange.Segment> statuses = new ArrayList<>();
    }

    private static MilestoneRequest status(String partnerId, MilestoneRequest.Keys keys, String reference, Pending loop,
            X12Interchange.Segment at7, List<String> errors) {
        String code = at7.element(1);
        String appointment = at7.element(3);
        String where = "AT7 in LX " + loop.lx + " (segment " + at7.position() + ")";
        Status status;
        String sourceCode;
        if (code != null && appointment != null) {
            errors.add(where + " carries both AT7-01 and AT7-03; only one is allowed");
            return null;
        } else if (code != null) {
            status = STATUS.get(code);
            sourceCode = code;
            if (status == null) {
                errors.add(where + ": AT7-01 '" + code + "' is not a known shipment status code");
                return null;
            }
        } else if ("AA".equals(appointment) || "AB".equals(appointment)) {
            status = new Status(MilestoneType.APPOINTMENT_SET, Classifier.PLANNED,
                    "AA".equals(appointment) ? StopType.PICKUP : StopType.DELIVERY, null);
            sourceCode = appointment;
        } else {
            errors.add(where + ": " + (appointment == null ? "neither AT7-01 nor AT7-03 is given"
                    : "AT7-03 '" + appointment + "' is not a known appointment code"));
            return null;
        }
        LocalDateTime local;
        try {
            LocalDate date = LocalDate.parse(at7.element(5) == null ? "" : at7.element(5), DATE);
            String hhmm = at7.element(6) == null ? "0000" : at7.element(6);
            local = date.atTime(LocalTime.of(Integer.parseInt(hhmm.substring(0, 2)), Integer.parseInt(hhmm.substring(2, 4)),
                    hhmm.length() >= 6 ? Integer.parseInt(hhmm.substring(4, 6)) : 0));
        } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
            errors.add(where + ": AT7-05/06 '" + at7.element(5) + " " + at7.element(6) + "' is not CCYYMMDD HHMM");
            return null;
        }
        String timeCode = at7.element(7);
        java.time.OffsetDateTime eventTime = null;
        LocalDateTime localEventTime = null;
        if (timeCode == null || "LT".equals(timeCode)) {
            localEventTime = local;
        } else if (TIME_CODES.containsKey(timeCode)) {
            eventTime = local.atZone(TIME_CODES.get(timeCode)).toOffsetDateTime();
        } else {
            errors.add(where + ": AT7-07 time code '" + timeCode + "' is not supported");
            return null;
        }
        String reasonCode = code != null ? at7.element(2) : at7.element(4);
        Reason reason = status.reason() != null || (reasonCode != null && !"NS".equals(reasonCode))
                ? new Reason(status.reason() != null ? status.reason() : REASONS.getOrDefault(reasonCode, "OTHER"),
                        reasonCode, code != null ? "X12-1651" : "X12-1652", null)
                : null;
        String sourceEventId = reference + "/" + sourceCode + "/" + DateTimeFormatter.ofPattern("yyyyMMddHHmm").format(local)
                + "/" + (loop.stopSequence != null ? "S" + loop.stopSequence : "LX" + loop.lx);
        return new MilestoneRequest(sourceEventId, SourceSystem.X12_214, partnerId, status.milestone(),
                status.classifier(), eventTime, sourceCode, keys, location(loop, status.stop()), reason, null,
                localEventTime);
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

    private static Integer parseInt(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
