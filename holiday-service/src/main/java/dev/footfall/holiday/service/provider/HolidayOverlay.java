package dev.footfall.holiday.service.provider;

import dev.footfall.holiday.model.Holiday;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Real days off the holiday library lacks (one-off royal events, newly legislated days) or has wrong, kept as data in
 * {@code holidays/overlay.csv} with the source of each line. Applied on top of the library by the offline provider.
 */
public final class HolidayOverlay {

    static final String RESOURCE = "holidays/overlay.csv";

    /** One line of the overlay: add or remove a day in a calendar and every sub-calendar under it. */
    public record Entry(String action, String calendar, LocalDate date, String name, String localName, String type,
            String source) {

        boolean appliesTo(String calendarId) {
            return calendarId.equals(calendar) || calendarId.startsWith(calendar + "/");
        }
    }

    private final List<Entry> entries;

    public HolidayOverlay(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static HolidayOverlay load() {
        var stream = HolidayOverlay.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (stream == null) {
            throw new IllegalStateException("Missing " + RESOURCE);
        }
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("action,")) {
                    continue;
                }
                String[] f = line.split(",", 7);
                if (f.length != 7 || !(f[0].equals("add") || f[0].equals("remove"))) {
                    throw new IllegalStateException("Bad line in " + RESOURCE + ": " + line);
                }
                entries.add(new Entry(f[0], f[1], LocalDate.parse(f[2]), f[3], f[4], f[5], f[6]));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE, e);
        }
        return new HolidayOverlay(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The library's holidays of one year with this overlay applied. */
    public List<Holiday> apply(String calendarId, int year, List<Holiday> holidays) {
        List<Holiday> result = new ArrayList<>(holidays);
        for (Entry e : entries) {
            if (e.date().getYear() != year || !e.appliesTo(calendarId)) {
                continue;
            }
            if (e.action().equals("remove")) {
                result.removeIf(h -> h.date().equals(e.date()) && h.name().equals(e.name()));
            } else if (result.stream().noneMatch(h -> h.date().equals(e.date()) && h.name().equals(e.name()))) {
                result.add(new Holiday(e.date(), e.name(), e.localName(), e.type(), false));
            }
        }
        return result;
    }
}
