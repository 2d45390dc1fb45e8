package dev.footfall.analytics.model.warehouse;

import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the source generator (or its mutation mode) wrote. */
@Schema(name = "SourceGeneration")
public record SourceGeneration(
        @Schema(example = "generate", enumeration = {"generate", "mutate"}) String mode,
        @Schema(example = "1000000") Long scale,
        @Schema(example = "1") long seed,
        @Schema(example = "2026-11-01T00:00:00Z", nullable = true) Instant asOf,
        @Schema(example = "0.01", nullable = true) Double fraction,
        @Schema(description = "Rows written per table") Map<String, Long> rows,
        @Schema(example = "12.3") double seconds) {
}
