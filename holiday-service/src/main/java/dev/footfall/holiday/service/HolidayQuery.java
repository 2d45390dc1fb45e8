package dev.footfall.holiday.service;

import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.time.Timestamps;
import dev.footfall.common.web.QueryParams;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A checked holiday query: an inclusive date range of at most {@code maxYears} years, the holiday types wanted (the
 * days off, {@code public} and {@code bank}, plus any asked for) and optionally the instant to answer as of.
 */
public record HolidayQuery(LocalDate from, LocalDate to, Set<String> types, Instant asOf) {

    public static final Set<String> DEFAULT_TYPES = Set.of("public", "bank");
    public static final Set<String> ALL_TYPES = Set.of("public", "bank", "optional", "school", "authorities",
            "observance");
    static final List<String> TYPE_ORDER = List.of("public", "bank", "optional", "school", "authorities", "observance");
    /** Years outside these are refused: no calendar source covers them meaningfully. */
    static final int MIN_YEAR = 1900;
    static final int MAX_YEAR = 2199;

    public static HolidayQuery of(String from, String to, List<String> types, String asOf, int maxYears) {
        LocalDate start = QueryParams.requiredDate("from", from);
        LocalDate end = QueryParams.requiredDate("to", to);
        if (start.getYear() < MIN_YEAR || start.getYear() > MAX_YEAR) {
            throw ProblemException.badRequest("from", "must be in the years " + MIN_YEAR + " to " + MAX_YEAR);
        }
        if (end.getYear() < MIN_YEAR || end.getYear() > MAX_YEAR) {
            throw ProblemException.badRequest("to", "must be in the years " + MIN_YEAR + " to " + MAX_YEAR);
        }
        if (end.isBefore(start)) {
            throw ProblemException.badRequest("to", "must not be before from (" + start + ")");
        }
        if (!end.isBefore(start.plusYears(maxYears))) {
            throw ProblemException.badRequest("to", "the range may span at most " + maxYears + " years (to at most "
                    + start.plusYears(maxYears).minusDays(1) + ")");
        }
        return new HolidayQuery(start, end, types(types), asOf(asOf));
    }

    /** The types as bits in the order of {@link #TYPE_ORDER}: a small, cheap part of a cache key. */
    public int typeBits() {
        int bits = 0;
        for (int i = 0; i < TYPE_ORDER.size(); i++) {
            if (types.contains(TYPE_ORDER.get(i))) {
                bits |= 1 << i;
            }
        }
        return bits;
    }

    private static Set<String> types(List<String> values) {
        if (values == null) {
            return DEFAULT_TYPES;
        }
        Set<String> wanted = new LinkedHashSet<>(DEFAULT_TYPES);
        for (String value : values) {
            for (String type : value.split(",")) {
                String t = type.trim().toLowerCase(Locale.ROOT);
                if (t.isEmpty()) {
                    continue;
                }
                if (t.equals("all")) {
                    wanted.addAll(ALL_TYPES);
                } else if (ALL_TYPES.contains(t)) {
                    wanted.add(t);
                } else {
                    throw ProblemException.badRequest("types", "\"" + type.trim() + "\" is not one of " + String.join(", ",
                            List.of("public", "bank", "optional", "school", "authorities", "observance", "all")));
                }
            }
        }
        return Set.copyOf(wanted);
    }

    private static Instant asOf(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.trim().length() == 10) {
            try {
                // A date means the start of that day, UTC.
                return Timestamps.parseDate(value.trim()).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (Timestamps.InvalidTimestampException e) {
                throw ProblemException.badRequest("as_of", e.getMessage());
            }
        }
        return QueryParams.optionalInstant("as_of", value);
    }
}
