package dev.footfall.holiday.model;

/** An ISO 3166-2 subdivision and the holiday region it keeps (see {@code iso3166/subdivisions.csv}). */
public record Subdivision(String code, String name, String category, String holidayRegion, String calendar) {
}
