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

    /** An optional integer parameter in [min, max]; {@code fallback} when absent. */
    public static int optionalInt(String name, String value, int fallback, int min, int max) {
        return (int) optionalLong(name, value, fallback, min, max);
    }

    /** An optional integer parameter in [min, max]; {@code fallback} when absent. */
    public static long optionalLong(String name, String value, long fallback, long min, long max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        throw ProblemException.badRequest(name, "must be an integer from " + min + " to " + max);
    }
}
