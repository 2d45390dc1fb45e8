package dev.footfall.analytics.model.session;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A user's sessions that start in [from, to), oldest first. */
@Schema(name = "SessionList")
public record SessionList(
        @Schema(example = "0b8f6f0e-6c3e-4f21-9d7b-6f2f7c1a9e11") String anonymousId,
        @Schema(nullable = true) Instant from,
        @Schema(nullable = true) Instant to,
        @Schema(description = "True when more sessions match than the limit") boolean truncated,
        List<SessionView> sessions) {
}
