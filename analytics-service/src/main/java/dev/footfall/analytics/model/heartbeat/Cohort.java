package dev.footfall.analytics.model.heartbeat;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A device cohort as staged from the device-monitoring product. */
@Schema(name = "Cohort")
public record Cohort(
        @NotNull @Schema(example = "1035", required = true) Long id,
        @NotNull @Schema(example = "367", required = true) Long projectId,
        @NotBlank @Size(max = 200) @Schema(example = "Beta", required = true) String name) {
}
