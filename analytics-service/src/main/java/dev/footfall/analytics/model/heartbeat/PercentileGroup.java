package dev.footfall.analytics.model.heartbeat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The percentiles of one group. */
@Schema(name = "PercentileGroup")
public record PercentileGroup(
        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(example = "1.0.1", nullable = true,
                description = "Version string, cohort name or YYYY-MM-DD; `all` without grouping; null for heartbeats "
                        + "whose version or cohort is not (yet) known") String key,
        @Schema(example = "1187", description = "Numeric values the percentiles are computed from") long n,
        @Schema(example = "3", description = "Heartbeats in the group whose value is missing or not a number") long skipped,
        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(example = "{\"p50\": 6.0, \"p90\": 8.0, \"p99\": 11.0}",
                description = "percentile_cont (linear interpolation); null when n is 0") Map<String, Double> percentiles) {
}
