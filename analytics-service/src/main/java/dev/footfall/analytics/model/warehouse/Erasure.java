package dev.footfall.analytics.model.warehouse;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The result of erasing a member: rows removed per table; gold is recomputed in the same transaction. */
@Schema(name = "Erasure")
public record Erasure(@Schema(example = "4711") long memberId, Map<String, Long> rows) {
}
