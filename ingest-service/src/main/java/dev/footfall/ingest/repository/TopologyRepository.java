package dev.footfall.ingest.repository;

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

/**
 * Reads the topology that count-service owns (schema {@code count}); a read-only cross-schema read named in the
 * READMEs. Before count-service has migrated, there is no topology and every event is unattributed.
 */
@ApplicationScoped
public class TopologyRepository {

    private static final String EXISTS = "SELECT to_regclass('count.doorway_link') IS NOT NULL";
    private static final String PLACEMENTS =
            "SELECT dpu_id, doorway_id, installed_at, removed_at FROM count.placement ORDER BY dpu_id, installed_at";
    private static final String LINKS =
            "SELECT doorway_id, space_id, direction, valid_from, valid_to FROM count.doorway_link ORDER BY doorway_id, valid_from";
    private static final String RESETS =
            "SELECT space_id, timezone, daily_reset FROM count.space WHERE daily_reset IS NOT NULL";

    private final Pool pool;

    TopologyRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Topology> load() {
        return pool.query(EXISTS).execute().chain(rows -> rows.iterator().next().getBoolean(0)
                ? pool.withTransaction(conn -> conn.query(PLACEMENTS).execute()
                        .chain(placements -> conn.query(LINKS).execute()
                                .chain(links -> conn.query(RESETS).execute()
                                        .map(resets -> new Topology(placements(placements), links(links), resets(resets))))))
                : Uni.createFrom().item(Topology.EMPTY));
    }

    private static Map<String, List<Topology.Period>> placements(Iterable<Row> rows) {
        Map<String, List<Topology.Period>> result = new HashMap<>();
        for (Row r : rows) {
            result.computeIfAbsent(r.getString("dpu_id"), k -> new ArrayList<>()).add(new Topology.Period(
                    r.getString("doorway_id"), instant(r.getOffsetDateTime("installed_at")),
                    instant(r.getOffsetDateTime("removed_at"))));
        }
        return result;
    }

    private static Map<String, List<Topology.Link>> links(Iterable<Row> rows) {
        Map<String, List<Topology.Link>> result = new HashMap<>();
        for (Row r : rows) {
            result.computeIfAbsent(r.getString("doorway_id"), k -> new ArrayList<>()).add(new Topology.Link(
                    r.getString("space_id"), r.getShort("direction"), instant(r.getOffsetDateTime("valid_from")),
                    instant(r.getOffsetDateTime("valid_to"))));
        }
        return result;
    }

    private static Map<String, DailyReset> resets(Iterable<Row> rows) {
        Map<String, DailyReset> result = new HashMap<>();
        for (Row r : rows) {
            LocalTime at = r.getLocalTime("daily_reset");
            result.put(r.getString("space_id"), new DailyReset(ZoneId.of(r.getString("timezone")), at));
        }
        return result;
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
