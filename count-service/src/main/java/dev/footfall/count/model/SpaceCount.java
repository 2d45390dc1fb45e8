package dev.footfall.count.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A space's count: real-time (no {@code at}) or as of an instant. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "SpaceCount")
public record SpaceCount(
        @Schema(example = "space-a") String spaceId,
        @Schema(example = "12", nullable = true, description = "null when the space has no data") Integer count,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(example = "2018-02-24T18:00:00Z", nullable = true) Instant at,
        @Schema(example = "2018-02-24T17:59:12.120Z", nullable = true, description = "Timestamp of the last applied event")
        Instant timestamp) {
}
