package dev.footfall.count.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A space as stored and returned. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Space")
public record Space(
        @Schema(example = "space-a") String spaceId,
        @Schema(example = "Space A") String name,
        @Schema(example = "building-1", nullable = true) String parentId,
        @Schema(example = "Europe/Amsterdam") String timezone,
        @Schema(example = "04:00", nullable = true, description = "Local time of the daily reset, HH:MM") String dailyReset,
        @Schema(example = "120", nullable = true) Integer capacity,
        Instant createdAt,
        Instant updatedAt) {
}
