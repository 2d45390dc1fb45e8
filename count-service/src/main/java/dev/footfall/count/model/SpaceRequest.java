package dev.footfall.count.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /v1/spaces/{space_id}}. */
@Schema(name = "SpaceRequest")
public record SpaceRequest(
        @NotBlank @Size(max = 200) @Schema(example = "Space A", required = true) String name,
        @Pattern(regexp = SPACE_ID, message = "must be 1-64 characters of A-Z a-z 0-9 _ . -, not . or ..")
        @Schema(example = "building-1", nullable = true) String parentId,
        @Size(max = 64) @Schema(example = "Europe/Amsterdam", defaultValue = "UTC") String timezone,
        @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d", message = "must be a local time HH:MM")
        @Schema(example = "04:00", nullable = true) String dailyReset,
        @PositiveOrZero @Schema(example = "120", nullable = true) Integer capacity) {

    /** Not "." or "..": clients and proxies remove such path segments, so a space so named could not be read. */
    public static final String SPACE_ID = "(?!\\.{1,2}$)[A-Za-z0-9_.-]{1,64}";
}
