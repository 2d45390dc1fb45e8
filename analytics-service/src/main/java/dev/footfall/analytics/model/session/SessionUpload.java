package dev.footfall.analytics.model.session;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a CSV upload: a log import, so good rows are kept even when others are rejected. */
@Schema(name = "SessionUpload")
public record SessionUpload(
        @Schema(example = "1000000", description = "Data rows read (the header and blank lines not counted)") long rows,
        @Schema(example = "998120", description = "Rows stored for the first time") long inserted,
        @Schema(example = "1830", description = "Rows already stored (same content hash): re-uploads add nothing") long duplicates,
        @Schema(example = "50", description = "Rows rejected; the first of them are listed in errors") long rejected,
        @Schema(description = "Rejected rows by line number (line 1 is the header)") List<RowError> errors,
        @Schema(example = "41250", description = "Users whose sessions were rebuilt because of new rows") long usersRebuilt,
        @Schema(example = "52011", description = "Sessions written by that rebuild") long sessionsWritten,
        @Schema(example = "8.1", description = "Seconds spent reading and storing the rows") double loadSeconds,
        @Schema(example = "0.9", description = "Seconds spent rebuilding the touched sessions") double sessionizeSeconds,
        @Schema(example = "Log import, not a transaction: valid rows are stored even when other rows are rejected.")
        String note) {

    public static final String NOTE = "Log import, not a transaction: valid rows are stored even when other rows are "
            + "rejected; rows already stored (same content) are skipped, so uploading the file again adds nothing.";

    /** One rejected CSV row. */
    @Schema(name = "SessionRowError")
    public record RowError(@Schema(example = "17") long line, @Schema(example = "created_at: not an RFC 3339 timestamp") String message) {
    }
}
