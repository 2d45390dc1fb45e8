package dev.footfall.holiday.model;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code GET /v1/locations/{id}/holidays}: the holidays of one location in a date range. */
@Schema(name = "LocationHolidays")
public record LocationHolidays(
        @Schema(example = "a2d0d6fd-3a18-4f58-ac36-d2e56bf71a46") UUID locationId,
        @Schema(example = "GB") String countryCode,
        @Schema(example = "GB-NSM", nullable = true) String subdivisionCode,
        @Schema(description = "The location's holiday version this answer comes from", example = "1") int version,
        @Schema(description = "Sorted by date") List<Holiday> holidays) {
}
