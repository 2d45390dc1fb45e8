package dev.footfall.analytics.model.heartbeat;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The newest runs of the load log, newest first. */
@Schema(name = "CurationRuns")
public record CurationRuns(List<CurationRun> runs) {
}
