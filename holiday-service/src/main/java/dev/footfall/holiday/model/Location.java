package dev.footfall.holiday.model;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Location")
public record Location(
        @Schema(example = "9415913d-fffa-41f9-9323-6d62e6100a31") UUID locationId,
        @Schema(example = "NL") String countryCode,
        @Schema(example = "NL-FL", nullable = true) String subdivisionCode,
        @Schema(example = "true") boolean active,
        Instant createdAt,
        @Schema(nullable = true) Instant deactivatedAt) {
}
