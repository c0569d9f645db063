package com.logisync.serviceview.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

/**
 * A milestone's customer event as JSON, written field by field: exactly the text the application's
 * ObjectMapper gives for it ({@link CustomerEvent}'s inclusion rules, ISO-8601 instants), without databind's
 * per-property reflection and inclusion checks. service-view writes one per consumed milestone; databind took
 * 6.5 % of its CPU for them (async-profiler, 2026-12-01). An event with an invoice (a few per shipment) is
 * left to the mapper. {@code CustomerEventJsonTest} compares both on every shape of event.
 */
final class CustomerEventJson {

    private CustomerEventJson() {
    }

    /** Whether {@link #write} writes this event; otherwise the mapper does. */
    static boolean handles(CustomerEvent e) {
        return e.invoice() == null;
    }

    static String write(JsonFactory factory, CustomerEvent e) throws IOException {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            // CustomerEvent: NON_NULL.
            field(g, "eventID", e.eventID());
            field(g, "type", e.type());
            field(g, "eventType", e.eventType());
            field(g, "eventClassifierCode", e.eventClassifierCode());
            field(g, "eventDateTime", e.eventDateTime());
            field(g, "eventCreatedDateTime", e.eventCreatedDateTime());
            field(g, "transportEventTypeCode", e.transportEventTypeCode());
            field(g, "shipmentEventTypeCode", e.shipmentEventTypeCode());
            field(g, "documentTypeCode", e.documentTypeCode());
            field(g, "milestone", e.milestone());
            field(g, "shipmentId", e.shipmentId());
            field(g, "customerId", e.customerId());
            // References: NON_EMPTY (no null, no empty string, no empty list); the other parts NON_NULL.
            object(g, "references", e.references(), (o, r) -> {
                nonEmpty(o, "orderId", r.orderId());
                nonEmpty(o, "purchaseOrders", r.purchaseOrders());
                nonEmpty(o, "billsOfLading", r.billsOfLading());
                nonEmpty(o, "proNumbers", r.proNumbers());
                nonEmpty(o, "loadId", r.loadId());
            });
            // LocalTime: the mapper's default inclusion, every field, nulls too.
            object(g, "eventLocalDateTime", e.eventLocalDateTime(), (o, l) -> {
                o.writeStringField("local", l.local());
                o.writeStringField("zoneId", l.zoneId());
                o.writeStringField("zoneSource", l.zoneSource());
            });
            object(g, "location", e.location(), (o, p) -> {
                field(o, "name", p.name());
                field(o, "locationCode", p.locationCode());
                field(o, "city", p.city());
                field(o, "region", p.region());
                field(o, "country", p.country());
                if (p.stopSequence() != null) {
                    o.writeNumberField("stopSequence", p.stopSequence().intValue());
                }
                field(o, "stopType", p.stopType());
            });
            object(g, "reason", e.reason(), (o, w) -> {
                field(o, "code", w.code());
                field(o, "sourceCode", w.sourceCode());
                field(o, "codeList", w.codeList());
                field(o, "description", w.description());
            });
            object(g, "eta", e.eta(), (o, t) -> {
                field(o, "estimated", t.estimated());
                field(o, "kind", t.kind());
                field(o, "local", t.local());
                field(o, "zoneId", t.zoneId());
            });
            object(g, "pod", e.pod(), (o, p) -> {
                field(o, "signedBy", p.signedBy());
                field(o, "signedAt", p.signedAt());
                field(o, "documentRef", p.documentRef());
                field(o, "osdNotes", p.osdNotes());
            });
            g.writeEndObject();
        }
        return out.toString();
    }

    /** The fields of a part of the event. */
    private interface Fields<T> {
        void write(JsonGenerator g, T part) throws IOException;
    }

    /** A part of the event as a nested object, or nothing when it is absent. */
    private static <T> void object(JsonGenerator g, String name, T part, Fields<T> fields) throws IOException {
        if (part != null) {
            g.writeFieldName(name);
            g.writeStartObject();
            fields.write(g, part);
            g.writeEndObject();
        }
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** jsr310's InstantSerializer with WRITE_DATES_AS_TIMESTAMPS off: ISO_INSTANT, which is Instant#toString. */
    private static void field(JsonGenerator g, String name, Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value.toString());
        }
    }

    private static void nonEmpty(JsonGenerator g, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }

    private static void nonEmpty(JsonGenerator g, String name, List<String> values) throws IOException {
        if (values != null && !values.isEmpty()) {
            g.writeArrayFieldStart(name);
            for (String v : values) {
                if (v == null) {
                    g.writeNull();
                } else {
                    g.writeString(v);
                }
            }
            g.writeEndArray();
        }
    }
}
