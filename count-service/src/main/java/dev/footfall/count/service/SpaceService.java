package dev.footfall.count.service;

import dev.footfall.common.problem.ProblemException;
import dev.footfall.count.model.Space;
import dev.footfall.count.model.SpaceRequest;
import dev.footfall.count.repository.HistoryRepository;
import dev.footfall.count.repository.SpaceRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/** Spaces: creation and replacement rules (valid timezone, existing parent, no cycles). */
@ApplicationScoped
public class SpaceService {

    private final SpaceRepository spaces;
    private final HistoryRepository history;
    private final Pool pool;
    private final jakarta.enterprise.inject.Instance<Reconciler> reconcilerRef;
    private final SpaceCache cache;

    SpaceService(SpaceRepository spaces, HistoryRepository history, Pool pool,
            jakarta.enterprise.inject.Instance<Reconciler> reconcilerRef, SpaceCache cache) {
        this.spaces = spaces;
        this.cache = cache;
        this.history = history;
        this.pool = pool;
        this.reconcilerRef = reconcilerRef;
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
        // A new time zone or reset time changes the whole history; ingest-service caches resets for real time.
        return checkParent(spaceId, request.parentId())
                .chain(() -> spaces.find(spaceId))
                .chain(before -> spaces.upsert(space, tenant).call(saved -> {
                    boolean clockChanged = before != null && (!before.timezone().equals(timezone)
                            || !java.util.Objects.equals(before.dailyReset(), request.dailyReset()));
                    return clockChanged
                            ? history.requestRefold(pool, spaceId, HistoryRepository.BEGINNING).invoke(() -> reconcilerRef.get().wake())
                            : Uni.createFrom().voidItem();
                }))
                // This replica reads its own write at once; the others drop their cache on the NOTIFY.
                .invoke(() -> cache.invalidate(spaceId))
                .call(spaces::notifyChanged);
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
