package dev.footfall.holiday.service.provider;

import de.focus_shift.jollyday.core.HolidayType;
import dev.footfall.holiday.model.CalendarRef;
import dev.footfall.holiday.model.Holiday;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Year;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The default provider: computes holidays offline with the jollyday library, plus the overlay of missing days. */
@ApplicationScoped
public class OfflineHolidayProvider implements HolidayProvider {

    public static final String NAME = "offline";

    /** The language of local names for the countries whose names the library carries in more than English. */
    private static final Map<String, Locale> LOCAL_LANGUAGE = Map.ofEntries(
            Map.entry("nl", Locale.forLanguageTag("nl")), Map.entry("aw", Locale.forLanguageTag("nl")),
            Map.entry("cw", Locale.forLanguageTag("nl")), Map.entry("sx", Locale.forLanguageTag("nl")),
            Map.entry("bq", Locale.forLanguageTag("nl")), Map.entry("sr", Locale.forLanguageTag("nl")),
            Map.entry("de", Locale.GERMAN), Map.entry("at", Locale.GERMAN), Map.entry("li", Locale.GERMAN),
            Map.entry("fr", Locale.FRENCH), Map.entry("mc", Locale.FRENCH),
            Map.entry("pt", Locale.forLanguageTag("pt")), Map.entry("br", Locale.forLanguageTag("pt")),
            Map.entry("se", Locale.forLanguageTag("sv")),
            Map.entry("gr", Locale.forLanguageTag("el")), Map.entry("cy", Locale.forLanguageTag("el")));

    private static final Comparator<Holiday> ORDER = Comparator.comparing(Holiday::date).thenComparing(Holiday::name);

    private final JollydayCalendars calendars;
    private final HolidayOverlay overlay;

    @Inject
    OfflineHolidayProvider(JollydayCalendars calendars) {
        this(calendars, HolidayOverlay.load());
    }

    public OfflineHolidayProvider(JollydayCalendars calendars, HolidayOverlay overlay) {
        this.calendars = calendars;
        this.overlay = overlay;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<List<Holiday>> holidays(CalendarRef calendar, int year) {
        // CPU only once the manager is built, but building reads XML: keep it off the event loop.
        return Uni.createFrom().item(() -> compute(calendar, year)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Synchronous computation, for tests and callers already on a worker thread. */
    public List<Holiday> compute(CalendarRef calendar, int year) {
        List<String> path = calendar.calendarPath();
        String[] regions = path.subList(1, path.size()).toArray(String[]::new);
        Locale local = LOCAL_LANGUAGE.getOrDefault(path.get(0), Locale.ROOT);
        List<Holiday> holidays = calendars.manager(path.get(0)).getHolidays(Year.of(year), regions).stream()
                .map(h -> new Holiday(h.getDate(), h.getDescription(Locale.ROOT), h.getDescription(local), type(h.getType()),
                        h.getObservedDate().filter(observed -> !observed.equals(h.getActualDate())).isPresent()))
                .toList();
        return overlay.apply(calendar.calendarId(), year, holidays).stream().sorted(ORDER).toList();
    }

    private static String type(HolidayType type) {
        return switch (type) {
            case PUBLIC_HOLIDAY -> "public";
            case BANK_HOLIDAY -> "bank";
            case OBSERVANCE -> "observance";
        };
    }
}
