package com.logisync.serviceview.notify;

import java.time.Instant;
import java.util.List;

/**
 * A milestone's customer event as JSON, written field by field: exactly the text the application's
 * ObjectMapper gives for it ({@link CustomerEvent}'s inclusion rules, ISO-8601 instants, Jackson's string
 * escapes), without databind's per-property reflection and inclusion checks. service-view writes one per
 * consumed milestone; databind took 6.5 % of its CPU for them (async-profiler, 2026-12-01), and Jackson's
 * generator into a {@code StringWriter} still 7.1 % (2026-12-02, thirteenth session), so the text is now
 * appended to a per-thread {@code StringBuilder} directly. An event with an invoice (a few per shipment) is
 * left to the mapper. {@code CustomerEventJsonTest} compares both on every shape of event and every character
 * Jackson escapes.
 */
final class CustomerEventJson {

    /** One builder per thread (the event loops), dropped when an unusual event made it large. */
    private static final ThreadLocal<StringBuilder> BUILDERS = ThreadLocal.withInitial(() -> new StringBuilder(2048));
    private static final int KEPT_CAPACITY = 64 * 1024;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CustomerEventJson() {
    }

    /** Whether {@link #write} writes this event; otherwise the mapper does. */
    static boolean handles(CustomerEvent e) {
        return e.invoice() == null;
    }

    static String write(CustomerEvent e) {
        StringBuilder out = BUILDERS.get();
        out.setLength(0);
        Json g = new Json(out);
        // CustomerEvent: NON_NULL.
        g.field("eventID", e.eventID());
        g.field("type", e.type());
        g.field("eventType", e.eventType());
        g.field("eventClassifierCode", e.eventClassifierCode());
        g.field("eventDateTime", e.eventDateTime());
        g.field("eventCreatedDateTime", e.eventCreatedDateTime());
        g.field("transportEventTypeCode", e.transportEventTypeCode());
        g.field("shipmentEventTypeCode", e.shipmentEventTypeCode());
        g.field("documentTypeCode", e.documentTypeCode());
        g.field("milestone", e.milestone());
        g.field("shipmentId", e.shipmentId());
        g.field("customerId", e.customerId());
        // References: NON_EMPTY (no null, no empty string, no empty list); the other parts NON_NULL.
        CustomerEvent.References r = e.references();
        if (r != null) {
            g.startObject("references");
            g.nonEmpty("orderId", r.orderId());
            g.nonEmpty("purchaseOrders", r.purchaseOrders());
            g.nonEmpty("billsOfLading", r.billsOfLading());
            g.nonEmpty("proNumbers", r.proNumbers());
            g.nonEmpty("loadId", r.loadId());
            g.endObject();
        }
        // LocalTime: the mapper's default inclusion, every field, nulls too.
        CustomerEvent.LocalTime l = e.eventLocalDateTime();
        if (l != null) {
            g.startObject("eventLocalDateTime");
            g.always("local", l.local());
            g.always("zoneId", l.zoneId());
            g.always("zoneSource", l.zoneSource());
            g.endObject();
        }
        CustomerEvent.Place p = e.location();
        if (p != null) {
            g.startObject("location");
            g.field("name", p.name());
            g.field("locationCode", p.locationCode());
            g.field("city", p.city());
            g.field("region", p.region());
            g.field("country", p.country());
            if (p.stopSequence() != null) {
                g.name("stopSequence");
                out.append(p.stopSequence().intValue());
            }
            g.field("stopType", p.stopType());
            g.endObject();
        }
        CustomerEvent.Why w = e.reason();
        if (w != null) {
            g.startObject("reason");
            g.field("code", w.code());
            g.field("sourceCode", w.sourceCode());
            g.field("codeList", w.codeList());
            g.field("description", w.description());
            g.endObject();
        }
        CustomerEvent.Eta t = e.eta();
        if (t != null) {
            g.startObject("eta");
            g.field("estimated", t.estimated());
            g.field("kind", t.kind());
            g.field("local", t.local());
            g.field("zoneId", t.zoneId());
            g.endObject();
        }
        CustomerEvent.Pod d = e.pod();
        if (d != null) {
            g.startObject("pod");
            g.field("signedBy", d.signedBy());
            g.field("signedAt", d.signedAt());
            g.field("documentRef", d.documentRef());
            g.field("osdNotes", d.osdNotes());
            g.endObject();
        }
        out.append('}');
        String json = out.toString();
        if (out.capacity() > KEPT_CAPACITY) {
            BUILDERS.remove();
        }
        return json;
    }

    /** Appends names and values with a comma before every member but an object's first. */
    private static final class Json {
        private final StringBuilder out;
        private boolean first = true;

        Json(StringBuilder out) {
            this.out = out;
            out.append('{');
        }

        void name(String name) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(name).append("\":");
        }

        void startObject(String name) {
            name(name);
            out.append('{');
            first = true;
        }

        void endObject() {
            out.append('}');
            first = false;
        }

        void field(String name, String value) {
            if (value != null) {
                name(name);
                string(out, value);
            }
        }

        /**
         * jsr310's InstantSerializer with WRITE_DATES_AS_TIMESTAMPS off: ISO_INSTANT, which is Instant#toString,
         * here by position ({@code IsoTimes.format}; {@code toString} was 1.5 % of service-view's CPU).
         */
        void field(String name, Instant value) {
            if (value != null) {
                name(name);
                out.append('"').append(com.logisync.runtime.json.IsoTimes.format(value)).append('"');
            }
        }

        void always(String name, String value) {
            name(name);
            if (value == null) {
                out.append("null");
            } else {
                string(out, value);
            }
        }

        void nonEmpty(String name, String value) {
            if (value != null && !value.isEmpty()) {
                field(name, value);
            }
        }

        void nonEmpty(String name, List<String> values) {
            if (values != null && !values.isEmpty()) {
                name(name);
                out.append('[');
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    String v = values.get(i);
                    if (v == null) {
                        out.append("null");
                    } else {
                        string(out, v);
                    }
                }
                out.append(']');
            }
        }
    }

    /**
     * A JSON string as Jackson writes it by default: {@code "} and {@code \} escaped with a backslash, the
     * control characters below 0x20 as {@code \b \t \n \f \r} or as a six-character escape (a backslash, {@code u00}
     * and two upper-case hex digits), everything else as it is.
     */
    static void string(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        int clean = 0;
        while (clean < n) {
            char c = s.charAt(clean);
            if (c < 0x20 || c == '"' || c == '\\') {
                break;
            }
            clean++;
        }
        if (clean == n) {
            out.append(s).append('"');
            return;
        }
        out.append(s, 0, clean);
        for (int i = clean; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                out.append(c);
                continue;
            }
            out.append('\\');
            switch (c) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '\b' -> out.append('b');
                case '\t' -> out.append('t');
                case '\n' -> out.append('n');
                case '\f' -> out.append('f');
                case '\r' -> out.append('r');
                default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append('"');
    }
}
