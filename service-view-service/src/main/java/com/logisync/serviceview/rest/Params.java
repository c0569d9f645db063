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
}
