package dev.footfall.ingest.model;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An event of the raw log as it was received. */
@Schema(name = "LoggedEvent")
public record LoggedEvent(
        @Schema(example = "1042") long seq,
        @Schema(example = "evt-000123", nullable = true) String id,
        @Schema(example = "423") String dpuId,
        @Schema(example = "2018-02-24T08:45:21.893Z") Instant timestamp,
        @Schema(example = "1") int direction,
        @Schema(example = "2018-02-24T08:45:22.010Z") Instant receivedAt,
        @Schema(example = "sensor-gateway-7") String source) {
}
