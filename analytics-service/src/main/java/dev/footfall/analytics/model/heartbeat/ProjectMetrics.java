package dev.footfall.analytics.model.heartbeat;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The metrics of a project, by name. */
@Schema(name = "ProjectMetrics")
public record ProjectMetrics(@Schema(example = "367") long projectId, List<MetricSummary> metrics) {
}
