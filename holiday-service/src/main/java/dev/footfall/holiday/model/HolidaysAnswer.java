package dev.footfall.holiday.model;

import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code GET /v1/holidays}: several locations' holidays in one range, in the order asked. */
@Schema(name = "HolidaysAnswer")
public record HolidaysAnswer(
        @Schema(example = "2025-01-01") LocalDate from,
        @Schema(example = "2025-12-31") LocalDate to,
        List<LocationHolidays> locations) {
}
