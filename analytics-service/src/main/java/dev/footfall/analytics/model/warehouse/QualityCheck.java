package dev.footfall.analytics.model.warehouse;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One data-quality check: what it looks for, how many rows violate it, and the natural keys of a few of them. */
@Schema(name = "QualityCheck")
public record QualityCheck(
        @Schema(example = "groups_without_admin") String name,
        @Schema(example = "consistency", enumeration = {"null", "range", "consistency", "orphan"}) String kind,
        @Schema(example = "silver") String layer,
        @Schema(example = "Groups with no membership whose role is admin") String description,
        @Schema(example = "31") long violations,
        @Schema(example = "[\"17\", \"212\"]") List<String> sampleKeys) {
}
