package com.logisync.serviceview.rest;

import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Query parameters checked by hand, answered with a 400 problem naming the parameter. */
final class Params {

    private Params() {
    }

    static ProblemException invalid(String field, String code, String message) {
        return new ProblemException(400, "validation", "Invalid request", field + " " + message,
                List.of(new Problem.FieldError(field, code, message)), null);
    }

    static <E extends Enum<E>> E optionalEnum(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(field, "INVALID_VALUE", "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    static int page(Integer page) {
        if (page == null) {
            return 0;
        }
        if (page < 0) {
            throw invalid("page", "OUT_OF_RANGE", "must be 0 or more");
        }
        return page;
    }

    static int size(Integer size) {
        if (size == null) {
            return 50;
        }
        if (size < 1 || size > 500) {
            throw invalid("size", "OUT_OF_RANGE", "must be between 1 and 500");
        }
        return size;
    }
}
