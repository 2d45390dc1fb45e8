package dev.footfall.analytics.model.heartbeat;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a staging load did: items received, rows inserted or changed (identical rows are left alone). */
@Schema(name = "StagedCount")
public record StagedCount(
        @Schema(example = "4") int received,
        @Schema(example = "3", description = "Rows new or changed by this load") int upserted) {
}
