package dev.footfall.holiday.model;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One version of a location's holidays: written only when the holidays of some year changed. */
@Schema(name = "HolidayVersion")
public record HolidayVersion(
        @Schema(example = "2") int version,
        @Schema(example = "true") boolean current,
        @Schema(example = "2025-03-01T03:17:00Z") Instant validFrom,
        @Schema(nullable = true, description = "When the next version replaced it; null for the current one") Instant validTo,
        @Schema(description = "SHA-256 over the holidays of every year this version answers with",
                example = "3f5a0c…") String contentHash,
        @Schema(example = "offline") String provider,
        @Schema(description = "Years whose holidays this version introduced or changed", example = "[2025, 2026, 2027]")
        List<Integer> changedYears) {
}
