package dev.footfall.ingest;

import dev.footfall.ingest.model.IngestResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Bodies Jackson writes that Quarkus REST cannot see from method signatures (a {@code Response}'s entity, problem
 * documents written by hand), kept for reflection so a native build serializes them.
 */
@RegisterForReflection(targets = {IngestResult.class})
final class NativeReflection {

    private NativeReflection() {
    }
}
