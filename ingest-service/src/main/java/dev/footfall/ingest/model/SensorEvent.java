package dev.footfall.ingest.model;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One doorway crossing as a sensor (DPU) reports it. */
@Schema(name = "SensorEvent", description = "One crossing: +1 is the sensor's positive direction")
public record SensorEvent(
        @Schema(description = "Client id; when absent, dpu_id + timestamp + direction identify the event",
                example = "evt-000123", nullable = true, maxLength = 128) String id,
        @Schema(description = "Sensor id (a JSON integer is read as its decimal string)", example = "423",
                required = true, maxLength = 64) String dpuId,
        @Schema(example = "2018-02-24T08:45:21.893Z", required = true) Instant timestamp,
        @Schema(enumeration = {"1", "-1"}, example = "1", required = true) int direction) {

    /** The idempotency key: the same key is stored and counted once. */
    public String dedupKey() {
        if (id != null) {
            return "i:" + id;
        }
        long micros = Math.addExact(Math.multiplyExact(timestamp.getEpochSecond(), 1_000_000L), timestamp.getNano() / 1000);
        return "k:" + dpuId + "|" + micros + "|" + direction;
    }
}
