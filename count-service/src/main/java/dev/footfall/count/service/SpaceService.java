package dev.footfall.count.service;

import dev.footfall.common.problem.ProblemException;
import dev.footfall.count.model.Space;
import dev.footfall.count.model.SpaceRequest;
import dev.footfall.count.repository.SpaceRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/** Spaces: creation and replacement rules (valid timezone, existing parent, no cycles). */
@ApplicationScoped
public class SpaceService {

    private final SpaceRepository spaces;

    SpaceService(SpaceRepository spaces) {
        this.spaces = spaces;
    }

    public Uni<SpaceRepository.Upserted> put(String spaceId, SpaceRequest request, String tenant) {
        String timezone = request.timezone() == null ? "UTC" : request.timezone();
        try {
            ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw ProblemException.badRequest("timezone", "unknown IANA time zone \"" + timezone + "\"");
        }
        if (spaceId.equals(request.parentId())) {
            throw ProblemException.badRequest("parent_id", "a space cannot be its own parent");
        }
        Space space = new Space(spaceId, request.name(), request.parentId(), timezone, request.dailyReset(),
                request.capacity(), null, null);
        return checkParent(spaceId, request.parentId()).chain(() -> spaces.upsert(space, tenant));
    }

    public Uni<Space> get(String spaceId) {
        return spaces.find(spaceId).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("No space \"" + spaceId + "\""));
    }

    public Uni<List<Space>> list() {
        return spaces.list();
    }

    /** The parent must exist, and walking up from it must not reach the space itself. */
    private Uni<Void> checkParent(String spaceId, String parentId) {
        if (parentId == null) {
            return Uni.createFrom().voidItem();
        }
        return spaces.find(parentId).chain(parent -> {
            if (parent == null) {
                return Uni.createFrom().failure(ProblemException.badRequest("parent_id", "no space \"" + parentId + "\""));
            }
            if (spaceId.equals(parent.parentId())) {
                return Uni.createFrom().failure(ProblemException.badRequest("parent_id", "would make a cycle"));
            }
            return checkParent(spaceId, parent.parentId());
        });
    }
}
