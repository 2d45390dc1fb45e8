package dev.footfall.analytics.model.heartbeat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An event of the device-monitoring product. Only {@code heartbeat} events are curated; their {@code event_info} holds a
 * {@code metrics} object. Timestamps are RFC 3339 or as PostgreSQL exports them ({@code 2021-05-29 08:11:00+00}).
 */
@Schema(name = "DeviceEvent")
public record DeviceEvent(
        @NotNull @Schema(example = "563656", required = true) Long id,
        @NotNull @Schema(example = "367", required = true) Long projectId,
        @NotNull @Schema(example = "2021-05-29T08:11:00Z", required = true) Instant capturedDate,
        @NotNull @Schema(example = "2021-05-30T03:54:35.060042Z", required = true) Instant createdDate,
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "must be a word such as heartbeat")
        @Schema(example = "heartbeat", required = true) String type,
        @Schema(example = "4358", nullable = true) Long softwareVersionId,
        @NotNull @Schema(example = "6674", required = true) Long deviceId,
        @NotNull @Schema(type = SchemaType.OBJECT, required = true,
                description = "A JSON object (or a string holding one); heartbeats carry a `metrics` object",
                example = "{\"metrics\": {\"battery_perc\": 698, \"battery_perc_delta\": 6}}") JsonNode eventInfo) {

    public static final String HEARTBEAT = "heartbeat";

    public boolean isHeartbeat() {
        return HEARTBEAT.equals(type);
    }

    public DeviceEvent withEventInfo(JsonNode info) {
        return new DeviceEvent(id, projectId, capturedDate, createdDate, type, softwareVersionId, deviceId, info);
    }
}
