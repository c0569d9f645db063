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

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(400, "validation", "Invalid request", field + " " + message,
                List.of(new Problem.FieldError(field, "invalid", message)), null);
    }
}
