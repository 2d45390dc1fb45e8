package dev.footfall.count.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CountBuckets")
public record CountBuckets(
        @Schema(example = "space-a") String spaceId,
        @Schema(example = "1h") String interval,
        List<Bucket> buckets) {

    /** One interval [start, end). Counts are null before the space's first event. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "Bucket")
    public record Bucket(Instant start, Instant end,
            @Schema(nullable = true, description = "Count when the bucket opens (events before start, resets up to start)")
            Integer countStart,
            @Schema(nullable = true, description = "Count when it closes (every event and reset before end)")
            Integer countEnd,
            @Schema(nullable = true) Integer min,
            @Schema(nullable = true) Integer max,
            @Schema(description = "Sum of positive contributions") int entrances,
            @Schema(description = "Sum of negative contributions, as a positive number") int exits) {
    }
}
