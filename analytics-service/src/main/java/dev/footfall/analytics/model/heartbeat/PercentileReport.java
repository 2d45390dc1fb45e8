package dev.footfall.analytics.model.heartbeat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Percentiles of one metric over the heartbeats with {@code from <= captured_date < to}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "PercentileReport")
public record PercentileReport(
        @Schema(example = "battery_perc_delta") String metric,
        @Schema(example = "367") long projectId,
        @Schema(example = "2021-06-07T00:00:00Z") Instant from,
        @Schema(example = "2021-06-14T00:00:00Z") Instant to,
        @Schema(example = "software_version") String groupBy,
        @Schema(example = "1.0.1", nullable = true) String softwareVersion,
        @Schema(example = "beta", nullable = true) String cohort,
        List<PercentileGroup> groups) {
}
