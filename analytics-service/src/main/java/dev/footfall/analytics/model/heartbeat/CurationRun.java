package dev.footfall.analytics.model.heartbeat;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One curation run of the load log, as it progresses and when it has finished. */
@Schema(name = "CurationRun")
public record CurationRun(
        @Schema(example = "12") long id,
        @Schema(example = "api", enumeration = {"api", "schedule"}) String trigger,
        @Schema(example = "succeeded", enumeration = {"running", "succeeded", "failed"}) String status,
        @Schema(example = "done", enumeration = {"planning", "partitions", "loading", "aggregating", "done"}) String phase,
        @Schema(example = "2021-06-15T08:10:00Z") Instant startedAt,
        @Schema(example = "2021-06-15T08:10:02Z", nullable = true) Instant finishedAt,
        @Schema(example = "4282", description = "Staged heartbeats looked at (new, changed, or in the overlap)") long candidates,
        @Schema(example = "4282", description = "Curated rows inserted or changed") long rowsLoaded,
        @Schema(example = "0", description = "Curated rows removed (moved to another day or no longer heartbeats)") long rowsRemoved,
        @Schema(example = "18") int partitionsCreated,
        @Schema(example = "18", description = "Days whose pre-aggregates this run rebuilds") int daysTotal,
        @Schema(example = "18") int daysDone,
        @Schema(example = "2021-06-15T06:07:37.526549Z", nullable = true,
                description = "created_date watermark the run started from (before the overlap)") Instant watermarkFrom,
        @Schema(example = "2021-06-15T08:07:37.526549Z", nullable = true) Instant watermarkTo,
        @Schema(nullable = true) String error) {
}
