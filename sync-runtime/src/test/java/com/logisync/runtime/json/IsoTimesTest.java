package com.logisync.runtime.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fast ISO reader answers what java.time's parser answers, and leaves every other shape to it. */
class IsoTimesTest {

    private final ObjectMapper standard = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final ObjectMapper fast = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new FastTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void readsTheUsualShapesExactly() {
        assertEquals(Instant.parse("2026-12-01T06:59:12Z"), IsoTimes.instantOrNull("2026-12-01T06:59:12Z"));
        assertEquals(Instant.parse("2026-12-01T06:59:12.1Z"), IsoTimes.instantOrNull("2026-12-01T06:59:12.1Z"));
        assertEquals(Instant.parse("2026-12-01T06:59:12.123456789Z"), IsoTimes.instantOrNull("2026-12-01T06:59:12.123456789Z"));
        assertEquals(LocalDateTime.parse("2026-11-28T09:30:00.250"), IsoTimes.localOrNull("2026-11-28T09:30:00.250"));
        assertEquals(1_764_572_352_000L, IsoTimes.instantOrNull("2025-12-01T06:59:12Z").toEpochMilli());
    }

    @Test
    void agreesWithJavaTimeOnAHundredThousandRandomInstants() {
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(0, 1_000_000_000));
            String text = t.toString(); // 0, 3, 6 or 9 fraction digits, as Instant prints them
            assertEquals(t, IsoTimes.instantOrNull(text), text);
            String local = text.substring(0, text.length() - 1);
            assertEquals(LocalDateTime.parse(local), IsoTimes.localOrNull(local), local);
        }
    }

    @Test
    void writesWhatInstantToStringWrites() throws Exception {
        SplittableRandom random = new SplittableRandom(21);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-100_000_000_000L, 300_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(0, 1000) * 1_000_000;
                case 2 -> random.nextInt(0, 1_000_000) * 1_000;
                default -> random.nextInt(0, 1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nano);
            assertEquals(t.toString(), IsoTimes.format(t));
        }
        assertEquals("1970-01-01T00:00:00Z", IsoTimes.format(Instant.EPOCH));
        assertEquals("2026-12-01T06:59:12.120Z", IsoTimes.format(Instant.parse("2026-12-01T06:59:12.12Z")));
        assertEquals("9999-12-31T23:59:59.999999999Z", IsoTimes.format(Instant.parse("9999-12-31T23:59:59.999999999Z")));
        Instant t = Instant.parse("2026-12-01T06:59:12.000001Z");
        assertEquals(standard.writeValueAsString(t), fast.writeValueAsString(t));
        assertEquals(standard.copy().enable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writeValueAsString(t), fast.copy().enable(com.fasterxml.jackson.databind.SerializationFeature
                        .WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(t));
    }

    @Test
    void writesALocalDateTimeAsJacksonsJavaTimeModuleWritesIt() throws Exception {
        SplittableRandom random = new SplittableRandom(23);
        for (int i = 0; i < 100_000; i++) {
            int nano = switch (i % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(0, 1000) * 1_000_000;
                case 2 -> random.nextInt(0, 1_000_000) * 1_000;
                case 3 -> random.nextInt(1, 10) * 100_000_000;
                default -> random.nextInt(0, 1_000_000_000);
            };
            LocalDateTime t = LocalDateTime.ofEpochSecond(random.nextLong(-70_000_000_000L, 300_000_000_000L), nano,
                    java.time.ZoneOffset.UTC);
            assertEquals(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t), IsoTimes.format(t));
        }
        assertEquals("2026-11-28T09:30:00.25", IsoTimes.format(LocalDateTime.parse("2026-11-28T09:30:00.250")));
        assertEquals("2026-11-28T09:30:00", IsoTimes.format(LocalDateTime.parse("2026-11-28T09:30")));
        assertEquals("0001-01-01T00:00:00.000000001", IsoTimes.format(LocalDateTime.parse("0001-01-01T00:00:00.000000001")));
        assertEquals("+10000-01-01T00:00:00", IsoTimes.format(LocalDateTime.of(10_000, 1, 1, 0, 0)));
        for (LocalDateTime t : java.util.List.of(LocalDateTime.parse("2026-11-28T09:30:00.250"),
                LocalDateTime.parse("2026-11-28T09:30"), LocalDateTime.of(-5, 3, 1, 12, 0, 1, 7))) {
            assertEquals(standard.writeValueAsString(t), fast.writeValueAsString(t));
            assertEquals(standard.copy().enable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .writeValueAsString(t), fast.copy().enable(com.fasterxml.jackson.databind.SerializationFeature
                            .WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(t));
        }
    }

    @Test
    void anOffsetDateTimeAtUtcIsWrittenAsIsoOffsetDateTimeWritesIt() {
        SplittableRandom random = new SplittableRandom(31);
        java.time.ZoneOffset[] offsets = {java.time.ZoneOffset.UTC, java.time.ZoneOffset.ofHours(-6),
                java.time.ZoneOffset.ofHoursMinutes(5, 30)};
        for (int i = 0; i < 100_000; i++) {
            int nano = i % 3 == 0 ? random.nextInt(0, 1_000_000) * 1_000 : i % 3 == 1 ? 0 : random.nextInt(0, 1_000_000_000);
            java.time.OffsetDateTime t = Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 300_000_000_000L), nano)
                    .atOffset(offsets[i % offsets.length]);
            assertEquals(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    t.withOffsetSameInstant(java.time.ZoneOffset.UTC)), IsoTimes.formatAtUtc(t), t.toString());
        }
        assertEquals("2026-12-02T23:21:13.4567Z",
                IsoTimes.formatAtUtc(java.time.OffsetDateTime.parse("2026-12-02T17:21:13.456700-06:00")));
    }

    @Test
    void anInstantAtUtcIsWhatAtOffsetAnswers() {
        SplittableRandom random = new SplittableRandom(29);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 300_000_000_000L),
                    random.nextInt(0, 1_000_000_000));
            assertEquals(t.atOffset(java.time.ZoneOffset.UTC), IsoTimes.atUtc(t), t.toString());
        }
        assertEquals(java.time.OffsetDateTime.parse("2026-12-02T17:50:01.5Z"),
                IsoTimes.atUtc(Instant.parse("2026-12-02T17:50:01.500Z")));
        assertThrows(java.time.DateTimeException.class, () -> IsoTimes.atUtc(Instant.MAX));
    }

    @Test
    void leavesEveryOtherShapeToTheStandardParser() {
        assertNull(IsoTimes.instantOrNull("2026-12-01T08:59:12+02:00"));
        assertNull(IsoTimes.instantOrNull("2026-12-01T06:59Z"));
        assertNull(IsoTimes.instantOrNull("2026-02-30T06:59:12Z"));
        assertNull(IsoTimes.instantOrNull("2026-12-01T24:00:00Z"));
        assertNull(IsoTimes.instantOrNull("2016-12-31T23:59:60Z"));
        assertNull(IsoTimes.instantOrNull("2026-12-01T06:59:12.Z"));
        assertNull(IsoTimes.instantOrNull("2026-12-01T06:59:12.1234567890Z"));
        assertNull(IsoTimes.instantOrNull("2026-12-01 06:59:12Z"));
        assertNull(IsoTimes.instantOrNull("2026-1x-01T06:59:12Z"));
        assertNull(IsoTimes.localOrNull("2026-12-01T06:59:12Z"));
        assertNull(IsoTimes.localOrNull("+12026-12-01T06:59:12"));
    }

    @Test
    void theModuleReadsWhatJacksonReadsAndFailsWhereItFails() throws Exception {
        for (String json : new String[] {"\"2026-12-01T06:59:12.5Z\"", "\"2026-12-01T08:59:12+02:00\"", "1764572352.5",
                "\"2016-12-31T23:59:60Z\"", "null"}) {
            assertEquals(standard.readValue(json, Instant.class), fast.readValue(json, Instant.class), json);
        }
        for (String json : new String[] {"\"2026-11-28T09:30:00.250\"", "\"2026-11-28T09:30\"", "[2026,11,28,9,30]"}) {
            assertEquals(standard.readValue(json, LocalDateTime.class), fast.readValue(json, LocalDateTime.class), json);
        }
        InvalidFormatException expected = assertThrows(InvalidFormatException.class,
                () -> standard.readValue("\"2026-02-30T06:59:12Z\"", Instant.class));
        InvalidFormatException actual = assertThrows(InvalidFormatException.class,
                () -> fast.readValue("\"2026-02-30T06:59:12Z\"", Instant.class));
        assertEquals(expected.getOriginalMessage(), actual.getOriginalMessage());
    }

    @Test
    void anOffsetDateTimeReadsAsJacksonReadsItWhateverTheTimeZoneSettings() throws Exception {
        String[] texts = {"\"2026-12-01T06:59:12.239721788Z\"", "\"2026-12-01T06:59:12Z\"", "\"2026-12-01T08:59:12+02:00\"",
                "\"2026-12-01T00:59:12-06:00\"", "null"};
        for (boolean adjust : new boolean[] {true, false}) {
            com.fasterxml.jackson.databind.ObjectMapper plain = standard.copy()
                    .configure(com.fasterxml.jackson.databind.DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE, adjust);
            com.fasterxml.jackson.databind.ObjectMapper quick = fast.copy()
                    .configure(com.fasterxml.jackson.databind.DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE, adjust);
            for (String json : texts) {
                java.time.OffsetDateTime expected = plain.readValue(json, java.time.OffsetDateTime.class);
                java.time.OffsetDateTime actual = quick.readValue(json, java.time.OffsetDateTime.class);
                // equals: the same instant and the same offset (Z stays Z, -06:00 stays what jsr310 made of it).
                assertEquals(expected, actual, json + " adjust=" + adjust);
            }
        }
        assertEquals(java.time.OffsetDateTime.parse("2026-12-01T06:59:12.239721788Z"),
                fast.readValue("\"2026-12-01T06:59:12.239721788Z\"", java.time.OffsetDateTime.class));
        InvalidFormatException expected = assertThrows(InvalidFormatException.class,
                () -> standard.readValue("\"2026-02-30T06:59:12Z\"", java.time.OffsetDateTime.class));
        InvalidFormatException actual = assertThrows(InvalidFormatException.class,
                () -> fast.readValue("\"2026-02-30T06:59:12Z\"", java.time.OffsetDateTime.class));
        assertEquals(expected.getOriginalMessage(), actual.getOriginalMessage());
    }
}
