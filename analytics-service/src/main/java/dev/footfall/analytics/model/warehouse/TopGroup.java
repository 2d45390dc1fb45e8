package dev.footfall.analytics.model.warehouse;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A group among the top of its country by attendance (sign-ups of its past, not cancelled events). */
@Schema(name = "TopGroup")
public record TopGroup(@Schema(example = "DE") String countryCode, @Schema(example = "1") int rank,
        @Schema(example = "12") long groupId, @Schema(example = "Group 12") String groupName,
        @Schema(example = "85") int events, @Schema(example = "6120") long attendance) {
}
