package dev.footfall.count.service;

import dev.footfall.common.problem.Problem;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.count.model.Doorway;
import dev.footfall.count.model.DoorwayRequest;
import dev.footfall.count.model.Placement;
import dev.footfall.count.model.PlacementRequest;
import dev.footfall.count.repository.HistoryRepository;
import dev.footfall.count.repository.TopologyRepository;
import io.smallrye.mutiny.Uni;
import dev.footfall.common.db.TenantSql;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Doorway links and sensor placements, with history. A change at T re-attributes every logged event from T on by the
 * topology valid at its own time, and the history of every space it touches is refolded. Changes may be back-dated
 * relative to events, but not before the latest change of the same doorway or sensor (that is a 409).
 */
@ApplicationScoped
public class TopologyService {

    private final TenantSql tenantSql;
    private final TopologyRepository topology;
    private final HistoryRepository history;
    private final Reconciler reconciler;

    TopologyService(TenantSql tenantSql, TopologyRepository topology, HistoryRepository history,
            Reconciler reconciler) {
        this.tenantSql = tenantSql;
        this.topology = topology;
        this.history = history;
        this.reconciler = reconciler;
    }

    public record Saved<T>(T value, boolean created) {
    }

    public Uni<Saved<Doorway>> putDoorway(String tenant, String doorwayId, DoorwayRequest request) {
        Instant from = request.effectiveFrom() == null ? Instant.now() : request.effectiveFrom();
        List<String> spaces = new ArrayList<>();
        List<Integer> directions = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < request.spaces().size(); i++) {
            DoorwayRequest.LinkRequest link = request.spaces().get(i);
            if (link.direction() != 1 && link.direction() != -1) {
                errors.add(Problem.FieldError.of("spaces[" + i + "].direction", "must be 1 or -1"));
            }
            if (!seen.add(link.spaceId())) {
                errors.add(Problem.FieldError.of("spaces[" + i + "].space_id", "is linked twice"));
            }
            spaces.add(link.spaceId());
            directions.add(link.direction());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid links", errors);
        }
        return tenantSql.transaction(tenant, conn -> history.lock(conn)
                .chain(() -> topology.existingSpaces(conn, tenant, spaces)).invoke(existing -> {
                    List<Problem.FieldError> missing = new ArrayList<>();
                    for (int i = 0; i < spaces.size(); i++) {
                        if (!existing.contains(spaces.get(i))) {
                            missing.add(Problem.FieldError.of("spaces[" + i + "].space_id",
                                    "no space \"" + spaces.get(i) + "\""));
                        }
                    }
                    if (!missing.isEmpty()) {
                        throw ProblemException.invalid("Unknown spaces", missing);
                    }
                })
                .chain(() -> topology.doorwayExists(conn, tenant, doorwayId))
                .chain(existed -> topology.latestLinkStart(conn, tenant, doorwayId).invoke(latest -> {
                    if (latest != null && from.isBefore(latest)) {
                        throw ProblemException.conflict("effective_from " + from + " is before the latest link change "
                                + latest + " of doorway " + doorwayId);
                    }
                })
                        .chain(() -> topology.upsertDoorway(conn, tenant, doorwayId, request.name()))
                        .chain(() -> topology.replaceLinks(conn, tenant, doorwayId, spaces, directions, from))
                        .chain(() -> topology.dpusOnDoorway(conn, tenant, doorwayId, from))
                        .chain(dpus -> reattribute(conn, tenant, dpus, from))
                        .chain(() -> topology.notifyChanged(conn))
                        .replaceWith(existed)))
                .invoke(reconciler::wake)
                .chain(existed -> doorway(tenant, doorwayId).map(d -> new Saved<>(d, !existed)));
    }

    public Uni<Doorway> doorway(String tenant, String doorwayId) {
        return tenantSql.transaction(tenant, conn -> topology.doorway(conn, tenant, doorwayId)).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("No doorway \"" + doorwayId + "\""));
    }

    public Uni<Placement> place(String tenant, String dpuId, PlacementRequest request) {
        Instant at = request.installedAt() == null ? Instant.now() : request.installedAt();
        String doorwayId = request.doorwayId();
        return tenantSql.transaction(tenant, conn -> history.lock(conn)
                .chain(() -> doorwayId == null ? Uni.createFrom().item(true)
                        : topology.doorwayExists(conn, tenant, doorwayId))
                .invoke(exists -> {
                    if (!exists) {
                        throw ProblemException.badRequest("doorway_id", "no doorway \"" + doorwayId + "\"");
                    }
                })
                .chain(() -> topology.latestPlacement(conn, tenant, dpuId)).invoke(latest -> {
                    if (latest != null && at.isBefore(latest)) {
                        throw ProblemException.conflict("installed_at " + at + " is before the latest placement "
                                + latest + " of sensor " + dpuId);
                    }
                })
                .chain(() -> topology.place(conn, tenant, dpuId, doorwayId, at))
                .chain(() -> reattribute(conn, tenant, List.of(dpuId), at))
                .chain(() -> topology.notifyChanged(conn)))
                .invoke(reconciler::wake)
                .replaceWith(new Placement(dpuId, doorwayId, at, null));
    }

    public Uni<List<Placement>> placements(String tenant, String dpuId) {
        return tenantSql.transaction(tenant, conn -> topology.placements(conn, tenant, dpuId)).invoke(list -> {
            if (list.isEmpty()) {
                throw ProblemException.notFound("Sensor \"" + dpuId + "\" has never been placed");
            }
        });
    }

    private Uni<Void> reattribute(SqlConnection conn, String tenant, List<String> dpus, Instant from) {
        if (dpus.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return history.eventLogExists(conn).chain(exists -> exists
                ? history.reattribute(conn, tenant, dpus, from).replaceWithVoid()
                : Uni.createFrom().voidItem());
    }
}
