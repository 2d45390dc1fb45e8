package dev.footfall.count.service;

import dev.footfall.common.problem.ProblemException;
import dev.footfall.count.model.Space;
import dev.footfall.count.model.SpaceRequest;
import dev.footfall.count.repository.HistoryRepository;
import dev.footfall.count.repository.SpaceRepository;
import dev.footfall.common.db.TenantSql;
import dev.footfall.count.model.SpaceRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** Spaces: creation and replacement rules (valid timezone, existing parent, no cycles), each within its tenant. */
@ApplicationScoped
public class SpaceService {

    private final SpaceRepository spaces;
    private final HistoryRepository history;
    private final TenantSql tenantSql;
    private final Instance<Reconciler> reconcilerRef;
    private final SpaceCache cache;

    SpaceService(SpaceRepository spaces, HistoryRepository history, TenantSql tenantSql,
            Instance<Reconciler> reconcilerRef, SpaceCache cache) {
        this.spaces = spaces;
        this.cache = cache;
        this.history = history;
        this.tenantSql = tenantSql;
        this.reconcilerRef = reconcilerRef;
    }

    public Uni<SpaceRepository.Upserted> put(String tenant, String spaceId, SpaceRequest request) {
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
        SpaceRef ref = new SpaceRef(tenant, spaceId);
        AtomicBoolean clockChanged = new AtomicBoolean();
        // A new time zone or reset time changes the whole history; ingest-service caches resets for real time.
        return tenantSql.transaction(tenant, conn -> checkParent(conn, tenant, spaceId, request.parentId())
                        .chain(() -> spaces.find(conn, tenant, spaceId))
                        .chain(before -> spaces.upsert(conn, space, tenant).call(saved -> {
                            clockChanged.set(before != null && (!before.timezone().equals(timezone)
                                    || !Objects.equals(before.dailyReset(), request.dailyReset())));
                            return clockChanged.get()
                                    ? history.requestRefold(conn, ref, HistoryRepository.BEGINNING)
                                    : Uni.createFrom().voidItem();
                        })))
                .invoke(() -> {
                    if (clockChanged.get()) {
                        reconcilerRef.get().wake();
                    }
                })
                // This replica reads its own write at once; the others drop their cache on the NOTIFY.
                .invoke(() -> cache.invalidate(ref))
                .call(spaces::notifyChanged);
    }

    public Uni<Space> get(String tenant, String spaceId) {
        return spaces.find(tenant, spaceId).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("No space \"" + spaceId + "\""));
    }

    public Uni<List<Space>> list(String tenant) {
        return spaces.list(tenant);
    }

    /** The parent must exist in the tenant, and walking up from it must not reach the space itself. */
    private Uni<Void> checkParent(SqlClient conn, String tenant, String spaceId, String parentId) {
        if (parentId == null) {
            return Uni.createFrom().voidItem();
        }
        return spaces.find(conn, tenant, parentId).chain(parent -> {
            if (parent == null) {
                return Uni.createFrom().failure(ProblemException.badRequest("parent_id", "no space \"" + parentId + "\""));
            }
            if (spaceId.equals(parent.parentId())) {
                return Uni.createFrom().failure(ProblemException.badRequest("parent_id", "would make a cycle"));
            }
            return checkParent(conn, tenant, spaceId, parent.parentId());
        });
    }
}
