package dev.footfall.holiday.service;

import dev.footfall.common.problem.ProblemException;
import dev.footfall.holiday.model.CalendarRef;
import dev.footfall.holiday.model.Subdivision;
import dev.footfall.holiday.service.provider.JollydayCalendars;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * ISO 3166 codes and the holiday calendar each location keeps. Countries are checked against ISO 3166-1 (the JDK's
 * list); subdivisions of the countries listed in {@code iso3166/subdivisions.csv} (GB, NL) against that complete list,
 * and of other countries against the subdivisions the holiday library knows.
 */
@ApplicationScoped
public class SubdivisionCatalog {

    static final String RESOURCE = "iso3166/subdivisions.csv";
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final JollydayCalendars calendars;
    private final Map<String, Subdivision> subdivisions;
    private final Set<String> listedCountries;

    SubdivisionCatalog(JollydayCalendars calendars) {
        this.calendars = calendars;
        this.subdivisions = read();
        this.listedCountries = new HashSet<>();
        subdivisions.keySet().forEach(code -> listedCountries.add(code.substring(0, 2)));
    }

    public Subdivision subdivision(String code) {
        return subdivisions.get(code);
    }

    /** The listed codes of one country. */
    public List<String> codes(String country) {
        return subdivisions.keySet().stream().filter(code -> code.startsWith(country + "-")).sorted().toList();
    }

    public int size() {
        return subdivisions.size();
    }

    /**
     * Checks the codes (upper case) and answers where the holidays come from; a 400 problem naming the field when a
     * code is not valid or the library has no calendar for it. May build a library calendar: call off the event loop.
     */
    public CalendarRef resolve(String country, String subdivision) {
        if (!COUNTRIES.contains(country)) {
            throw ProblemException.badRequest("country_code", "\"" + country + "\" is not an ISO 3166-1 alpha-2 country code");
        }
        if (!calendars.hasCountry(country)) {
            throw ProblemException.badRequest("country_code", "no holiday calendar is available for " + country);
        }
        String lower = country.toLowerCase(Locale.ROOT);
        if (subdivision == null) {
            return new CalendarRef(List.of(lower), country, null);
        }
        if (!subdivision.startsWith(country + "-")) {
            throw ProblemException.badRequest("subdivision_code",
                    "\"" + subdivision + "\" is not a subdivision of " + country);
        }
        if (listedCountries.contains(country)) {
            Subdivision known = subdivisions.get(subdivision);
            if (known == null) {
                throw ProblemException.badRequest("subdivision_code",
                        "\"" + subdivision + "\" is not an ISO 3166-2 subdivision of " + country);
            }
            List<String> path = Arrays.asList(known.calendar().split("/"));
            String region = known.holidayRegion().contains("-") ? known.holidayRegion() : null;
            return new CalendarRef(path, path.get(0).toUpperCase(Locale.ROOT), region);
        }
        String region = subdivision.substring(country.length() + 1);
        if (!calendars.hasRegion(country, region)) {
            throw ProblemException.badRequest("subdivision_code", "\"" + subdivision
                    + "\" is not a subdivision of " + country + " that the holiday calendar knows");
        }
        return new CalendarRef(List.of(lower, region.toLowerCase(Locale.ROOT)), country, subdivision);
    }

    private static Map<String, Subdivision> read() {
        var stream = SubdivisionCatalog.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (stream == null) {
            throw new IllegalStateException("Missing " + RESOURCE);
        }
        Map<String, Subdivision> result = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("subdivision_code,")) {
                    continue;
                }
                List<String> f = csv(line);
                if (f.size() != 5) {
                    throw new IllegalStateException("Bad line in " + RESOURCE + ": " + line);
                }
                result.put(f.get(0), new Subdivision(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE, e);
        }
        return Map.copyOf(result);
    }

    /** Splits one CSV line; fields may be double-quoted (names with commas). */
    private static List<String> csv(String line) {
        List<String> fields = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
