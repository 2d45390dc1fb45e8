package dev.footfall.analytics.model.session;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One imported app event, with the original spellings of the CSV. */
@Schema(name = "SessionEvent")
public record SessionEventView(
        @Schema(example = "Scooter Selected - User") String eventName,
        @Schema(example = "2024-03-01T10:11:12.123Z") Instant createdAt,
        @Schema(example = "2024-03-01T10:11:13.002Z", nullable = true) Instant receivedAt,
        @Schema(example = "0b8f6f0e-6c3e-4f21-9d7b-6f2f7c1a9e11") String anonymousId,
        @Schema(example = "A1B2C3D4E5F60718") String contextDeviceId,
        @Schema(example = "berlin", nullable = true) String businessZoned,
        @Schema(example = "3.12.0", nullable = true) String contextAppVersion,
        @Schema(example = "iOS", nullable = true) String contextOsName) {
}
