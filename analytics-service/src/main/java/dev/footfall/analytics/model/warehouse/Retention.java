package dev.footfall.analytics.model.warehouse;

import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The result of a retention pass: RSVP detail of events that started before the cutoff, removed per table. */
@Schema(name = "Retention")
public record Retention(Instant cutoff, Map<String, Long> rows) {
}
