package dev.footfall.analytics.model.heartbeat;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A software version id and its version string; several ids can carry the same string. */
@Schema(name = "SoftwareVersion")
public record SoftwareVersion(
        @NotNull @Schema(example = "4358", required = true) Long id,
        @NotNull @Schema(example = "367", required = true) Long projectId,
        @NotBlank @Size(max = 200) @Schema(example = "1.0.1", required = true) String version) {
}
