package com.logisync.serviceview.edi;

import com.logisync.serviceview.notify.CustomerEvent;
import io.xlate.edi.stream.EDIOutputFactory;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamWriter;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Outbound X12 for shippers who want EDI, written with StAEDI's writer from the customer events LogiSync
 * already tells by webhook: a 214 (shipment status) for each milestone and a 210 (freight invoice) for
 * each invoice ERP issued, in the customer's EDI profile (sender and receiver ids, version 4010 or
 * 5010). One transaction per interchange; the interchange, group and transaction control numbers are
 * the subscription's next number, stored with the delivery, so a retry re-sends the same interchange
 * and the receiver's duplicate check on ISA13 holds. Times are written in UTC (AT7-07 {@code UT}), so
 * no zone is guessed on the way back.
 */
public final class X12Outbound {

    private static final DateTimeFormatter DATE8 = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE6 = DateTimeFormatter.ofPattern("yyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME4 = DateTimeFormatter.ofPattern("HHmm").withZone(ZoneOffset.UTC);
    private static final EDIOutputFactory FACTORY = EDIOutputFactory.newFactory();
    static {
        FACTORY.setProperty(EDIOutputFactory.PRETTY_PRINT, true);
        FACTORY.setProperty(EDIOutputFactory.TRUNCATE_EMPTY_ELEMENTS, true);
    }

    /** Canonical milestone → AT7-01 shipment status code (X12 element 1650), the inverse of the inbound mapping. */
    static final Map<String, String> STATUS = Map.ofEntries(
            Map.entry("DISPATCHED", "XB"), Map.entry("ARRIVED_PICKUP", "X3"), Map.entry("LOADING_COMPLETED", "CP"),
            Map.entry("DEPARTED_PICKUP", "AF"), Map.entry("IN_TRANSIT", "X6"), Map.entry("ARRIVED_TERMINAL", "X4"),
            Map.entry("DEPARTED_TERMINAL", "P1"), Map.entry("OUT_FOR_DELIVERY", "AJ"),
            Map.entry("ARRIVED_DELIVERY", "X1"), Map.entry("DELIVERED", "D1"), Map.entry("DEPARTED_DELIVERY", "CD"),
            Map.entry("ETA_UPDATED", "AG"), Map.entry("DELAYED", "SD"), Map.entry("DELIVERY_ATTEMPTED", "AH"),
            Map.entry("DELIVERY_NOT_COMPLETED", "AP"), Map.entry("REFUSED", "A7"));

    /** EXCEPTION by its canonical reason (the status code itself says it). */
    static final Map<String, String> EXCEPTION_STATUS = Map.of("DAMAGE", "A9", "RETURNED_TO_SHIPPER", "A3",
            "RECONSIGNED", "AI", "PAPERWORK_ONLY", "OO", "CARRIER_CANCELLED", "CA");

    /** Canonical reason → AT7-02 status reason code (X12 element 1651). */
    static final Map<String, String> REASON = new HashMap<>(Map.ofEntries(
            Map.entry("WEATHER", "AO"), Map.entry("ACCIDENT", "AF"), Map.entry("MECHANICAL", "AI"),
            Map.entry("CONSIGNEE_RELATED", "AG"), Map.entry("SHIPPER_RELATED", "AM"),
            Map.entry("OTHER_CARRIER_RELATED", "AJ"), Map.entry("DRIVER_RELATED", "AH"),
            Map.entry("ROAD_CONDITIONS", "BE"), Map.entry("MISSED_DELIVERY", "A1"), Map.entry("MISSED_PICKUP", "AY"),
            Map.entry("CONSIGNEE_CLOSED", "B1"), Map.entry("HOLIDAY_CLOSED", "AN"),
            Map.entry("DRIVER_NOT_AVAILABLE", "D2"), Map.entry("TRAILER_NOT_AVAILABLE", "T3"),
            Map.entry("TRACTOR_NOT_AVAILABLE", "T2"), Map.entry("CUSTOMS", "CA"), Map.entry("INCORRECT_ADDRESS", "A2"),
            Map.entry("UNABLE_TO_LOCATE", "A5"), Map.entry("RECIPIENT_UNAVAILABLE", "AQ"),
            Map.entry("CUSTOMER_REQUESTED_FUTURE_DELIVERY", "AD"), Map.entry("REFUSED_BY_CUSTOMER", "BS"),
            Map.entry("RETURNED_TO_SHIPPER", "BT"), Map.entry("CREDIT_HOLD", "C2"), Map.entry("PAST_CUT_OFF", "AW"),
            Map.entry("INSUFFICIENT_TIME", "BH"), Map.entry("MIS_SORT", "AA"), Map.entry("CARRIER_DISPATCH_ERROR", "D1"),
            Map.entry("PROCESSING_DELAY", "P1"), Map.entry("MISSING_DOCUMENTS", "BC"), Map.entry("RECONSIGNED", "RC"),
            Map.entry("DAMAGE", "AK"), Map.entry("OTHER", "BG")));

    /** Charge code → L1-08 special charge code (X12 element 150) where one fits; the rest are described in L1-12. */
    static final Map<String, String> SPECIAL_CHARGE = Map.of("LINEHAUL", "400", "FUEL_SURCHARGE", "FUE",
            "DETENTION", "DET", "LIFTGATE", "LFT", "INSIDE_DELIVERY", "IDL", "LUMPER", "LUM", "DISCOUNT", "DSC");

    private X12Outbound() {
    }

    /** What a 214 can say of a milestone: its AT7-01 code, or null when it has none (the event is not sent). */
    public static String statusCode(CustomerEvent e) {
        if (e.milestone() == null) {
            return null;
        }
        if ("EXCEPTION".equals(e.milestone())) {
            return e.reason() == null ? null : EXCEPTION_STATUS.get(e.reason().code());
        }
        if ("DELIVERED".equals(e.milestone()) && !"ACT".equals(e.eventClassifierCode())) {
            return "AG"; // an estimated delivery is an estimate
        }
        return STATUS.get(e.milestone());
    }

    /** The 214 interchange of a milestone event. */
    public static String status214(EdiProfile profile, long control, CustomerEvent e, Instant now) {
        String code = statusCode(e);
        if (code == null) {
            throw new IllegalArgumentException("A 214 has no status code for " + e.milestone());
        }
        return interchange(profile, control, now, "QM", "214", w -> {
            CustomerEvent.References r = e.references();
            String pro = first(r == null ? null : r.proNumbers());
            String bol = first(r == null ? null : r.billsOfLading());
            segment(w, "B10", pro != null ? pro : e.shipmentId(), bol != null ? bol : e.shipmentId(), profile.scacOrDefault());
            if (r != null && r.orderId() != null) {
                segment(w, "L11", r.orderId(), "OQ");
            }
            if (r != null && r.purchaseOrders() != null) {
                for (String po : r.purchaseOrders()) {
                    segment(w, "L11", po, "PO");
                }
            }
            if (r != null && r.loadId() != null) {
                segment(w, "L11", r.loadId(), "LO");
            }
            segment(w, "LX", "1");
            segment(w, "AT7", code, reasonCode(e), "", "", DATE8.format(e.eventDateTime()), TIME4.format(e.eventDateTime()),
                    "UT");
            if (e.location() != null && e.location().stopSequence() != null) {
                segment(w, "L11", String.valueOf(e.location().stopSequence()), "QN");
            }
            if (e.location() != null && e.location().city() != null) {
                segment(w, "MS1", clip(e.location().city(), 30), e.location().region() == null ? "" : e.location().region(),
                        e.location().country() == null ? "" : e.location().country());
            }
            if (e.pod() != null && e.pod().signedBy() != null) {
                segment(w, "K1", "POD SIGNED BY", clip(e.pod().signedBy(), 30));
            }
            if (e.reason() != null && e.reason().description() != null) {
                segment(w, "K1", clip(e.reason().description(), 30));
            }
        });
    }

    /** The 210 interchange of an invoice: one L1 per charge line billing asked ERP for, L3 with the total. */
    public static String invoice210(EdiProfile profile, long control, CustomerEvent e, Instant now) {
        CustomerEvent.Invoice invoice = e.invoice();
        if (invoice == null) {
            throw new IllegalArgumentException("A 210 needs an invoice");
        }
        return interchange(profile, control, now, "IM", "210", w -> {
            CustomerEvent.References r = e.references();
            String bol = first(r == null ? null : r.billsOfLading());
            segment(w, "B3", "", invoice.invoiceId(), bol != null ? bol : e.shipmentId(), "PP", "",
                    DATE8.format(invoice.issuedAt()), cents(invoice.total()), "", "", "", profile.scacOrDefault());
            segment(w, "C3", invoice.currency());
            if (r != null && r.orderId() != null) {
                segment(w, "N9", "OQ", r.orderId());
            }
            if (r != null && r.purchaseOrders() != null) {
                for (String po : r.purchaseOrders()) {
                    segment(w, "N9", "PO", po);
                }
            }
            if (bol != null) {
                segment(w, "N9", "BM", bol);
            }
            if (invoice.originalInvoiceId() != null) {
                segment(w, "N9", "OI", invoice.originalInvoiceId()); // a supplementary invoice: the invoice it adds to
            }
            if (e.customerId() != null) {
                segment(w, "N1", "BT", clip(e.customerId(), 60));
            }
            int line = 0;
            for (CustomerEvent.Line l : invoice.lines()) {
                line++;
                segment(w, "LX", String.valueOf(line));
                String special = SPECIAL_CHARGE.getOrDefault(l.code(), "");
                segment(w, "L1", String.valueOf(line), l.rate() == null ? "" : plain(l.rate()),
                        l.rateQualifier() != null ? l.rateQualifier() : "FR", cents(l.amount()), "", "", "", special,
                        "", "", "", clip(l.code() + (l.description() == null ? "" : " " + l.description()), 80));
            }
            segment(w, "L3", "", "", "", "", cents(invoice.total()));
        });
    }

    private static String reasonCode(CustomerEvent e) {
        if (e.reason() == null || "EXCEPTION".equals(e.milestone()) && EXCEPTION_STATUS.containsKey(e.reason().code())) {
            return "NS";
        }
        if ("X12-1651".equals(e.reason().codeList()) && e.reason().sourceCode() != null) {
            return e.reason().sourceCode();
        }
        return REASON.getOrDefault(e.reason().code(), "BG");
    }

    @FunctionalInterface
    private interface Body {
        void write(Segments w) throws EDIStreamException;
    }

    /** The writer, counting the segments it writes (SE01). */
    private static final class Segments {
        final EDIStreamWriter writer;
        int count;

        Segments(EDIStreamWriter writer) {
            this.writer = writer;
        }
    }

    private static String interchange(EdiProfile p, long control, Instant now, String functionalId, String set, Body body) {
        boolean v5010 = "005010".equals(p.versionOrDefault());
        String isa13 = String.format(Locale.ROOT, "%09d", control % 1_000_000_000L);
        String st02 = String.format(Locale.ROOT, "%04d", control % 10_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Segments w = new Segments(FACTORY.createEDIStreamWriter(out, "UTF-8"));
            // The envelope is validated as it is written (StAEDI's own X12 control schema for the version).
            w.writer.setControlSchema(controlSchema(v5010 ? "00501" : "00401"));
            w.writer.startInterchange();
            segment(w, "ISA", "00", pad("", 10), "00", pad("", 10), p.senderQualifier(), pad(p.senderId(), 15),
                    p.receiverQualifier(), pad(p.receiverId(), 15), DATE6.format(now), TIME4.format(now),
                    v5010 ? "^" : "U", v5010 ? "00501" : "00401", isa13, "0", p.usageOrDefault(), ":");
            segment(w, "GS", functionalId, p.senderId(), p.receiverId(), DATE8.format(now), TIME4.format(now),
                    String.valueOf(control % 1_000_000_000L), "X", p.versionOrDefault());
            w.count = 0;
            segment(w, "ST", set, st02);
            body.write(w);
            segment(w, "SE", String.valueOf(w.count + 1), st02);
            segment(w, "GE", "1", String.valueOf(control % 1_000_000_000L));
            segment(w, "IEA", "1", isa13);
            w.writer.endInterchange();
            w.writer.close();
        } catch (EDIStreamException e) {
            throw new IllegalStateException("X12 " + set + " not written: " + e.getMessage(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final Map<String, io.xlate.edi.schema.Schema> CONTROL = new java.util.concurrent.ConcurrentHashMap<>();

    private static io.xlate.edi.schema.Schema controlSchema(String isaVersion) {
        return CONTROL.computeIfAbsent(isaVersion, v -> {
            try {
                return io.xlate.edi.schema.SchemaFactory.newFactory().getControlSchema(
                        io.xlate.edi.stream.EDIStreamConstants.Standards.X12, new String[] {v});
            } catch (io.xlate.edi.schema.EDISchemaException e) {
                throw new IllegalStateException("No X12 control schema for " + v, e);
            }
        });
    }

    private static void segment(Segments s, String tag, String... elements) throws EDIStreamException {
        EDIStreamWriter w = s.writer;
        w.writeStartSegment(tag);
        for (String e : elements) {
            if (e == null || e.isEmpty()) {
                w.writeEmptyElement();
            } else {
                w.writeElement(e);
            }
        }
        w.writeEndSegment();
        s.count++;
    }

    private static String pad(String s, int width) {
        String v = s == null ? "" : s;
        return v.length() >= width ? v.substring(0, width) : v + " ".repeat(width - v.length());
    }

    private static String clip(String s, int max) {
        String v = s.replaceAll("[*~:^>]", " ");
        return v.length() > max ? v.substring(0, max) : v;
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** An amount as X12's N2: the number of cents, no decimal point. */
    static String cents(BigDecimal amount) {
        return amount == null ? "0" : amount.setScale(2, RoundingMode.HALF_UP).movePointRight(2).toBigInteger().toString();
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
