package com.logisync.runtime.json;

import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.TimeWindow;

/**
 * A {@link MilestoneRecorded} as JSON, written member by member: exactly the text the services' ObjectMapper gives
 * for it, so the milestone row, the record on the topic and every reader see what they saw before. milestone-service
 * writes one per recorded milestone; databind took 7.5 % of its CPU in the batch phase at 2,000 shipments
 * (async-profiler, 2026-12-02, fourteenth session), its per-property reflection and Jackson's generator. The inclusion
 * rules are the records' own: {@code NON_NULL} where the record says so, every member (nulls too) for
 * {@link ExternalReference} and {@link TimeWindow}, which do not; primitives always; a POD's {@code isSigned()} as
 * {@code signed}, as the mapper writes a getter. {@code MilestoneRecordedJsonTest} compares both on random events.
 */
public final class MilestoneRecordedJson {

    private MilestoneRecordedJson() {
    }

    public static String write(MilestoneRecorded e) {
        JsonAppender g = JsonAppender.start();
        g.field("eventId", e.eventId());
        g.always("revision", e.revision());
        Correlation c = e.correlation();
        if (c != null) {
            g.startObject("correlation");
            g.field("shipmentId", c.shipmentId());
            g.field("orderId", c.orderId());
            g.field("loadId", c.loadId());
            g.field("invoiceId", c.invoiceId());
            g.field("customerId", c.customerId());
            if (c.references() != null) {
                g.startArray("references");
                for (ExternalReference r : c.references()) {
                    g.startElementObject();
                    g.always("type", r.type());
                    g.always("value", r.value());
                    g.endObject();
                }
                g.endArray();
            }
            g.endObject();
        }
        g.field("milestone", e.milestone());
        g.field("classifier", e.classifier());
        EventTime t = e.eventTime();
        if (t != null) {
            g.startObject("eventTime");
            g.field("utc", t.utc());
            g.field("local", t.local());
            g.field("zoneId", t.zoneId());
            g.field("resolution", t.resolution());
            g.endObject();
        }
        g.field("receivedAt", e.receivedAt());
        Location l = e.location();
        if (l != null) {
            g.startObject("location");
            g.field("name", l.name());
            g.field("locationCode", l.locationCode());
            Address a = l.address();
            if (a != null) {
                g.startObject("address");
                g.field("line1", a.line1());
                g.field("city", a.city());
                g.field("region", a.region());
                g.field("postalCode", a.postalCode());
                g.field("country", a.country());
                g.endObject();
            }
            g.field("latitude", l.latitude());
            g.field("longitude", l.longitude());
            g.field("stopSequence", l.stopSequence());
            g.field("stopType", l.stopType());
            g.endObject();
        }
        Reason r = e.reason();
        if (r != null) {
            g.startObject("reason");
            g.field("code", r.code());
            g.field("sourceCode", r.sourceCode());
            g.field("sourceCodeList", r.sourceCodeList());
            g.field("description", r.description());
            g.endObject();
        }
        Source s = e.source();
        if (s != null) {
            g.startObject("source");
            g.field("system", s.system());
            g.field("partnerId", s.partnerId());
            g.field("sourceEventId", s.sourceEventId());
            g.field("sourceStatusCode", s.sourceStatusCode());
            g.endObject();
        }
        ProofOfDelivery p = e.pod();
        if (p != null) {
            g.startObject("pod");
            g.field("signedBy", p.signedBy());
            g.field("signedAt", p.signedAt());
            g.field("documentRef", p.documentRef());
            g.field("osdNotes", p.osdNotes());
            g.field("verified", p.verified());
            g.field("unverifiedReason", p.unverifiedReason());
            g.always("signed", p.isSigned());
            g.endObject();
        }
        Enrichment n = e.enrichment();
        if (n != null) {
            g.startObject("enrichment");
            g.field("customerId", n.customerId());
            g.field("stopSequence", n.stopSequence());
            TimeWindow w = n.plannedWindow();
            if (w != null) {
                g.startObject("plannedWindow");
                g.always("start", w.start());
                g.always("end", w.end());
                g.endObject();
            }
            g.always("delayMinutes", n.delayMinutes());
            g.always("late", n.late());
            g.endObject();
        }
        g.always("outOfOrder", e.outOfOrder());
        return g.finish();
    }
}
