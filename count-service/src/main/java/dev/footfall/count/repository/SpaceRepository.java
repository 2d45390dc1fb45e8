package dev.footfall.count.repository;

import dev.footfall.common.db.TenantSql;
import dev.footfall.count.model.Space;
import dev.footfall.count.model.SpaceRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
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
            ON CONFLICT (tenant, space_id) DO UPDATE SET name = EXCLUDED.name, parent_id = EXCLUDED.parent_id,
                timezone = EXCLUDED.timezone, daily_reset = EXCLUDED.daily_reset, capacity = EXCLUDED.capacity,
                updated_at = now()
            RETURNING space_id, name, parent_id, timezone, daily_reset, capacity, created_at, updated_at,
                      (xmax = 0) AS inserted
            """;
    private static final String COLUMNS = "space_id, name, parent_id, timezone, daily_reset, capacity, created_at, updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM space WHERE tenant = $1 AND space_id = $2";
    private static final String LIST = "SELECT " + COLUMNS + " FROM space WHERE tenant = $1 ORDER BY space_id";
    private static final String LIST_ALL = "SELECT tenant, space_id FROM space";

    private static final String NOTIFY = "SELECT pg_notify('footfall_topology', '')";

    private final Pool pool;
    private final TenantSql tenantSql;

    SpaceRepository(Pool pool, TenantSql tenantSql) {
        this.pool = pool;
        this.tenantSql = tenantSql;
    }

    /** Inserts or replaces a tenant's space, in the caller's tenant transaction; {@code created} tells which. */
    public Uni<Upserted> upsert(SqlClient conn, Space space, String tenant) {
        Tuple params = Tuple.tuple(List.of(space.spaceId(), tenant, space.name()))
                .addValue(space.parentId())
                .addValue(space.timezone())
                .addValue(space.dailyReset() == null ? null : LocalTime.parse(space.dailyReset()))
                .addValue(space.capacity());
        return conn.preparedQuery(UPSERT).execute(params)
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Upserted(toSpace(row), row.getBoolean("inserted"));
                });
    }

    /** The tenant's space, or null; in the caller's tenant transaction. */
    public Uni<Space> find(SqlClient conn, String tenant, String spaceId) {
        return conn.preparedQuery(FIND).execute(Tuple.of(tenant, spaceId)).map(SpaceRepository::first);
    }

    /** The tenant's space, or null. */
    public Uni<Space> find(String tenant, String spaceId) {
        return tenantSql.query(tenant, FIND, Tuple.of(tenant, spaceId)).map(SpaceRepository::first);
    }

    public Uni<List<Space>> list(String tenant) {
        return tenantSql.query(tenant, LIST, Tuple.of(tenant)).map(rows -> {
            List<Space> spaces = new ArrayList<>(rows.size());
            rows.forEach(row -> spaces.add(toSpace(row)));
            return spaces;
        });
    }

    /** Every tenant's spaces (system scope: metrics). */
    public Uni<List<SpaceRef>> listAll() {
        return tenantSql.systemQuery(LIST_ALL, Tuple.tuple()).map(rows -> {
            List<SpaceRef> spaces = new ArrayList<>(rows.size());
            rows.forEach(row -> spaces.add(new SpaceRef(row.getString("tenant"), row.getString("space_id"))));
            return spaces;
        });
    }

    private static Space first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : toSpace(rows.iterator().next());
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
