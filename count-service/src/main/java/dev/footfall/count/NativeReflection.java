package dev.footfall.count;

import dev.footfall.count.model.Doorway;
import dev.footfall.count.model.Placement;
import dev.footfall.count.model.Replay;
import dev.footfall.count.model.Space;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Bodies Jackson writes that Quarkus REST cannot see from method signatures (a {@code Response}'s entity, problem
 * documents written by hand), kept for reflection so a native build serializes them.
 */
@RegisterForReflection(targets = {Space.class, Doorway.class, Doorway.Link.class, Placement.class, Replay.class})
final class NativeReflection {

    private NativeReflection() {
    }
}
