package dev.footfall.holiday.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/locations}; the codes are checked against ISO 3166 by the service. */
@Schema(name = "LocationRequest")
public record LocationRequest(
        @Schema(description = "Optional client-chosen id; generated when absent", nullable = true) UUID locationId,
        @NotBlank @Pattern(regexp = "[A-Za-z]{2}", message = "must be an ISO 3166-1 alpha-2 code")
        @Schema(example = "GB", required = true) String countryCode,
        @Pattern(regexp = "[A-Za-z]{2}-[A-Za-z0-9]{1,3}", message = "must be an ISO 3166-2 code such as GB-ENG")
        @Schema(example = "GB-NSM", nullable = true) String subdivisionCode) {
}
