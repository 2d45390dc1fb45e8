package dev.footfall.count.model;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A recomputation of a window of a space's history from the raw event log. */
@Schema(name = "Replay")
public record Replay(
        @Schema(example = "7") long replayId,
        @Schema(example = "space-a") String spaceId,
        Instant from,
        Instant to,
        @Schema(enumeration = {"queued", "running", "done", "failed"}) String status,
        @Schema(nullable = true, description = "Events in the window, known once running") Long eventsTotal,
        @Schema(description = "Events re-attributed so far") long eventsDone,
        @Schema(nullable = true) String error,
        Instant createdAt,
        @Schema(nullable = true) Instant finishedAt) {
}
