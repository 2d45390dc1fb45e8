package dev.footfall.analytics.model.session;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The result of a full rebuild of the sessions from every imported event. */
@Schema(name = "SessionRebuild")
public record SessionRebuild(@Schema(example = "52011") long sessions, @Schema(example = "1.84") double seconds) {
}
