package dev.footfall.count.model;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Placement")
public record Placement(
        @Schema(example = "423") String dpuId,
        @Schema(example = "doorway-z", nullable = true) String doorwayId,
        @Schema(example = "2018-02-24T00:00:00Z") Instant installedAt,
        @Schema(nullable = true) Instant removedAt) {
}
