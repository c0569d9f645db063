package com.logisync.runtime.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.milestone.TimeResolution;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.runtime.json.IsoTimes;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link MilestoneRecorded} read token by token with Jackson's streaming parser, for the consumers' hot path:
 * databind's property-based creators (a buffer of every record's values, a deserializer looked up per property)
 * were most of the decoding's 10 % of service-view's CPU (async-profiler, 2026-12-02).
 *
 * <p>It reads only what it reads exactly as the application's mapper would: JSON strings for texts, enum names
 * and ISO times ({@link IsoTimes}, as {@code FastTimeModule}), numbers of the field's own kind, true/false,
 * objects and arrays where the record has them, and unknown properties skipped when the mapper ignores them.
 * Anything else (a number as text, a null for a primitive, a repeated property, an unknown enum name, a time in
 * another shape, a record's constructor refusing its values, text that is not JSON) makes
 * {@link #readOrNull} return null and the caller reads the text with the mapper, so what databind accepts,
 * coerces or refuses (a poison record) stays exactly as before. {@code MilestoneRecordedReaderTest} compares
 * both on random events and on each of those shapes.
 */
final class MilestoneRecordedReader {

    /** Thrown inside the reader when the text leaves the shapes it reads; never escapes {@link #readOrNull}. */
    private static final class Unexpected extends RuntimeException {
        Unexpected() {
            super(null, null, false, false);
        }
    }

    private static final Unexpected UNEXPECTED = new Unexpected();

    private final JsonFactory factory;
    private final boolean skipUnknown;
    private final boolean enabled;

    MilestoneRecordedReader(ObjectMapper mapper) {
        this.factory = mapper.getFactory();
        this.skipUnknown = !mapper.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // Settings that change which property a name means, or make databind refuse a missing or null member: the
        // reader matches names exactly and takes absent members as null, so with any of them it leaves every text
        // to the mapper (Quarkus sets none of them).
        this.enabled = mapper.getPropertyNamingStrategy() == null
                && !mapper.isEnabled(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                && !mapper.isEnabled(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                && !mapper.isEnabled(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                && !mapper.isEnabled(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                && mapper.getDeserializationConfig().findMixInClassFor(MilestoneRecorded.class) == null;
    }

    /** Whether it reads anything itself: false when the mapper's settings would read the same text otherwise. */
    boolean enabled() {
        return enabled;
    }

    /**
     * The event, or null when the mapper must read the text (see the class comment). The text is parsed as its UTF-8
     * bytes: Jackson's byte parser read 2,000 of a benchmark's milestone events in 19-25 % less time than its parser
     * of characters, the copy to bytes included (a Latin-1 string's bytes are copied at once, where parsing the
     * string first inflates it to characters; 2026-12-07, forty-seventh session, docs/benchmark-log.md). A record's
     * text was decoded from UTF-8, so its bytes are the record's own.
     */
    MilestoneRecorded readOrNull(String json) {
        if (json == null || !enabled) {
            return null;
        }
        try (JsonParser p = factory.createParser(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return p.nextToken() == JsonToken.START_OBJECT ? milestone(p) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private MilestoneRecorded milestone(JsonParser p) throws IOException {
        String eventId = null;
        int revision = 0;
        Correlation correlation = null;
        MilestoneType milestone = null;
        Classifier classifier = null;
        EventTime eventTime = null;
        Instant receivedAt = null;
        Location location = null;
        Reason reason = null;
        Source source = null;
        ProofOfDelivery pod = null;
        Enrichment enrichment = null;
        boolean outOfOrder = false;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            switch (name) {
                case "eventId" -> { seen = once(seen, 0); eventId = text(p); }
                case "revision" -> { seen = once(seen, 1); revision = intValue(p); }
                case "correlation" -> { seen = once(seen, 2); correlation = object(p) ? correlation(p) : null; }
                case "milestone" -> { seen = once(seen, 3); milestone = name(p, MilestoneType.class); }
                case "classifier" -> { seen = once(seen, 4); classifier = name(p, Classifier.class); }
                case "eventTime" -> { seen = once(seen, 5); eventTime = object(p) ? eventTime(p) : null; }
                case "receivedAt" -> { seen = once(seen, 6); receivedAt = instant(p); }
                case "location" -> { seen = once(seen, 7); location = object(p) ? location(p) : null; }
                case "reason" -> { seen = once(seen, 8); reason = object(p) ? reason(p) : null; }
                case "source" -> { seen = once(seen, 9); source = object(p) ? source(p) : null; }
                case "pod" -> { seen = once(seen, 10); pod = object(p) ? pod(p) : null; }
                case "enrichment" -> { seen = once(seen, 11); enrichment = object(p) ? enrichment(p) : null; }
                case "outOfOrder" -> { seen = once(seen, 12); outOfOrder = bool(p); }
                default -> unknown(p);
            }
        }
        return new MilestoneRecorded(eventId, revision, correlation, milestone, classifier, eventTime, receivedAt,
                location, reason, source, pod, enrichment, outOfOrder);
    }

    private Correlation correlation(JsonParser p) throws IOException {
        String shipmentId = null;
        String orderId = null;
        String loadId = null;
        String invoiceId = null;
        String customerId = null;
        List<ExternalReference> references = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            switch (name) {
                case "shipmentId" -> { seen = once(seen, 0); shipmentId = text(p); }
                case "orderId" -> { seen = once(seen, 1); orderId = text(p); }
                case "loadId" -> { seen = once(seen, 2); loadId = text(p); }
                case "invoiceId" -> { seen = once(seen, 3); invoiceId = text(p); }
                case "customerId" -> { seen = once(seen, 4); customerId = text(p); }
                case "references" -> { seen = once(seen, 5); references = references(p); }
                default -> unknown(p);
            }
        }
        return new Correlation(shipmentId, orderId, loadId, invoiceId, customerId, references);
    }

    private List<ExternalReference> references(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw UNEXPECTED;
        }
        List<ExternalReference> list = new ArrayList<>(4);
        for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                throw UNEXPECTED; // a null element (databind passes it on, and the record refuses it) or a scalar
            }
            ReferenceType type = null;
            String value = null;
            int seen = 0;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                switch (name) {
                    case "type" -> { seen = once(seen, 0); type = name(p, ReferenceType.class); }
                    case "value" -> { seen = once(seen, 1); value = text(p); }
                    default -> unknown(p);
                }
            }
            list.add(new ExternalReference(type, value));
        }
        return list;
    }

    private EventTime eventTime(JsonParser p) throws IOException {
        Instant utc = null;
        LocalDateTime local = null;
        String zoneId = null;
        TimeResolution resolution = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            switch (name) {
                case "utc" -> { seen = once(seen, 0); utc = instant(p); }
                case "local" -> { seen = once(seen, 1); local = local(p); }
                case "zoneId" -> { seen = once(seen, 2); zoneId = text(p); }
                case "resolution" -> { seen = once(seen, 3); resolution = name(p, TimeResolution.class); }
                default -> unknown(p);
            }
        }
        return new EventTime(utc, local, zoneId, resolution);
    }

    private Location location(JsonParser p) throws IOException {
        String name = null;
        String locationCode = null;
        Address address = null;
        Double latitude = null;
        Double longitude = null;
        Integer stopSequence = null;
        StopType stopType = null;
        int seen = 0;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            switch (field) {
                case "name" -> { seen = once(seen, 0); name = text(p); }
                case "locationCode" -> { seen = once(seen, 1); locationCode = text(p); }
                case "address" -> { seen = once(seen, 2); address = object(p) ? address(p) : null; }
                case "latitude" -> { seen = once(seen, 3); latitude = decimal(p); }
                case "longitude" -> { seen = once(seen, 4); longitude = decimal(p); }
                case "stopSequence" -> { seen = once(seen, 5); stopSequence = integer(p); }
                case "stopType" -> { seen = once(seen, 6); stopType = name(p, StopType.class); }
                default -> unknown(p);
            }
        }
        return new Location(name, locationCode, address, latitude, longitude, stopSequence, stopType);
    }

    private Address address(JsonParser p) throws IOException {
        String line1 = null;
        String city = null;
        String region = null;
        String postalCode = null;
        String country = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            switch (name) {
                case "line1" -> { seen = once(seen, 0); line1 = text(p); }
                case "city" -> { seen = once(seen, 1); city = text(p); }
                case "region" -> { seen = once(seen, 2); region = text(p); }
                case "postalCode" -> { seen = once(seen, 3); postalCode = text(p); }
                case "country" -> { seen = once(seen, 4); country = text(p); }
                default -> unknown(p);
            }
        }
        return new Address(line1, city, region, postalCode, country);
    }

    private Reason reason(JsonParser p) throws IOException {
        String code = null;
        String sourceCode = null;
        String sourceCodeList = null;
        String description = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            switch (name) {
                case "code" -> { seen = once(seen, 0); code = text(p); }
                case "sourceCode" -> { seen = once(seen, 1); sourceCode = text(p); }
                case "sourceCodeList" -> { seen = once(seen, 2); sourceCodeList = text(p); }
                case "description" -> { seen = once(seen, 3); description = text(p); }
                default -> unknown(p);
            }
        }
        return new Reason(code, sourceCode, sourceCodeList, description);
    }

    private Source source(JsonParser p) throws IOException {
        SourceSystem system = null;
        String partnerId = null;
        String sourceEventId = null;
        String sourceStatusCode = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            switch (name) {
                case "system" -> { seen = once(seen, 0); system = name(p, SourceSystem.class); }
                case "partnerId" -> { seen = once(seen, 1); partnerId = text(p); }
                case "sourceEventId" -> { seen = once(seen, 2); sourceEventId = text(p); }
                case "sourceStatusCode" -> { seen = once(seen, 3); sourceStatusCode = text(p); }
                default -> unknown(p);
            }
        }
        return new Source(system, partnerId, sourceEventId, sourceStatusCode);
    }

    private ProofOfDelivery pod(JsonParser p) throws IOException {
        String signedBy = null;
        Instant signedAt = null;
        String documentRef = null;
        String osdNotes = null;
        Boolean verified = null;
        String unverifiedReason = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            switch (name) {
                case "signedBy" -> { seen = once(seen, 0); signedBy = text(p); }
                case "signedAt" -> { seen = once(seen, 1); signedAt = instant(p); }
                case "documentRef" -> { seen = once(seen, 2); documentRef = text(p); }
                case "osdNotes" -> { seen = once(seen, 3); osdNotes = text(p); }
                case "verified" -> { seen = once(seen, 4); verified = nullableBool(p); }
                case "unverifiedReason" -> { seen = once(seen, 5); unverifiedReason = text(p); }
                default -> unknown(p); // "signed", which the mapper writes from isSigned() and ignores on reading
            }
        }
        return new ProofOfDelivery(signedBy, signedAt, documentRef, osdNotes, verified, unverifiedReason);
    }

    private Enrichment enrichment(JsonParser p) throws IOException {
        String customerId = null;
        Integer stopSequence = null;
        TimeWindow plannedWindow = null;
        long delayMinutes = 0;
        boolean late = false;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            switch (name) {
                case "customerId" -> { seen = once(seen, 0); customerId = text(p); }
                case "stopSequence" -> { seen = once(seen, 1); stopSequence = integer(p); }
                case "plannedWindow" -> { seen = once(seen, 2); plannedWindow = object(p) ? window(p) : null; }
                case "delayMinutes" -> { seen = once(seen, 3); delayMinutes = longValue(p); }
                case "late" -> { seen = once(seen, 4); late = bool(p); }
                default -> unknown(p);
            }
        }
        return new Enrichment(customerId, stopSequence, plannedWindow, delayMinutes, late);
    }

    private TimeWindow window(JsonParser p) throws IOException {
        Instant start = null;
        Instant end = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            switch (name) {
                case "start" -> { seen = once(seen, 0); start = instant(p); }
                case "end" -> { seen = once(seen, 1); end = instant(p); }
                default -> unknown(p);
            }
        }
        return new TimeWindow(start, end);
    }

    // --- values ---

    /** A repeated property goes to the mapper (which of the two it keeps is its business). */
    private static int once(int seen, int bit) {
        int mask = 1 << bit;
        if ((seen & mask) != 0) {
            throw UNEXPECTED;
        }
        return seen | mask;
    }

    private void unknown(JsonParser p) throws IOException {
        if (!skipUnknown) {
            throw UNEXPECTED;
        }
        p.nextToken();
        p.skipChildren();
    }

    /** True at the start of an object, false for null; anything else is unexpected. */
    private static boolean object(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw UNEXPECTED;
    }

    private static String text(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw UNEXPECTED;
    }

    private static <E extends Enum<E>> E name(JsonParser p, Class<E> type) throws IOException {
        String text = text(p);
        return text == null ? null : Enum.valueOf(type, text); // an unknown name: IllegalArgumentException, the mapper's
    }

    private static Instant instant(JsonParser p) throws IOException {
        String text = text(p);
        if (text == null) {
            return null;
        }
        Instant t = IsoTimes.instantOrNull(text);
        if (t == null) {
            throw UNEXPECTED;
        }
        return t;
    }

    private static LocalDateTime local(JsonParser p) throws IOException {
        String text = text(p);
        if (text == null) {
            return null;
        }
        LocalDateTime t = IsoTimes.localOrNull(text);
        if (t == null) {
            throw UNEXPECTED;
        }
        return t;
    }

    private static int intValue(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw UNEXPECTED;
        }
        return p.getIntValue();
    }

    private static Integer integer(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw UNEXPECTED;
        }
        return p.getIntValue();
    }

    private static long longValue(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw UNEXPECTED;
        }
        return p.getLongValue();
    }

    private static Double decimal(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
            throw UNEXPECTED;
        }
        return p.getDoubleValue();
    }

    private static boolean bool(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return false;
        }
        throw UNEXPECTED;
    }

    private static Boolean nullableBool(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        throw UNEXPECTED;
    }
}
