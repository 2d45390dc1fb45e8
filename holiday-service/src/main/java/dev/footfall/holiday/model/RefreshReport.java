package dev.footfall.holiday.model;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What one refresh did. A failed location keeps its current version. */
@Schema(name = "RefreshReport")
public record RefreshReport(
        @Schema(example = "2025-03-01T03:17:00Z") Instant startedAt,
        @Schema(example = "2025-03-01T03:17:01Z") Instant finishedAt,
        @Schema(example = "offline") String provider,
        @Schema(example = "[2025, 2026, 2027]") List<Integer> years,
        @Schema(example = "13") int locations,
        @Schema(description = "Locations for which a new version was written", example = "1") int newVersions,
        @Schema(description = "Location-years loaded for the first time (no new version)", example = "0") int yearsLoaded,
        @Schema(example = "12") int unchanged,
        @Schema(description = "Locations whose refresh failed, with the reason") List<Failure> failures) {

    @Schema(name = "RefreshFailure")
    public record Failure(String locationId, String message) {
    }
}
