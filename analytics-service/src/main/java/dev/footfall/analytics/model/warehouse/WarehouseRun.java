package dev.footfall.analytics.model.warehouse;

import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One warehouse run: its status, the phase it is in, and per layer the row counts of every table it wrote. */
@Schema(name = "WarehouseRun")
public record WarehouseRun(
        @Schema(example = "7") long id,
        @Schema(example = "api", enumeration = {"api", "erasure", "retention"}) String trigger,
        @Schema(example = "running", enumeration = {"running", "succeeded", "failed"}) String status,
        @Schema(example = "silver", enumeration = {"planning", "bronze", "silver", "gold", "done"}) String phase,
        @Schema(example = "2026-11-22T08:10:00Z") Instant startedAt,
        @Schema(nullable = true) Instant finishedAt,
        @Schema(description = "Per layer (bronze, silver, gold): status, seconds, and rows written per table",
                example = "{\"bronze\": {\"status\": \"done\", \"seconds\": 4.2, \"rows\": {\"rsvps\": 10000, \"rsvps (deleted)\": 12}}}")
        Map<String, Object> layers,
        @Schema(nullable = true) String error) {
}
