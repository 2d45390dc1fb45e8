package dev.footfall.count.model;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A doorway with its current links and the whole link history. */
@Schema(name = "Doorway")
public record Doorway(
        @Schema(example = "doorway-z") String doorwayId,
        @Schema(example = "Doorway Z") String name,
        @Schema(description = "Links valid now") List<Link> spaces,
        @Schema(description = "Every link ever, oldest first") List<Link> links) {

    @Schema(name = "Link")
    public record Link(
            @Schema(example = "space-a") String spaceId,
            @Schema(example = "1") int direction,
            @Schema(example = "2018-02-24T00:00:00Z") Instant validFrom,
            @Schema(nullable = true) Instant validTo) {
    }
}
