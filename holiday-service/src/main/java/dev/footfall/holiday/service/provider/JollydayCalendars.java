package dev.footfall.holiday.service.provider;

import de.focus_shift.jollyday.core.CalendarHierarchy;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The holiday library's calendars (jollyday, de.focus-shift), one manager per country, built once: building reads the
 * library's XML, so callers run on a worker thread the first time.
 */
@ApplicationScoped
public class JollydayCalendars {

    private final Map<String, HolidayManager> managers = new ConcurrentHashMap<>();
    private final Set<String> supported = Set.copyOf(HolidayManager.getSupportedCalendarCodes().stream()
            .map(code -> code.toLowerCase(Locale.ROOT)).toList());

    /** True when the library has a calendar for this ISO 3166-1 alpha-2 code. */
    public boolean hasCountry(String countryCode) {
        return supported.contains(countryCode.toLowerCase(Locale.ROOT));
    }

    public HolidayManager manager(String calendar) {
        return managers.computeIfAbsent(calendar.toLowerCase(Locale.ROOT),
                code -> HolidayManager.getInstance(ManagerParameters.create(code)));
    }

    /** True when the country's calendar has this sub-calendar ({@code de} / {@code by}). */
    public boolean hasRegion(String countryCode, String region) {
        CalendarHierarchy root = manager(countryCode).getCalendarHierarchy();
        return root.getChildren().containsKey(region.toLowerCase(Locale.ROOT));
    }
}
