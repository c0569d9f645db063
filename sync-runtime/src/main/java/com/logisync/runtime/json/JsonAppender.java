package com.logisync.runtime.json;

import java.time.Instant;
import java.time.LocalDateTime;

/**
 * JSON text appended member by member to a per-thread {@link StringBuilder}, in exactly the form the services'
 * ObjectMapper writes it (no whitespace, Jackson's string escapes, ISO-8601 times by {@link IsoTimes}). For the
 * events written once per milestone on the hot paths ({@code MilestoneRecordedJson} in milestone-service's
 * ingestion, {@code CustomerEventJson} in service-view), where databind's per-property reflection and Jackson's
 * generator into a {@code StringWriter} were 7-8 % of the service's CPU (async-profiler, 2026-12-02). Each writer
 * states its type's inclusion rules and is compared with the mapper on random events by its test.
 *
 * <p>Not thread-safe: {@link #start()} hands the calling thread its own appender, reset; {@link #finish()} gives
 * the text.
 */
public final class JsonAppender {

    private static final ThreadLocal<JsonAppender> APPENDERS = ThreadLocal.withInitial(JsonAppender::new);
    /** A builder grown past this by an unusual event is dropped after it, not kept for the thread's life. */
    private static final int KEPT_CAPACITY = 64 * 1024;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder out = new StringBuilder(2048);
    private boolean first = true;

    private JsonAppender() {
    }

    /** The calling thread's appender, emptied, with the root object opened. */
    public static JsonAppender start() {
        JsonAppender a = APPENDERS.get();
        a.out.setLength(0);
        a.out.append('{');
        a.first = true;
        return a;
    }

    /** Closes the root object and returns the text. */
    public String finish() {
        out.append('}');
        String json = out.toString();
        if (out.capacity() > KEPT_CAPACITY) {
            APPENDERS.remove();
        }
        return json;
    }

    /** The member's name and colon, after a comma unless it is its object's first member. */
    public JsonAppender name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        out.append('"').append(name).append("\":");
        return this;
    }

    public JsonAppender startObject(String name) {
        name(name);
        out.append('{');
        first = true;
        return this;
    }

    public JsonAppender endObject() {
        out.append('}');
        first = false;
        return this;
    }

    public JsonAppender startArray(String name) {
        name(name);
        out.append('[');
        first = true;
        return this;
    }

    public JsonAppender endArray() {
        out.append(']');
        first = false;
        return this;
    }

    /** An object as an array's element. */
    public JsonAppender startElementObject() {
        if (!first) {
            out.append(',');
        }
        out.append('{');
        first = true;
        return this;
    }

    /** A string as an array's element, {@code null} for null. */
    public JsonAppender element(String value) {
        if (!first) {
            out.append(',');
        }
        first = false;
        return value(value);
    }

    // --- members left out when null (NON_NULL) ---

    public JsonAppender field(String name, String value) {
        return value == null ? this : name(name).value(value);
    }

    public JsonAppender field(String name, Enum<?> value) {
        return value == null ? this : name(name).value(value.name());
    }

    public JsonAppender field(String name, Long value) {
        if (value != null) {
            name(name);
            out.append(value.longValue());
        }
        return this;
    }

    /** jsr310's text with WRITE_DATES_AS_TIMESTAMPS off: ISO_INSTANT, by position. */
    public JsonAppender field(String name, Instant value) {
        return value == null ? this : name(name).value(value);
    }

    /** jsr310's text with WRITE_DATES_AS_TIMESTAMPS off: ISO_LOCAL_DATE_TIME, by position. */
    public JsonAppender field(String name, LocalDateTime value) {
        if (value != null) {
            name(name);
            out.append('"').append(IsoTimes.format(value)).append('"');
        }
        return this;
    }

    public JsonAppender field(String name, Integer value) {
        if (value != null) {
            name(name);
            out.append(value.intValue());
        }
        return this;
    }

    /** Jackson's number text for a double: {@link Double#toString}. */
    public JsonAppender field(String name, Double value) {
        if (value != null) {
            name(name);
            double d = value;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                // Jackson writes these as quoted text by default (QUOTE_NON_NUMERIC_NUMBERS).
                out.append('"').append(d).append('"');
            } else {
                out.append(d);
            }
        }
        return this;
    }

    public JsonAppender field(String name, Boolean value) {
        if (value != null) {
            name(name);
            out.append(value.booleanValue());
        }
        return this;
    }

    // --- members always written (primitives, and the mapper's default inclusion) ---

    public JsonAppender always(String name, String value) {
        return name(name).value(value);
    }

    public JsonAppender always(String name, Enum<?> value) {
        return name(name).value(value == null ? null : value.name());
    }

    public JsonAppender always(String name, Instant value) {
        name(name);
        if (value == null) {
            out.append("null");
            return this;
        }
        return value(value);
    }

    public JsonAppender always(String name, int value) {
        name(name);
        out.append(value);
        return this;
    }

    public JsonAppender always(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    public JsonAppender always(String name, boolean value) {
        name(name);
        out.append(value);
        return this;
    }

    private JsonAppender value(String value) {
        if (value == null) {
            out.append("null");
        } else {
            string(out, value);
        }
        return this;
    }

    private JsonAppender value(Instant value) {
        out.append('"').append(IsoTimes.format(value)).append('"');
        return this;
    }

    /**
     * A JSON string as Jackson writes it by default: {@code "} and {@code \} escaped with a backslash, the
     * control characters below 0x20 as {@code \b \t \n \f \r} or as a six-character escape (a backslash, {@code u00}
     * and two upper-case hex digits), everything else as it is. Public for writers of other shapes (service-view's
     * compact feed rows) that must escape a string exactly as this appender does.
     */
    public static void string(StringBuilder out, String s) {
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
