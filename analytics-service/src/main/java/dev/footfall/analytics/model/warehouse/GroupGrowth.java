package dev.footfall.analytics.model.warehouse;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Members who joined a group in a month, and the group's members up to and including it (current memberships). */
@Schema(name = "GroupGrowth")
public record GroupGrowth(@Schema(example = "12") long groupId, @Schema(example = "Group 12") String groupName,
        @Schema(example = "DE", nullable = true) String countryCode, @Schema(example = "2026-10") String month,
        @Schema(example = "40") int newMembers, @Schema(example = "1200") int totalMembers) {
}
