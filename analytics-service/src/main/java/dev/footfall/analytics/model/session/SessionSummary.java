package dev.footfall.analytics.model.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The session summary over [from, to): the funnel figures at the top level, or per group in {@code groups} when
 * {@code group_by} is given.
 */
@Schema(name = "SessionSummary")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionSummary(
        Instant from,
        Instant to,
        @Schema(nullable = true, enumeration = {"city", "app_version"}) String groupBy,
        @JsonUnwrapped @Schema(implementation = SessionMetrics.class) SessionMetrics totals,
        @Schema(nullable = true) List<SessionGroup> groups) {
}
