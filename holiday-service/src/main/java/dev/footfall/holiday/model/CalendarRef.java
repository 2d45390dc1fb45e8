package dev.footfall.holiday.model;

import java.util.List;

/**
 * Where a location's holidays come from: the holiday library's calendar path ({@code gb/eng}, {@code nl},
 * {@code bq/sa}) and the region code an HTTP provider filters by ({@code GB-ENG}; the country code when national).
 */
public record CalendarRef(List<String> calendarPath, String providerCountry, String providerRegion) {

    public String calendarId() {
        return String.join("/", calendarPath);
    }
}
