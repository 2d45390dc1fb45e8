package dev.footfall.count.repository;

import dev.footfall.count.model.Doorway;
import dev.footfall.count.model.Placement;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Doorways, links and placements. Every change runs in the caller's transaction, which holds the history lock, and
 * re-attributes the raw events it affects (see {@link HistoryRepository#reattribute}).
 */
@ApplicationScoped
public class TopologyRepository {

    private static final String UPSERT_DOORWAY = """
            INSERT INTO doorway (doorway_id, tenant, name) VALUES ($1, $2, $3)
            ON CONFLICT (doorway_id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
            """;
    private static final String LATEST_LINK_START = "SELECT max(valid_from) FROM doorway_link WHERE doorway_id = $1";
    private static final String DROP_LINKS_FROM = "DELETE FROM doorway_link WHERE doorway_id = $1 AND valid_from >= $2";
    private static final String CLOSE_LINKS = """
            UPDATE doorway_link SET valid_to = $2 WHERE doorway_id = $1 AND (valid_to IS NULL OR valid_to > $2)
            """;
    private static final String INSERT_LINKS = """
            INSERT INTO doorway_link (doorway_id, space_id, direction, valid_from)
            SELECT $1, s, d, $4 FROM unnest($2::varchar[], $3::smallint[]) AS l(s, d)
            """;
    private static final String EXISTING_SPACES = "SELECT space_id FROM space WHERE space_id = ANY($1)";
    private static final String DOORWAY = "SELECT doorway_id, name FROM doorway WHERE doorway_id = $1";
    private static final String LINKS = """
            SELECT space_id, direction, valid_from, valid_to FROM doorway_link WHERE doorway_id = $1
            ORDER BY valid_from, space_id
            """;
    private static final String DPUS_ON_DOORWAY = """
            SELECT DISTINCT dpu_id FROM placement WHERE doorway_id = $1 AND (removed_at IS NULL OR removed_at > $2)
            """;
    private static final String LATEST_PLACEMENT = "SELECT max(installed_at) FROM placement WHERE dpu_id = $1";
    private static final String END_PLACEMENT = """
            UPDATE placement SET removed_at = $2 WHERE dpu_id = $1 AND removed_at IS NULL AND installed_at < $2
            """;
    private static final String INSERT_PLACEMENT = """
            INSERT INTO placement (dpu_id, doorway_id, installed_at) VALUES ($1, $2, $3)
            ON CONFLICT (dpu_id, installed_at) DO UPDATE SET doorway_id = EXCLUDED.doorway_id, removed_at = NULL
            """;
    private static final String PLACEMENTS = """
            SELECT dpu_id, doorway_id, installed_at, removed_at FROM placement WHERE dpu_id = $1 ORDER BY installed_at
            """;
    private static final String DOORWAY_EXISTS = "SELECT 1 FROM doorway WHERE doorway_id = $1";
    private static final String NOTIFY = "SELECT pg_notify('footfall_topology', '')";

    public Uni<Void> upsertDoorway(SqlConnection conn, String doorwayId, String tenant, String name) {
        return conn.preparedQuery(UPSERT_DOORWAY).execute(Tuple.of(doorwayId, tenant, name)).replaceWithVoid();
    }

    public Uni<Instant> latestLinkStart(SqlConnection conn, String doorwayId) {
        return conn.preparedQuery(LATEST_LINK_START).execute(Tuple.of(doorwayId)).map(TopologyRepository::firstInstant);
    }

    /** Closes the links open at {@code from} and adds the new ones from there. */
    public Uni<Void> replaceLinks(SqlConnection conn, String doorwayId, List<String> spaces, List<Integer> directions,
            Instant from) {
        OffsetDateTime t = utc(from);
        String[] spaceIds = spaces.toArray(String[]::new);
        Short[] dirs = directions.stream().map(Integer::shortValue).toArray(Short[]::new);
        return conn.preparedQuery(DROP_LINKS_FROM).execute(Tuple.of(doorwayId, t))
                .chain(() -> conn.preparedQuery(CLOSE_LINKS).execute(Tuple.of(doorwayId, t)))
                .chain(() -> conn.preparedQuery(INSERT_LINKS).execute(Tuple.of(doorwayId, spaceIds, dirs, t)))
                .replaceWithVoid();
    }

    public Uni<List<String>> existingSpaces(SqlConnection conn, List<String> spaceIds) {
        return conn.preparedQuery(EXISTING_SPACES).execute(Tuple.of(spaceIds.toArray(String[]::new)))
                .map(rows -> strings(rows));
    }

    public Uni<List<String>> dpusOnDoorway(SqlConnection conn, String doorwayId, Instant from) {
        return conn.preparedQuery(DPUS_ON_DOORWAY).execute(Tuple.of(doorwayId, utc(from))).map(rows -> strings(rows));
    }

    public Uni<Doorway> doorway(io.vertx.mutiny.sqlclient.SqlClient client, String doorwayId) {
        return client.preparedQuery(DOORWAY).execute(Tuple.of(doorwayId)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
            }
            String name = rows.iterator().next().getString("name");
            return client.preparedQuery(LINKS).execute(Tuple.of(doorwayId)).map(links -> {
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

    public Uni<Boolean> doorwayExists(SqlConnection conn, String doorwayId) {
        return conn.preparedQuery(DOORWAY_EXISTS).execute(Tuple.of(doorwayId)).map(rows -> rows.size() > 0);
    }

    public Uni<Instant> latestPlacement(SqlConnection conn, String dpuId) {
        return conn.preparedQuery(LATEST_PLACEMENT).execute(Tuple.of(dpuId)).map(TopologyRepository::firstInstant);
    }

    /** Ends the current placement at {@code at} and starts the new one (doorway null: uninstalled). */
    public Uni<Void> place(SqlConnection conn, String dpuId, String doorwayId, Instant at) {
        OffsetDateTime t = utc(at);
        return conn.preparedQuery(END_PLACEMENT).execute(Tuple.of(dpuId, t))
                .chain(() -> conn.preparedQuery(INSERT_PLACEMENT).execute(Tuple.of(dpuId, doorwayId, t)))
                .replaceWithVoid();
    }

    public Uni<List<Placement>> placements(io.vertx.mutiny.sqlclient.SqlClient client, String dpuId) {
        return client.preparedQuery(PLACEMENTS).execute(Tuple.of(dpuId)).map(rows -> {
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
