package com.logisync.milestone.edi;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the answers a trading partner's translator understands, in X12 syntax: a 997 functional
 * acknowledgement for 4010 groups (AK1, AK2, AK3/AK4 per segment and element in error, AK5, AK9), a
 * 999 implementation acknowledgement for 5010 groups (AK1, AK2, IK3/IK4, IK5, AK9), and a TA1
 * interchange acknowledgement when ISA14 asks for one or the envelope itself is broken. The answer
 * travels in its own interchange from LogiSync to the partner, with the partner's separators and a
 * control number of LogiSync's own sequence for that partner.
 */
public final class X12FunctionalAck {

    /** How a transaction set came out: A accepted, E accepted with errors, R rejected. */
    public record TransactionOutcome(String type, String controlNumber, String status, String rejectCode,
            List<X12SegmentError> errors) {
    }

    /** One functional group's answer. {@code groupCode} is AK9-05 when the whole group is refused (e.g. 1: GS01 not supported). */
    public record GroupOutcome(String functionalId, String controlNumber, String version, boolean is5010,
            String groupCode, List<TransactionOutcome> transactions) {
    }

    /** LogiSync's own interchange id, which goes in the answer's sender fields. */
    public record Receiver(String qualifier, String id) {
    }

    private X12FunctionalAck() {
    }

    /**
     * The whole answer: ISA, an optional TA1, one FA group (997 or 999 transactions, one per group
     * received), IEA. {@code ta1Note} is the TA1 note code (000 = no error) or null for no TA1.
     */
    public static String write(X12Interchange.Header in, Receiver self, String ackControl, LocalDateTime now,
            char e, char c, char s, String ta1Status, String ta1Note, List<GroupOutcome> groups) {
        Writer w = new Writer(e, s);
        String isa13 = String.format("%09d", Long.parseLong(ackControl));
        w.isa(self, in, now, c, isa13, in.version() == null ? "00401" : in.version());
        if (ta1Note != null) {
            w.seg("TA1", in.controlNumber(), in.date(), in.time(), ta1Status, ta1Note);
        }
        int groupCount = 0;
        if (!groups.isEmpty()) {
            groupCount = 1;
            boolean all5010 = groups.stream().allMatch(GroupOutcome::is5010);
            String gsVersion = all5010 ? "005010X231A1" : "004010";
            String gsControl = String.valueOf(Long.parseLong(ackControl));
            w.seg("GS", "FA", self.id(), in.senderId(), now.format(DateTimeFormatter.BASIC_ISO_DATE),
                    now.format(DateTimeFormatter.ofPattern("HHmm")), gsControl, "X", gsVersion);
            int st = 1;
            for (GroupOutcome g : groups) {
                transaction(w, g, String.format("%04d", st++));
            }
            w.seg("GE", String.valueOf(groups.size()), gsControl);
        }
        w.seg("IEA", String.valueOf(groupCount), isa13);
        return w.toString();
    }

    private static void transaction(Writer w, GroupOutcome g, String control) {
        int start = w.count;
        boolean v5010 = g.is5010();
        w.seg("ST", v5010 ? "999" : "997", control, v5010 ? "005010X231A1" : null);
        w.seg("AK1", g.functionalId(), g.controlNumber(), v5010 ? g.version() : null);
        int accepted = 0;
        for (TransactionOutcome t : g.transactions()) {
            w.seg("AK2", t.type(), t.controlNumber(), v5010 ? g.version() : null);
            for (X12SegmentError err : t.errors()) {
                w.seg(v5010 ? "IK3" : "AK3", err.segmentTag(), String.valueOf(err.position()), null, err.segmentCode());
                if (err.elementPosition() != null) {
                    w.seg(v5010 ? "IK4" : "AK4", String.valueOf(err.elementPosition()), err.elementReference(),
                            err.elementCode(), clean(err.badValue(), w));
                }
            }
            String code = "R".equals(t.status()) ? (t.rejectCode() == null ? "5" : t.rejectCode())
                    : "E".equals(t.status()) ? "5" : null;
            w.seg(v5010 ? "IK5" : "AK5", t.status(), code);
            accepted += "R".equals(t.status()) ? 0 : 1;
        }
        int received = g.transactions().size();
        String groupStatus = g.groupCode() != null || received > 0 && accepted == 0 ? "R"
                : accepted < received ? "P"
                : g.transactions().stream().anyMatch(t -> "E".equals(t.status())) ? "E" : "A";
        w.seg("AK9", groupStatus, String.valueOf(received), String.valueOf(received), String.valueOf(accepted),
                g.groupCode());
        w.seg("SE", String.valueOf(w.count - start + 1), control);
    }

    /** A bad value is echoed, but never with a character that would break the answer's syntax. */
    private static String clean(String value, Writer w) {
        if (value == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (char ch : value.toCharArray()) {
            if (ch != w.e && ch != w.s && ch >= ' ') {
                sb.append(ch);
            }
        }
        return sb.length() > 99 ? sb.substring(0, 99) : sb.toString();
    }

    private static final class Writer {
        final char e;
        final char s;
        final StringBuilder out = new StringBuilder();
        int count;

        Writer(char e, char s) {
            this.e = e;
            this.s = s;
        }

        void isa(Receiver self, X12Interchange.Header in, LocalDateTime now, char component, String isa13, String version) {
            out.append(String.join(String.valueOf(e), "ISA", "00", pad("", 10), "00", pad("", 10),
                    pad(self.qualifier(), 2), pad(self.id(), 15), pad(in.senderQualifier(), 2), pad(in.senderId(), 15),
                    now.format(DateTimeFormatter.ofPattern("yyMMdd")), now.format(DateTimeFormatter.ofPattern("HHmm")),
                    "5".equals(version.substring(0, 1)) || version.compareTo("00501") >= 0 ? "^" : "U", version, isa13,
                    "0", in.usage() == null ? "P" : in.usage(), String.valueOf(component)))
                    .append(s).append('\n');
        }

        /** A segment; trailing empty elements are left off, as X12 requires. */
        void seg(String tag, String... elements) {
            List<String> parts = new ArrayList<>();
            parts.add(tag);
            for (String el : elements) {
                parts.add(el == null ? "" : el);
            }
            while (parts.size() > 1 && parts.get(parts.size() - 1).isEmpty()) {
                parts.remove(parts.size() - 1);
            }
            out.append(String.join(String.valueOf(e), parts)).append(s).append('\n');
            if (!"ISA".equals(tag) && !"IEA".equals(tag) && !"GS".equals(tag) && !"GE".equals(tag) && !"TA1".equals(tag)) {
                count++;
            }
        }

        private static String pad(String v, int width) {
            String value = v == null ? "" : v;
            return value.length() >= width ? value.substring(0, width) : String.format("%-" + width + "s", value);
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
