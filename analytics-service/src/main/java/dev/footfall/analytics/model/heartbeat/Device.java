package dev.footfall.analytics.model.heartbeat;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A device as staged from the device-monitoring product; its cohort may arrive later or change. */
@Schema(name = "Device")
public record Device(
        @NotNull @Schema(example = "6674", required = true) Long id,
        @NotNull @Schema(example = "367", required = true) Long projectId,
        @NotBlank @Size(max = 200) @Schema(example = "MFLTXX0001", required = true) String deviceSerial,
        @Schema(example = "1033", nullable = true) Long cohortId) {
}
