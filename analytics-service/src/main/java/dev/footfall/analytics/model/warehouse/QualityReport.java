package dev.footfall.analytics.model.warehouse;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every data-quality check over the warehouse as of the last run. */
@Schema(name = "QualityReport")
public record QualityReport(Instant checkedAt, @Schema(example = "7", nullable = true) Long lastRunId,
        List<QualityCheck> checks) {
}
