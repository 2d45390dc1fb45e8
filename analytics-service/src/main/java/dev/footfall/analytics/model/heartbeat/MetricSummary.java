package dev.footfall.analytics.model.heartbeat;

import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A metric found in a project's curated heartbeats. */
@Schema(name = "MetricSummary")
public record MetricSummary(
        @Schema(example = "battery_perc_delta") String name,
        @Schema(example = "4282", description = "Curated heartbeats with a numeric value of it") long values,
        @Schema(example = "2021-05-28") LocalDate firstDay,
        @Schema(example = "2021-06-14") LocalDate lastDay) {
}
