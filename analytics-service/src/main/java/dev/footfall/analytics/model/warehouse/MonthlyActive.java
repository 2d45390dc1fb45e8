package dev.footfall.analytics.model.warehouse;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Members of a country who answered at least one RSVP in the month (ZZ: country unknown). */
@Schema(name = "MonthlyActiveMembers")
public record MonthlyActive(@Schema(example = "2026-10") String month, @Schema(example = "DE") String countryCode,
        @Schema(example = "1520") int activeMembers) {
}
