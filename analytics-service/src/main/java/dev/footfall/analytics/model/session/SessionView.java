package dev.footfall.analytics.model.session;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One session of a user (lower-cased anonymous_id and device id) with its events in time order. */
@Schema(name = "Session")
public record SessionView(
        @Schema(example = "0b8f6f0e-6c3e-4f21-9d7b-6f2f7c1a9e11", description = "Lower-cased anonymous_id") String anonymousId,
        @Schema(example = "a1b2c3d4e5f60718", description = "Lower-cased context_device_id") String deviceId,
        @Schema(example = "2024-03-01T10:11:12.123Z") Instant startedAt,
        @Schema(example = "2024-03-01T10:19:40Z") Instant endedAt,
        @Schema(example = "508.877") double durationSeconds,
        @Schema(example = "7") int eventCount,
        @Schema(description = "Holds a scooter selection or QR scan") boolean hasIntent,
        @Schema(description = "Holds a successful ride start, ride end or rating screen") boolean booked,
        @Schema(example = "berlin", nullable = true) String city,
        @Schema(example = "3.12.0", nullable = true) String appVersion,
        List<SessionEventView> events) {
}
