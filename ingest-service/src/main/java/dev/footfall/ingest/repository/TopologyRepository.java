package dev.footfall.ingest.repository;

import dev.footfall.common.db.TenantSql;
import dev.footfall.common.time.DailyReset;
import dev.footfall.ingest.model.Topology;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the topology that count-service publishes to this service (views in schema {@code count}, granted to this
 * service's role), every tenant's at once in the system scope. Before count-service has migrated there is no topology
 * and every event is unattributed.
 */
@ApplicationScoped
public class TopologyRepository {

    private static final String EXISTS = "SELECT to_regclass('count.sensor_placement') IS NOT NULL";
    private static final String PLACEMENTS = """
            SELECT tenant, dpu_id, doorway_id, installed_at, removed_at FROM count.sensor_placement
            ORDER BY tenant, dpu_id, installed_at
            """;
    private static final String LINKS = """
            SELECT tenant, doorway_id, space_id, direction, valid_from, valid_to FROM count.doorway_space_link
            ORDER BY tenant, doorway_id, valid_from
            """;
    private static final String RESETS = "SELECT tenant, space_id, timezone, daily_reset FROM count.space_reset";

    private final Pool pool;
    private final TenantSql tenantSql;

    TopologyRepository(Pool pool, TenantSql tenantSql) {
        this.pool = pool;
        this.tenantSql = tenantSql;
    }

    /** Each tenant's topology. */
    public Uni<Map<String, Topology>> load() {
        return pool.query(EXISTS).execute().chain(rows -> rows.iterator().next().getBoolean(0)
                ? tenantSql.systemTransaction(conn -> conn.query(PLACEMENTS).execute()
                        .chain(placements -> conn.query(LINKS).execute()
                                .chain(links -> conn.query(RESETS).execute()
                                        .map(resets -> byTenant(placements(placements), links(links), resets(resets))))))
                : Uni.createFrom().item(Map.of()));
    }

    private static Map<String, Topology> byTenant(Map<String, Map<String, List<Topology.Period>>> placements,
            Map<String, Map<String, List<Topology.Link>>> links, Map<String, Map<String, DailyReset>> resets) {
        Set<String> tenants = new HashSet<>(placements.keySet());
        tenants.addAll(links.keySet());
        tenants.addAll(resets.keySet());
        Map<String, Topology> result = new HashMap<>();
        for (String tenant : tenants) {
            result.put(tenant, new Topology(placements.getOrDefault(tenant, Map.of()), links.getOrDefault(tenant, Map.of()),
                    resets.getOrDefault(tenant, Map.of())));
        }
        return result;
    }

    private static Map<String, Map<String, List<Topology.Period>>> placements(Iterable<Row> rows) {
        Map<String, Map<String, List<Topology.Period>>> result = new HashMap<>();
        for (Row r : rows) {
            tenantMap(result, r).computeIfAbsent(r.getString("dpu_id"), k -> new ArrayList<>()).add(new Topology.Period(
                    r.getString("doorway_id"), instant(r.getOffsetDateTime("installed_at")),
                    instant(r.getOffsetDateTime("removed_at"))));
        }
        return result;
    }

    private static Map<String, Map<String, List<Topology.Link>>> links(Iterable<Row> rows) {
        Map<String, Map<String, List<Topology.Link>>> result = new HashMap<>();
        for (Row r : rows) {
            tenantMap(result, r).computeIfAbsent(r.getString("doorway_id"), k -> new ArrayList<>()).add(new Topology.Link(
                    r.getString("space_id"), r.getShort("direction"), instant(r.getOffsetDateTime("valid_from")),
                    instant(r.getOffsetDateTime("valid_to"))));
        }
        return result;
    }

    private static Map<String, Map<String, DailyReset>> resets(Iterable<Row> rows) {
        Map<String, Map<String, DailyReset>> result = new HashMap<>();
        for (Row r : rows) {
            LocalTime at = r.getLocalTime("daily_reset");
            tenantMap(result, r).put(r.getString("space_id"), new DailyReset(ZoneId.of(r.getString("timezone")), at));
        }
        return result;
    }

    private static <V> Map<String, V> tenantMap(Map<String, Map<String, V>> byTenant, Row r) {
        return byTenant.computeIfAbsent(r.getString("tenant"), (Function<String, Map<String, V>>) t -> new HashMap<>());
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
