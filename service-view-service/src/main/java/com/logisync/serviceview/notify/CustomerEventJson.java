package com.logisync.serviceview.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.logisync.runtime.json.IsoTimes;
import com.logisync.runtime.json.JsonAppender;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * A milestone's customer event as JSON, written field by field: exactly the text the application's
 * ObjectMapper gives for it ({@link CustomerEvent}'s inclusion rules, ISO-8601 instants, Jackson's string
 * escapes: {@link JsonAppender}), without databind's per-property reflection and inclusion checks. service-view writes one per
 * consumed milestone; databind took 6.5 % of its CPU for them (async-profiler, 2026-12-01), and Jackson's
 * generator into a {@code StringWriter} still 7.1 % (2026-12-02, thirteenth session), so the text is now
 * appended to a per-thread {@code StringBuilder} directly. An event with an invoice (a few per shipment) is
 * left to the mapper. {@code CustomerEventJsonTest} compares both on every shape of event and every character
 * Jackson escapes.
 *
 * <p><b>The stored form.</b> The feed row does not hold that text but a compact form of it ({@link #compact}): the
 * values alone, by position, in a JSON array whose first element is the form's version ({@value #COMPACT_V1}), nested
 * arrays for the nested objects, {@code null} for a member the text leaves out, trailing nulls dropped; and without the
 * four values the row holds in columns of its own (the event id, its type, the shipment, the customer). A typical
 * milestone's event of 718 bytes is stored in 351: its member names were 42 % of it. The feed row's bytes were most of
 * what service-view wrote per milestone (docs/benchmark-log.md, forty-first session). {@link #expand} gives back exactly the text
 * {@link #write} gives, from the stored form and the columns; a row that starts with <code>{</code> (an invoice's, or
 * one written before the compact form) is the text itself.
 */
final class CustomerEventJson {

    private CustomerEventJson() {
    }

    /** Whether {@link #write} writes this event; otherwise the mapper does. */
    static boolean handles(CustomerEvent e) {
        return e.invoice() == null;
    }

    static String write(CustomerEvent e) {
        JsonAppender g = JsonAppender.start();
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
            nonEmpty(g, "orderId", r.orderId());
            nonEmpty(g, "purchaseOrders", r.purchaseOrders());
            nonEmpty(g, "billsOfLading", r.billsOfLading());
            nonEmpty(g, "proNumbers", r.proNumbers());
            nonEmpty(g, "loadId", r.loadId());
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
            g.field("stopSequence", p.stopSequence());
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
        return g.finish();
    }

    /** The stored form's version: its first element. */
    static final int COMPACT_V1 = 1;

    private static final ThreadLocal<StringBuilder> COMPACT = ThreadLocal.withInitial(() -> new StringBuilder(1024));
    private static final JsonFactory FACTORY = new JsonFactory();

    /**
     * Whether {@link #compact} may store this event: one {@link #write} writes, whose four column values are the
     * row's own (the caller passes the row's values).
     */
    static boolean compacts(CustomerEvent e, String eventId, String type, String shipmentId, String customerId) {
        return handles(e) && java.util.Objects.equals(e.eventID(), eventId) && java.util.Objects.equals(e.type(), type)
                && java.util.Objects.equals(e.shipmentId(), shipmentId)
                && java.util.Objects.equals(e.customerId(), customerId);
    }

    /** The stored form of an event {@link #compacts} accepts (see the class's comment). */
    static String compact(CustomerEvent e) {
        Positional p = new Positional(COMPACT.get());
        p.open();
        p.number(COMPACT_V1);
        p.text(e.eventType());
        p.text(e.eventClassifierCode());
        p.time(e.eventDateTime());
        p.time(e.eventCreatedDateTime());
        p.text(e.transportEventTypeCode());
        p.text(e.shipmentEventTypeCode());
        p.text(e.documentTypeCode());
        p.text(e.milestone());
        CustomerEvent.References r = e.references();
        if (r == null) {
            p.none();
        } else {
            // NON_EMPTY: what the text leaves out (null, "", []) is stored as null.
            p.open();
            p.text(emptyToNull(r.orderId()));
            p.texts(r.purchaseOrders());
            p.texts(r.billsOfLading());
            p.texts(r.proNumbers());
            p.text(emptyToNull(r.loadId()));
            p.close();
        }
        CustomerEvent.LocalTime l = e.eventLocalDateTime();
        if (l == null) {
            p.none();
        } else {
            p.open();
            p.text(l.local());
            p.text(l.zoneId());
            p.text(l.zoneSource());
            p.close();
        }
        CustomerEvent.Place pl = e.location();
        if (pl == null) {
            p.none();
        } else {
            p.open();
            p.text(pl.name());
            p.text(pl.locationCode());
            p.text(pl.city());
            p.text(pl.region());
            p.text(pl.country());
            p.number(pl.stopSequence());
            p.text(pl.stopType());
            p.close();
        }
        CustomerEvent.Why w = e.reason();
        if (w == null) {
            p.none();
        } else {
            p.open();
            p.text(w.code());
            p.text(w.sourceCode());
            p.text(w.codeList());
            p.text(w.description());
            p.close();
        }
        CustomerEvent.Eta t = e.eta();
        if (t == null) {
            p.none();
        } else {
            p.open();
            p.time(t.estimated());
            p.text(t.kind());
            p.text(t.local());
            p.text(t.zoneId());
            p.close();
        }
        CustomerEvent.Pod d = e.pod();
        if (d == null) {
            p.none();
        } else {
            p.open();
            p.text(d.signedBy());
            p.time(d.signedAt());
            p.text(d.documentRef());
            p.text(d.osdNotes());
            p.close();
        }
        p.close();
        return p.out.toString();
    }

    /**
     * The event's JSON from its row: the stored text itself when it is one (<code>{</code>), else the compact form
     * with the row's columns, exactly as {@link #write} wrote it.
     *
     * @throws IllegalArgumentException when the stored form is neither (a row this code did not write)
     */
    static String expand(String stored, String eventId, String type, String shipmentId, String customerId) {
        if (stored == null || stored.isEmpty() || stored.charAt(0) != '[') {
            return stored;
        }
        try (JsonParser in = FACTORY.createParser(stored)) {
            Elements p = new Elements(in);
            p.enter();
            Integer version = p.number();
            if (version == null || version != COMPACT_V1) {
                throw new IllegalArgumentException("not a compact customer event of version " + COMPACT_V1);
            }
            JsonAppender g = JsonAppender.start();
            g.field("eventID", eventId);
            g.field("type", type);
            g.field("eventType", p.text());
            g.field("eventClassifierCode", p.text());
            g.field("eventDateTime", p.text());
            g.field("eventCreatedDateTime", p.text());
            g.field("transportEventTypeCode", p.text());
            g.field("shipmentEventTypeCode", p.text());
            g.field("documentTypeCode", p.text());
            g.field("milestone", p.text());
            g.field("shipmentId", shipmentId);
            g.field("customerId", customerId);
            if (p.enter()) {
                g.startObject("references");
                g.field("orderId", p.text());
                texts(g, "purchaseOrders", p);
                texts(g, "billsOfLading", p);
                texts(g, "proNumbers", p);
                g.field("loadId", p.text());
                p.leave();
                g.endObject();
            }
            if (p.enter()) {
                g.startObject("eventLocalDateTime");
                g.always("local", p.text());
                g.always("zoneId", p.text());
                g.always("zoneSource", p.text());
                p.leave();
                g.endObject();
            }
            if (p.enter()) {
                g.startObject("location");
                g.field("name", p.text());
                g.field("locationCode", p.text());
                g.field("city", p.text());
                g.field("region", p.text());
                g.field("country", p.text());
                g.field("stopSequence", p.number());
                g.field("stopType", p.text());
                p.leave();
                g.endObject();
            }
            if (p.enter()) {
                g.startObject("reason");
                g.field("code", p.text());
                g.field("sourceCode", p.text());
                g.field("codeList", p.text());
                g.field("description", p.text());
                p.leave();
                g.endObject();
            }
            if (p.enter()) {
                g.startObject("eta");
                g.field("estimated", p.text());
                g.field("kind", p.text());
                g.field("local", p.text());
                g.field("zoneId", p.text());
                p.leave();
                g.endObject();
            }
            if (p.enter()) {
                g.startObject("pod");
                g.field("signedBy", p.text());
                g.field("signedAt", p.text());
                g.field("documentRef", p.text());
                g.field("osdNotes", p.text());
                p.leave();
                g.endObject();
            }
            p.leave();
            return g.finish();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("a customer event row that is neither JSON text nor its compact form: "
                    + e.getMessage(), e);
        }
    }

    private static void texts(JsonAppender g, String name, Elements p) throws IOException {
        if (p.enter()) {
            g.startArray(name);
            String v;
            while ((v = p.textOrEnd()) != Elements.END) {
                g.element(v);
            }
            p.leave();
            g.endArray();
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * Values appended by position to a JSON array: {@code null} for an absent one, and the nulls at an array's end
     * dropped when it closes (each array remembers where its last present value ended).
     */
    private static final class Positional {
        final StringBuilder out;
        private final int[] ends = new int[4];
        private final boolean[] first = new boolean[4];
        private int depth = -1;

        Positional(StringBuilder out) {
            this.out = out;
            out.setLength(0);
        }

        void open() {
            separator();
            out.append('[');
            depth++;
            first[depth] = true;
            ends[depth] = out.length();
        }

        void close() {
            out.setLength(ends[depth]);
            out.append(']');
            depth--;
            if (depth >= 0) {
                ends[depth] = out.length();
            }
        }

        private void separator() {
            if (depth >= 0) {
                if (!first[depth]) {
                    out.append(',');
                }
                first[depth] = false;
            }
        }

        void none() {
            separator();
            out.append("null");
        }

        void text(String v) {
            if (v == null) {
                none();
                return;
            }
            separator();
            JsonAppender.string(out, v);
            ends[depth] = out.length();
        }

        void time(Instant v) {
            if (v == null) {
                none();
                return;
            }
            separator();
            out.append('"').append(IsoTimes.format(v)).append('"');
            ends[depth] = out.length();
        }

        void number(Integer v) {
            if (v == null) {
                none();
                return;
            }
            separator();
            out.append(v.intValue());
            ends[depth] = out.length();
        }

        /** NON_EMPTY: null for a null or empty list; a list's own elements are all kept, nulls too. */
        void texts(List<String> values) {
            if (values == null || values.isEmpty()) {
                none();
                return;
            }
            open();
            for (String v : values) {
                text(v);
                ends[depth] = out.length();
            }
            close();
        }
    }

    /** The stored form read back by position: an element past an array's end reads as null. */
    private static final class Elements {
        private final JsonParser in;
        /** Whether the current array's end was read already (its remaining elements are absent). */
        private final boolean[] ended = new boolean[4];
        private int depth = -1;

        Elements(JsonParser in) {
            this.in = in;
        }

        private JsonToken next() throws IOException {
            if (ended[depth]) {
                return null;
            }
            JsonToken t = in.nextToken();
            if (t == JsonToken.END_ARRAY) {
                ended[depth] = true;
                return null;
            }
            if (t == null) {
                throw new IOException("the text ends inside an array");
            }
            return t;
        }

        /** Enters the next element's array: false when it is null or absent. */
        boolean enter() throws IOException {
            JsonToken t = depth < 0 ? in.nextToken() : next();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return false;
            }
            if (t != JsonToken.START_ARRAY) {
                throw new IOException("an array expected, " + t + " found");
            }
            depth++;
            ended[depth] = false;
            return true;
        }

        /** Leaves the current array: its elements not read must be absent. */
        void leave() throws IOException {
            if (!ended[depth] && in.nextToken() != JsonToken.END_ARRAY) {
                throw new IOException("more elements than the form has");
            }
            depth--;
        }

        String text() throws IOException {
            JsonToken t = next();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.VALUE_STRING) {
                throw new IOException("a string expected, " + t + " found");
            }
            return in.getText();
        }

        /** What {@link #textOrEnd} gives at the array's end (compared by identity). */
        static final String END = new String("end");

        /** The next element of the current array, a string or null, or {@link #END} at its end. */
        String textOrEnd() throws IOException {
            JsonToken t = next();
            if (t == null) {
                return END;
            }
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.VALUE_STRING) {
                throw new IOException("a string expected, " + t + " found");
            }
            return in.getText();
        }

        Integer number() throws IOException {
            JsonToken t = next();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new IOException("a number expected, " + t + " found");
            }
            return in.getIntValue();
        }
    }

    private static void nonEmpty(JsonAppender g, String name, String value) {
        if (value != null && !value.isEmpty()) {
            g.field(name, value);
        }
    }

    private static void nonEmpty(JsonAppender g, String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            g.startArray(name);
            for (String v : values) {
                g.element(v);
            }
            g.endArray();
        }
    }
}
