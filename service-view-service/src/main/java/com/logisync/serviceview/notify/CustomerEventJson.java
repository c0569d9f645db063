package com.logisync.serviceview.notify;

import com.logisync.runtime.json.JsonAppender;

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
