package dev.footfall.holiday.model;

import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One day off (or observance) at a location. */
@Schema(name = "Holiday")
public record Holiday(
        @Schema(description = "The day off; a substitute day where the holiday moves", example = "2022-12-27") LocalDate date,
        @Schema(example = "Christmas Day") String name,
        @Schema(description = "The name in the country's language", example = "Christmas Day") String localName,
        @Schema(enumeration = {"public", "bank", "optional", "school", "authorities", "observance"}, example = "public")
        String type,
        @Schema(description = "True when date is a substitute for a holiday falling on another day", example = "true")
        boolean substitute) {
}
