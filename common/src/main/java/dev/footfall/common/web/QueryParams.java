package dev.footfall.common.web;

import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.time.Timestamps;
import java.time.Instant;
import java.time.LocalDate;

/** Reads query parameters with errors that name the parameter, so resources stay one line per parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    public static Instant requiredInstant(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest(name, "is required");
        }
        return optionalInstant(name, value);
    }

    public static Instant optionalInstant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Timestamps.parse(value);
        } catch (Timestamps.InvalidTimestampException e) {
            throw ProblemException.badRequest(name, e.getMessage());
        }
    }

    public static LocalDate requiredDate(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest(name, "is required");
        }
        try {
            return Timestamps.parseDate(value);
        } catch (Timestamps.InvalidTimestampException e) {
            throw ProblemException.badRequest(name, e.getMessage());
        }
    }
}
