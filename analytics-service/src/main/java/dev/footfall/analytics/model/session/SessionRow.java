package dev.footfall.analytics.model.session;

import java.time.Instant;
import java.util.UUID;

/** One valid CSV row, ready to store: its content hash and the fields as exported (blank optional fields null). */
public record SessionRow(UUID contentHash, String anonymousId, String contextDeviceId, String businessZoned,
        String contextAppVersion, String contextOsName, String eventName, Instant receivedAt, Instant createdAt) {
}
