package dev.footfall.analytics.model.heartbeat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A validated percentile request: heartbeats of a project with {@code from <= captured_date < to}. */
public record PercentileQuery(long projectId, String metric, List<BigDecimal> percents, Instant from, Instant to,
        GroupBy groupBy, String softwareVersion, String cohort) {
}
