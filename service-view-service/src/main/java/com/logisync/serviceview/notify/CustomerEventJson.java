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
            if (e.references() != null) {
                // References: NON_EMPTY (no null, no empty string, no empty list).
                CustomerEvent.References r = e.references();
                g.writeFieldName("references");
                g.writeStartObject();
                nonEmpty(g, "orderId", r.orderId());
                nonEmpty(g, "purchaseOrders", r.purchaseOrders());
                nonEmpty(g, "billsOfLading", r.billsOfLading());
                nonEmpty(g, "proNumbers", r.proNumbers());
                nonEmpty(g, "loadId", r.loadId());
                g.writeEndObject();
            }
            if (e.eventLocalDateTime() != null) {
                // LocalTime: the mapper's default inclusion, every field, nulls too.
                CustomerEvent.LocalTime l = e.eventLocalDateTime();
                g.writeFieldName("eventLocalDateTime");
                g.writeStartObject();
                g.writeStringField("local", l.local());
                g.writeStringField("zoneId", l.zoneId());
                g.writeStringField("zoneSource", l.zoneSource());
                g.writeEndObject();
            }
            if (e.location() != null) {
                CustomerEvent.Place p = e.location();
                g.writeFieldName("location");
                g.writeStartObject();
                field(g, "name", p.name());
                field(g, "locationCode", p.locationCode());
                field(g, "city", p.city());
                field(g, "region", p.region());
                field(g, "country", p.country());
                if (p.stopSequence() != null) {
                    g.writeNumberField("stopSequence", p.stopSequence().intValue());
                }
                field(g, "stopType", p.stopType());
                g.writeEndObject();
            }
            if (e.reason() != null) {
                CustomerEvent.Why w = e.reason();
                g.writeFieldName("reason");
                g.writeStartObject();
                field(g, "code", w.code());
                field(g, "sourceCode", w.sourceCode());
                field(g, "codeList", w.codeList());
                field(g, "description", w.description());
                g.writeEndObject();
            }
            if (e.eta() != null) {
                CustomerEvent.Eta t = e.eta();
                g.writeFieldName("eta");
                g.writeStartObject();
                field(g, "estimated", t.estimated());
                field(g, "kind", t.kind());
                field(g, "local", t.local());
                field(g, "zoneId", t.zoneId());
                g.writeEndObject();
            }
            if (e.pod() != null) {
                CustomerEvent.Pod p = e.pod();
                g.writeFieldName("pod");
                g.writeStartObject();
                field(g, "signedBy", p.signedBy());
                field(g, "signedAt", p.signedAt());
                field(g, "documentRef", p.documentRef());
                field(g, "osdNotes", p.osdNotes());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toString();
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
