package dev.footfall.ingest.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to an accepted batch; given only once the batch is durable in PostgreSQL. */
@Schema(name = "IngestResult")
public record IngestResult(
        @Schema(description = "Events stored by this request", example = "998") int accepted,
        @Schema(description = "Events already stored earlier (or twice in this batch); stored and counted once",
                example = "2") int duplicates,
        @Schema(description = "Accepted events whose sensor had no placement at the event's time", example = "0")
        int unattributed) {
}
