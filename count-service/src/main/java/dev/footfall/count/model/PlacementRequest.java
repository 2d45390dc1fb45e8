package dev.footfall.count.model;

import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/dpus/{dpu_id}/placements}. */
@Schema(name = "PlacementRequest")
public record PlacementRequest(
        @Size(min = 1, max = 64) @Schema(example = "doorway-z", nullable = true,
                description = "The doorway the sensor is placed on; null uninstalls it") String doorwayId,
        @Schema(example = "2018-02-24T00:00:00Z", description = "When; default now. The previous placement ends here.")
        Instant installedAt) {
}
