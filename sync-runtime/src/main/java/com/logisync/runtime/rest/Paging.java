package com.logisync.runtime.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The project's list paging (architecture, "Paths and paging"): {@code limit} from 1 to 500 (50 by
 * default) and an opaque {@code cursor} that encodes where the last page ended in the list's stable
 * order. Bad values are a 400 problem naming the parameter.
 */
public final class Paging {

    public static final int MAX_LIMIT = 500;

    private Paging() {
    }

    public static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("limit", "must be 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** The position a cursor names, or {@code ifAbsent} for the first page. */
    public static String after(String cursor, String ifAbsent) {
        if (cursor == null) {
            return ifAbsent;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("cursor", "is not a cursor this API gave");
        }
    }

    /** The cursor of the page after the one that ended at {@code position}. */
    public static String cursor(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** Where a page ended in a list ordered by a time and an id (the id breaks ties). */
    public record Position(java.time.Instant at, String id) {
    }

    /** The default page size of every list. */
    public static final int DEFAULT_LIMIT = 50;

    /** {@code limit} as given, or {@link #DEFAULT_LIMIT}; 400 outside 1 to {@link #MAX_LIMIT}. */
    public static int limit(Integer limit) {
        return limit == null ? DEFAULT_LIMIT : limit((int) limit);
    }

    /** {@code updatedSince} as an instant, {@code null} when absent; 400 naming it when it is not ISO-8601. */
    public static java.time.Instant updatedSince(String updatedSince) {
        if (updatedSince == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(updatedSince);
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid("updatedSince", "is not an ISO-8601 instant");
        }
    }

    /** The position a cursor of {@link #cursor(java.time.Instant, String)} names; {@code null} for the first page. */
    public static Position position(String cursor) {
        String raw = after(cursor, null);
        if (raw == null) {
            return null;
        }
        int bar = raw.indexOf('|');
        try {
            if (bar < 1) {
                throw new IllegalArgumentException(raw);
            }
            return new Position(java.time.Instant.parse(raw.substring(0, bar)), raw.substring(bar + 1));
        } catch (RuntimeException e) {
            throw invalid("cursor", "is not a cursor this API gave");
        }
    }

    /** The cursor of the page after the one whose last item was at {@code at} with {@code id}. */
    public static String cursor(java.time.Instant at, String id) {
        return cursor(at + "|" + id);
    }

    /**
     * The next page's cursor: present when the query, asked for {@code limit + 1} rows, found more than
     * {@code limit}; {@code page} is cut to {@code limit}.
     */
    public static <T> String next(java.util.List<T> fetched, int limit, java.util.function.Function<T, String> cursorOf) {
        return fetched.size() > limit ? cursorOf.apply(fetched.get(limit - 1)) : null;
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(400, "validation", "Invalid request", field + " " + message,
                List.of(new Problem.FieldError(field, "invalid", message)), null);
    }
}
