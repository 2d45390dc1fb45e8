package dev.footfall.analytics.model.session;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Funnel figures over the sessions that start in a range (of one group when grouped). */
@Schema(name = "SessionMetrics")
public record SessionMetrics(
        @Schema(example = "1200") long sessions,
        @Schema(example = "700", description = "Sessions with a scooter selection or QR scan") long withIntent,
        @Schema(example = "300", description = "Sessions with a successful booking event") long booked,
        @Schema(example = "0.5833", nullable = true, description = "with_intent / sessions") Double intentShare,
        @Schema(example = "0.25", nullable = true, description = "booked / sessions") Double bookedShare,
        @Schema(example = "0.4", nullable = true,
                description = "Sessions with intent that were booked / sessions with intent") Double conversion,
        @Schema(example = "312.5", nullable = true, description = "Median of (last event - first event), seconds")
        Double medianSessionSeconds) {
}
