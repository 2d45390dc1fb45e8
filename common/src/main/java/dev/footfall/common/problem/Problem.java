package dev.footfall.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem detail: the body of every error response of every Footfall service. */
@RegisterForReflection // written by hand inside a Response, where Quarkus cannot see it for a native build
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem detail (application/problem+json)")
public record Problem(
        @Schema(example = "https://footfall.dev/problems/validation") String type,
        @Schema(example = "Invalid request") String title,
        @Schema(example = "400") int status,
        @Schema(example = "2 events are invalid; nothing was stored") String detail,
        @Schema(description = "One entry per invalid field (and batch item)") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://footfall.dev/problems/";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null);
    }

    public static Problem validation(String detail, List<FieldError> errors) {
        return new Problem(TYPE_BASE + "validation", "Invalid request", 400, detail, List.copyOf(errors));
    }

    /** One invalid field; {@code index} is set for items of a batch. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(example = "3") Integer index,
            @Schema(example = "direction") String field,
            @Schema(example = "must be 1 or -1") String message) {

        public static FieldError of(String field, String message) {
            return new FieldError(null, field, message);
        }
    }
}
