package dev.footfall.count.repository;

import dev.footfall.count.model.Doorway;
import dev.footfall.count.model.Placement;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Doorways, links and placements of a tenant. Every change runs in the caller's transaction, which holds the history lock, and
 * re-attributes the raw events it affects (see {@link HistoryRepository#reattribute}).
 */
@ApplicationScoped
public class TopologyRepository {

    private static final String UPSERT_DOORWAY = """
            INSERT INTO doorway (tenant, doorway_id, name) VALUES ($1, $2, $3)
            ON CONFLICT (tenant, doorway_id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
            """;
    private static final String LATEST_LINK_START =
            "SELECT max(valid_from) FROM doorway_link WHERE tenant = $1 AND doorway_id = $2";
    private static final String DROP_LINKS_FROM =
            "DELETE FROM doorway_link WHERE tenant = $1 AND doorway_id = $2 AND valid_from >= $3";
    private static final String CLOSE_LINKS = """
            UPDATE doorway_link SET valid_to = $3
            WHERE tenant = $1 AND doorway_id = $2 AND (valid_to IS NULL OR valid_to > $3)
            """;
    private static final String INSERT_LINKS = """
            INSERT INTO doorway_link (tenant, doorway_id, space_id, direction, valid_from)
            SELECT $1, $2, s, d, $5 FROM unnest($3::varchar[], $4::smallint[]) AS l(s, d)
            """;
    private static final String EXISTING_SPACES = "SELECT space_id FROM space WHERE tenant = $1 AND space_id = ANY($2)";
    private static final String DOORWAY = "SELECT doorway_id, name FROM doorway WHERE tenant = $1 AND doorway_id = $2";
    private static final String LINKS = """
            SELECT space_id, direction, valid_from, valid_to FROM doorway_link WHERE tenant = $1 AND doorway_id = $2
            ORDER BY valid_from, space_id
            """;
    private static final String DPUS_ON_DOORWAY = """
            SELECT DISTINCT dpu_id FROM placement
            WHERE tenant = $1 AND doorway_id = $2 AND (removed_at IS NULL OR removed_at > $3)
            """;
    private static final String LATEST_PLACEMENT =
            "SELECT max(installed_at) FROM placement WHERE tenant = $1 AND dpu_id = $2";
    private static final String END_PLACEMENT = """
            UPDATE placement SET removed_at = $3
            WHERE tenant = $1 AND dpu_id = $2 AND removed_at IS NULL AND installed_at < $3
            """;
    private static final String INSERT_PLACEMENT = """
            INSERT INTO placement (tenant, dpu_id, doorway_id, installed_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant, dpu_id, installed_at) DO UPDATE SET doorway_id = EXCLUDED.doorway_id, removed_at = NULL
            """;
    private static final String PLACEMENTS = """
            SELECT dpu_id, doorway_id, installed_at, removed_at FROM placement WHERE tenant = $1 AND dpu_id = $2
            ORDER BY installed_at
            """;
    private static final String DOORWAY_EXISTS = "SELECT 1 FROM doorway WHERE tenant = $1 AND doorway_id = $2";
    private static final String NOTIFY = "SELECT pg_notify('footfall_topology', '')";

    public Uni<Void> upsertDoorway(SqlConnection conn, String tenant, String doorwayId, String name) {
        return conn.preparedQuery(UPSERT_DOORWAY).execute(Tuple.of(tenant, doorwayId, name)).replaceWithVoid();
    }

    public Uni<Instant> latestLinkStart(SqlConnection conn, String tenant, String doorwayId) {
        return conn.preparedQuery(LATEST_LINK_START).execute(Tuple.of(tenant, doorwayId))
                .map(TopologyRepository::firstInstant);
    }

    /** Closes the links open at {@code from} and adds the new ones from there. */
    public Uni<Void> replaceLinks(SqlConnection conn, String tenant, String doorwayId, List<String> spaces,
            List<Integer> directions, Instant from) {
        OffsetDateTime t = utc(from);
        String[] spaceIds = spaces.toArray(String[]::new);
        Short[] dirs = directions.stream().map(Integer::shortValue).toArray(Short[]::new);
        return conn.preparedQuery(DROP_LINKS_FROM).execute(Tuple.of(tenant, doorwayId, t))
                .chain(() -> conn.preparedQuery(CLOSE_LINKS).execute(Tuple.of(tenant, doorwayId, t)))
                .chain(() -> conn.preparedQuery(INSERT_LINKS).execute(Tuple.of(tenant, doorwayId, spaceIds, dirs, t)))
                .replaceWithVoid();
    }

    public Uni<List<String>> existingSpaces(SqlConnection conn, String tenant, List<String> spaceIds) {
        return conn.preparedQuery(EXISTING_SPACES).execute(Tuple.of(tenant, spaceIds.toArray(String[]::new)))
                .map(TopologyRepository::strings);
    }

    public Uni<List<String>> dpusOnDoorway(SqlConnection conn, String tenant, String doorwayId, Instant from) {
        return conn.preparedQuery(DPUS_ON_DOORWAY).execute(Tuple.of(tenant, doorwayId, utc(from)))
                .map(TopologyRepository::strings);
    }

    public Uni<Doorway> doorway(SqlClient client, String tenant, String doorwayId) {
        return client.preparedQuery(DOORWAY).execute(Tuple.of(tenant, doorwayId)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
            }
            String name = rows.iterator().next().getString("name");
            return client.preparedQuery(LINKS).execute(Tuple.of(tenant, doorwayId)).map(links -> {
                List<Doorway.Link> all = new ArrayList<>();
                for (Row r : links) {
                    all.add(new Doorway.Link(r.getString("space_id"), r.getShort("direction"),
                            instant(r.getOffsetDateTime("valid_from")), instant(r.getOffsetDateTime("valid_to"))));
                }
                Instant now = Instant.now();
                List<Doorway.Link> current = all.stream()
                        .filter(l -> !l.validFrom().isAfter(now) && (l.validTo() == null || l.validTo().isAfter(now)))
                        .toList();
                return new Doorway(doorwayId, name, current, all);
            });
        });
    }

    public Uni<Boolean> doorwayExists(SqlConnection conn, String tenant, String doorwayId) {
        return conn.preparedQuery(DOORWAY_EXISTS).execute(Tuple.of(tenant, doorwayId)).map(rows -> rows.size() > 0);
    }

    public Uni<Instant> latestPlacement(SqlConnection conn, String tenant, String dpuId) {
        return conn.preparedQuery(LATEST_PLACEMENT).execute(Tuple.of(tenant, dpuId)).map(TopologyRepository::firstInstant);
    }

    /** Ends the current placement at {@code at} and starts the new one (doorway null: uninstalled). */
    public Uni<Void> place(SqlConnection conn, String tenant, String dpuId, String doorwayId, Instant at) {
        OffsetDateTime t = utc(at);
        return conn.preparedQuery(END_PLACEMENT).execute(Tuple.of(tenant, dpuId, t))
                .chain(() -> conn.preparedQuery(INSERT_PLACEMENT).execute(Tuple.of(tenant, dpuId, doorwayId, t)))
                .replaceWithVoid();
    }

    public Uni<List<Placement>> placements(SqlClient client, String tenant, String dpuId) {
        return client.preparedQuery(PLACEMENTS).execute(Tuple.of(tenant, dpuId)).map(rows -> {
            List<Placement> result = new ArrayList<>(rows.size());
            for (Row r : rows) {
                result.add(new Placement(r.getString("dpu_id"), r.getString("doorway_id"),
                        instant(r.getOffsetDateTime("installed_at")), instant(r.getOffsetDateTime("removed_at"))));
            }
            return result;
        });
    }

    /** Tells ingest-service (LISTEN footfall_topology) to reload; delivered when the transaction commits. */
    public Uni<Void> notifyChanged(SqlConnection conn) {
        return conn.query(NOTIFY).execute().replaceWithVoid();
    }

    private static List<String> strings(RowSet<Row> rows) {
        List<String> result = new ArrayList<>(rows.size());
        rows.forEach(r -> result.add(r.getString(0)));
        return result;
    }

    private static Instant firstInstant(RowSet<Row> rows) {
        return instant(rows.iterator().next().getOffsetDateTime(0));
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
