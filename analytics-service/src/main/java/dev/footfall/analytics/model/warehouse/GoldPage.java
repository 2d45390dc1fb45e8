package dev.footfall.analytics.model.warehouse;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a gold table: `total` rows match the filters; the next page starts at offset + limit. */
@Schema(name = "GoldPage")
public record GoldPage<T>(@Schema(example = "100") int limit, @Schema(example = "0") int offset,
        @Schema(example = "1234") long total, List<T> items) {
}
