package com.logisync.runtime.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads the ISO-8601 shapes every LogiSync event carries ({@code 2026-12-01T06:59:12.123456Z} for an
 * instant, the same without a zone for a local date-time) by their fixed positions. Jackson's java.time
 * deserializers parse through {@link java.time.format.DateTimeFormatter}, which was 47 % of decoding an
 * event, and decoding 17 % of a warm service-view's CPU (async-profiler, 2026-12-01). Any other shape
 * (an offset, a number, a leap second, a date that does not exist) answers null, and the caller falls
 * back to the standard parser, with its answers and its errors.
 */
public final class IsoTimes {

    private IsoTimes() {
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} as an instant, or null for any other text. */
    public static Instant instantOrNull(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(n - 1) != 'Z') {
            return null;
        }
        LocalDateTime local = localOrNull(s, n - 1);
        return local == null ? null : local.toInstant(ZoneOffset.UTC);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]} as a local date-time, or null for any other text. */
    public static LocalDateTime localOrNull(String s) {
        return localOrNull(s, s.length());
    }

    private static LocalDateTime localOrNull(String s, int end) {
        if (end < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int nanos = 0;
        if (end > 19) {
            int fraction = end - 20;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(s, 20, fraction);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        } catch (DateTimeException notADate) {
            return null;
        }
    }

    /** Seconds of 10000-01-01T00:00:00Z: from there on {@link Instant#toString()} prints a sign and five digits. */
    private static final long YEAR_10000 = 253_402_300_800L;

    /**
     * The text {@link Instant#toString()} gives (ISO-8601 in UTC, the fraction in groups of three digits, none
     * when zero), written by position for the years 1970 to 9999 and by {@code toString} otherwise. Jackson
     * writes instants through {@link java.time.format.DateTimeFormatter#ISO_INSTANT}, which was a quarter of
     * serialising a customer event (async-profiler, 2026-12-01).
     */
    public static String format(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds < 0 || seconds >= YEAR_10000) {
            return t.toString();
        }
        int nano = t.getNano();
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(seconds / 86_400);
        int secondOfDay = (int) (seconds % 86_400);
        int fraction = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        char[] c = new char[20 + (fraction == 0 ? 0 : fraction + 1)];
        int digits = fraction == 3 ? nano / 1_000_000 : fraction == 6 ? nano / 1_000 : nano;
        put(c, date.getYear(), date.getMonthValue(), date.getDayOfMonth(), secondOfDay / 3600, secondOfDay / 60 % 60,
                secondOfDay % 60, digits, fraction);
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    /**
     * {@code t} at offset UTC: what {@code t.atOffset(ZoneOffset.UTC)} answers, without its zone rules. On Java 17
     * {@code ZoneOffset.getRules()} makes a new {@code ZoneRules} with its own {@code ConcurrentHashMap} on every
     * call, and {@code OffsetDateTime.ofInstant} asks for them: 3.5 % of a busy service-view's allocation
     * (async-profiler, 2026-12-02), for every time bound to a statement or read from a report.
     */
    public static java.time.OffsetDateTime atUtc(Instant t) {
        return java.time.OffsetDateTime.of(LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC),
                ZoneOffset.UTC);
    }

    /**
     * What {@link java.time.format.DateTimeFormatter#ISO_LOCAL_DATE_TIME} writes for {@code t} (jsr310's
     * default for a {@link LocalDateTime}): {@code yyyy-MM-ddTHH:mm:ss}, then the fraction without its trailing
     * zeros, if any; years outside 0000-9999 by the formatter itself. The formatter was 1.5 % of
     * milestone-service's CPU in the batch phase (async-profiler, 2026-12-02): a report's local stop time.
     */
    public static String format(LocalDateTime t) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        int nano = t.getNano();
        int fraction = 0;
        int digits = nano;
        if (nano != 0) {
            fraction = 9;
            while (digits % 10 == 0) {
                digits /= 10;
                fraction--;
            }
        }
        char[] c = new char[19 + (fraction == 0 ? 0 : fraction + 1)];
        put(c, year, t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), digits, fraction);
        return new String(c);
    }

    /**
     * What {@link java.time.format.DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes for {@code t} moved to UTC: the
     * local date-time as {@link #format(LocalDateTime)} writes it, then {@code Z}. The outbox relay's
     * {@code ce_time} header of every record; the formatter was 1.3 % of milestone-service's CPU in the batch
     * phase (async-profiler, 2026-12-03).
     */
    public static String formatAtUtc(java.time.OffsetDateTime t) {
        return format(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()) + "Z";
    }

    /** {@code yyyy-MM-ddTHH:mm:ss} from the start of {@code c}, then {@code .} and the fraction's digits if any. */
    private static void put(char[] c, int year, int month, int day, int hour, int minute, int second, int digits,
            int fraction) {
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, month, 2);
        c[7] = '-';
        put(c, 8, day, 2);
        c[10] = 'T';
        put(c, 11, hour, 2);
        c[13] = ':';
        put(c, 14, minute, 2);
        c[16] = ':';
        put(c, 17, second, 2);
        if (fraction > 0) {
            c[19] = '.';
            put(c, 20, digits, fraction);
        }
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal value of {@code count} ASCII digits from {@code from}, or -1 if one is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
