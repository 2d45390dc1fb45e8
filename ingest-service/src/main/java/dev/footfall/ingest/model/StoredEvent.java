package dev.footfall.ingest.model;

import java.time.Instant;

/** An event as appended to the log, with its arrival sequence number. */
public record StoredEvent(long seq, String dpuId, Instant timestamp, int direction) {
}
