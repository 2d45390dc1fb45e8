package dev.footfall.holiday.repository;

import dev.footfall.holiday.model.Location;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class LocationRepository {

    private static final String COLUMNS = "location_id, country_code, subdivision_code, active, created_at, deactivated_at";
    private static final String INSERT = "INSERT INTO location (location_id, tenant, country_code, subdivision_code) "
            + "VALUES ($1, $2, $3, $4) ON CONFLICT (location_id) DO NOTHING RETURNING " + COLUMNS;
    private static final String FIND = "SELECT " + COLUMNS + " FROM location WHERE location_id = $1";
    private static final String LIST = "SELECT " + COLUMNS + " FROM location WHERE active OR $1 ORDER BY created_at, location_id";
    private static final String DEACTIVATE = "UPDATE location SET active = false, deactivated_at = now() "
            + "WHERE location_id = $1 AND active RETURNING " + COLUMNS;

    private static final String STATE_COLUMNS = "SELECT l.location_id, l.country_code, l.subdivision_code, l.active, "
            + "l.created_at, l.deactivated_at, v.version, v.valid_from FROM location l LEFT JOIN holiday_version v "
            + "ON v.location_id = l.location_id AND v.valid_to IS NULL ";
    private static final String STATE = STATE_COLUMNS + "WHERE l.location_id = $1";
    private static final String STATES = STATE_COLUMNS + "WHERE l.location_id = ANY($1)";

    /** A location with its current holiday version (null version: nothing loaded yet). */
    public record LocationState(Location location, Integer currentVersion, Instant currentSince) {
    }

    private final Pool pool;

    LocationRepository(Pool pool) {
        this.pool = pool;
    }

    /** Inserts the location; null when one with that id already exists. */
    public Uni<Location> insert(UUID id, String tenant, String countryCode, String subdivisionCode) {
        return pool.preparedQuery(INSERT).execute(Tuple.of(id, tenant, countryCode, subdivisionCode))
                .map(LocationRepository::firstOrNull);
    }

    /** Inserts many locations in one statement batch, leaving existing ones (and their state) as they are. */
    public Uni<Integer> insertMissing(List<Tuple> rows) {
        return pool.preparedQuery(INSERT).executeBatch(rows).map(result -> {
            int inserted = 0;
            for (var r = result; r != null; r = r.next()) {
                inserted += r.rowCount();
            }
            return inserted;
        });
    }

    public Uni<Location> find(UUID id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(LocationRepository::firstOrNull);
    }

    /** The location and its current version in one round trip; null when unknown. */
    public Uni<LocationState> state(UUID id) {
        return pool.preparedQuery(STATE).execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            return toState(rows.iterator().next());
        });
    }

    /** The states of several locations in one round trip; unknown ones are left out. */
    public Uni<List<LocationState>> states(List<UUID> ids) {
        return pool.preparedQuery(STATES).execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> {
            List<LocationState> states = new ArrayList<>(rows.size());
            rows.forEach(row -> states.add(toState(row)));
            return states;
        });
    }

    public Uni<List<Location>> list(boolean includeInactive) {
        return pool.preparedQuery(LIST).execute(Tuple.of(includeInactive)).map(rows -> {
            List<Location> locations = new ArrayList<>(rows.size());
            rows.forEach(row -> locations.add(toLocation(row)));
            return locations;
        });
    }

    /** Deactivates an active location; null when it is unknown or already inactive. */
    public Uni<Location> deactivate(UUID id) {
        return pool.preparedQuery(DEACTIVATE).execute(Tuple.of(id)).map(LocationRepository::firstOrNull);
    }

    private static Location firstOrNull(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        return rows.size() == 0 ? null : toLocation(rows.iterator().next());
    }

    private static LocationState toState(Row row) {
        return new LocationState(toLocation(row), row.getInteger("version"), instant(row.getOffsetDateTime("valid_from")));
    }

    private static Location toLocation(Row row) {
        return new Location(row.getUUID("location_id"), row.getString("country_code"),
                row.getString("subdivision_code"), row.getBoolean("active"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("deactivated_at")));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
