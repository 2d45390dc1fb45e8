package dev.footfall.count.repository;

import dev.footfall.count.model.Space;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class SpaceRepository {

    private static final String UPSERT = """
            INSERT INTO space (space_id, tenant, name, parent_id, timezone, daily_reset, capacity)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (space_id) DO UPDATE SET name = EXCLUDED.name, parent_id = EXCLUDED.parent_id,
                timezone = EXCLUDED.timezone, daily_reset = EXCLUDED.daily_reset, capacity = EXCLUDED.capacity,
                updated_at = now()
            RETURNING space_id, name, parent_id, timezone, daily_reset, capacity, created_at, updated_at,
                      (xmax = 0) AS inserted
            """;
    private static final String COLUMNS = "space_id, name, parent_id, timezone, daily_reset, capacity, created_at, updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM space WHERE space_id = $1";
    private static final String LIST = "SELECT " + COLUMNS + " FROM space ORDER BY space_id";

    private static final String NOTIFY = "SELECT pg_notify('footfall_topology', '')";

    private final Pool pool;

    SpaceRepository(Pool pool) {
        this.pool = pool;
    }

    /** Inserts or replaces a space; {@code created} tells which. */
    public Uni<Upserted> upsert(Space space, String tenant) {
        Tuple params = Tuple.tuple(List.of(space.spaceId(), tenant, space.name()))
                .addValue(space.parentId())
                .addValue(space.timezone())
                .addValue(space.dailyReset() == null ? null : LocalTime.parse(space.dailyReset()))
                .addValue(space.capacity());
        return pool.preparedQuery(UPSERT).execute(params)
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Upserted(toSpace(row), row.getBoolean("inserted"));
                });
    }

    public Uni<Space> find(String spaceId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(spaceId))
                .map(rows -> rows.size() == 0 ? null : toSpace(rows.iterator().next()));
    }

    public Uni<List<Space>> list() {
        return pool.query(LIST).execute().map(rows -> {
            List<Space> spaces = new ArrayList<>(rows.size());
            rows.forEach(row -> spaces.add(toSpace(row)));
            return spaces;
        });
    }

    /** Tells ingest-service (LISTEN footfall_topology) that resets may have changed. */
    public Uni<Void> notifyChanged() {
        return pool.query(NOTIFY).execute().replaceWithVoid();
    }

    private static Space toSpace(Row row) {
        LocalTime reset = row.getLocalTime("daily_reset");
        return new Space(row.getString("space_id"), row.getString("name"), row.getString("parent_id"),
                row.getString("timezone"), reset == null ? null : reset.toString(), row.getInteger("capacity"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("updated_at")));
    }

    private static java.time.Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    public record Upserted(Space space, boolean created) {
    }
}
