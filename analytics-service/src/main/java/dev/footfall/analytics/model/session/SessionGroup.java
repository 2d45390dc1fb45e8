package dev.footfall.analytics.model.session;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The funnel figures of one group (city or app version; key null for sessions without one). */
@Schema(name = "SessionGroup")
public record SessionGroup(
        @Schema(example = "berlin", nullable = true) String key,
        @JsonUnwrapped @Schema(implementation = SessionMetrics.class) SessionMetrics metrics) {
}
