package dev.footfall.analytics.model.warehouse;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RSVP sign-up of one event: yes answers plus their guests, over the RSVP limit where the event has one. */
@Schema(name = "EventSignup")
public record EventSignup(
        @Schema(example = "4711") long eventId,
        @Schema(example = "12", nullable = true) Long groupId,
        @Schema(example = "DE", nullable = true) String countryCode,
        @Schema(example = "Event 4711") String eventName,
        @Schema(example = "2026-10-01T16:30:00Z", nullable = true) Instant startsAt,
        @Schema(example = "past") String status,
        @Schema(example = "120", nullable = true) Integer rsvpLimit,
        @Schema(example = "80") int yes,
        @Schema(example = "10") int no,
        @Schema(example = "5") int waitlist,
        @Schema(example = "20") int guests,
        @Schema(example = "100") int signups,
        @Schema(example = "0.8333", nullable = true, description = "signups / rsvp_limit; null without a positive limit")
        Double signupRate) {
}
