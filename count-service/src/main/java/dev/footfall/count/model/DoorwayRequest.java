package dev.footfall.count.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /v1/doorways/{doorway_id}}. */
@Schema(name = "DoorwayRequest")
public record DoorwayRequest(
        @NotBlank @Size(max = 200) @Schema(example = "Doorway Z", required = true) String name,
        @NotNull @Size(max = 16) @Schema(required = true, description = "The spaces this doorway links, from now "
                + "(or effective_from) on; an empty list unlinks it") List<@Valid @NotNull LinkRequest> spaces,
        @Schema(description = "When the new links take effect; default now. Earlier links close at this instant.",
                example = "2018-02-24T00:00:00Z", nullable = true) Instant effectiveFrom) {

    @Schema(name = "LinkRequest")
    public record LinkRequest(
            @NotNull @Pattern(regexp = SpaceRequest.SPACE_ID, message = "must be an existing space id")
            @Schema(example = "space-a", required = true) String spaceId,
            @NotNull @Schema(enumeration = {"1", "-1"}, example = "1", required = true,
                    description = "+1: a sensor's positive direction enters this space") Integer direction) {
    }
}
