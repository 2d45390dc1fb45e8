package dev.footfall.holiday.repository;

import dev.footfall.common.db.TenantSql;
import dev.footfall.holiday.model.Location;
import dev.footfall.holiday.model.LocationRef;
import dev.footfall.holiday.model.LocationRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Every SQL statement about locations; each names its tenant (or, for the background jobs, each row's). */
@ApplicationScoped
public class LocationRepository {

    private static final String COLUMNS = "location_id, country_code, subdivision_code, active, created_at, deactivated_at";
    private static final String INSERT = "INSERT INTO location (location_id, tenant, country_code, subdivision_code) "
            + "VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, location_id) DO NOTHING RETURNING " + COLUMNS;
    private static final String FIND = "SELECT " + COLUMNS + " FROM location WHERE tenant = $1 AND location_id = $2";
    private static final String LIST = "SELECT " + COLUMNS + " FROM location WHERE tenant = $1 AND (active OR $2) "
            + "ORDER BY created_at, location_id";
    private static final String LIST_ACTIVE_ALL = "SELECT tenant, " + COLUMNS + " FROM location WHERE active "
            + "ORDER BY tenant, created_at, location_id";
    private static final String DEACTIVATE = "UPDATE location SET active = false, deactivated_at = now() "
            + "WHERE tenant = $1 AND location_id = $2 AND active RETURNING " + COLUMNS;

    private static final String STATE_COLUMNS = "SELECT l.tenant, l.location_id, l.country_code, l.subdivision_code, "
            + "l.active, l.created_at, l.deactivated_at, v.version, v.valid_from FROM location l "
            + "LEFT JOIN holiday_version v "
            + "ON v.tenant = l.tenant AND v.location_id = l.location_id AND v.valid_to IS NULL ";
    private static final String STATE = STATE_COLUMNS + "WHERE l.tenant = $1 AND l.location_id = $2";
    // The (tenant, location) pairs asked for, side by side; a pair matches only its own tenant's row.
    private static final String STATES = STATE_COLUMNS
            + "JOIN unnest($1::varchar[], $2::uuid[]) AS k (tenant, location_id) "
            + "ON l.tenant = k.tenant AND l.location_id = k.location_id";

    /** A location with its current holiday version (null version: nothing loaded yet). */
    public record LocationState(String tenant, Location location, Integer currentVersion, Instant currentSince) {
        public LocationRef ref() {
            return new LocationRef(tenant, location.locationId());
        }
    }

    /** A location and the tenant it belongs to, for the jobs that work across tenants. */
    public record TenantLocation(String tenant, Location location) {
    }

    private final TenantSql tenantSql;

    LocationRepository(TenantSql tenantSql) {
        this.tenantSql = tenantSql;
    }

    /** Inserts the tenant's location; null when the tenant already has one with that id. */
    public Uni<Location> insert(String tenant, UUID id, String countryCode, String subdivisionCode) {
        return tenantSql.query(tenant, INSERT, Tuple.of(id, tenant, countryCode, subdivisionCode))
                .map(LocationRepository::firstOrNull);
    }

    /** Inserts many of the tenant's locations in one batch, leaving existing ones (and their state) as they are. */
    public Uni<Integer> insertMissing(String tenant, List<LocationRequest> rows) {
        List<Tuple> params = new ArrayList<>(rows.size());
        rows.forEach(r -> params.add(Tuple.of(r.locationId(), tenant, r.countryCode(), r.subdivisionCode())));
        return tenantSql.transaction(tenant, conn -> conn.preparedQuery(INSERT).executeBatch(params)).map(result -> {
            int inserted = 0;
            for (var r = result; r != null; r = r.next()) {
                inserted += r.rowCount();
            }
            return inserted;
        });
    }

    public Uni<Location> find(String tenant, UUID id) {
        return tenantSql.query(tenant, FIND, Tuple.of(tenant, id)).map(LocationRepository::firstOrNull);
    }

    /** The tenant's location and its current version in one round trip; null when the tenant has no such location. */
    public Uni<LocationState> state(LocationRef ref) {
        return tenantSql.query(ref.tenant(), STATE, Tuple.of(ref.tenant(), ref.locationId())).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            return toState(rows.iterator().next());
        });
    }

    /**
     * The states of several locations of any tenants in one round trip (system scope: the cache's background re-read);
     * unknown ones are left out.
     */
    public Uni<List<LocationState>> states(List<LocationRef> refs) {
        String[] tenants = new String[refs.size()];
        UUID[] ids = new UUID[refs.size()];
        for (int i = 0; i < refs.size(); i++) {
            tenants[i] = refs.get(i).tenant();
            ids[i] = refs.get(i).locationId();
        }
        return tenantSql.systemQuery(STATES, Tuple.of(tenants, ids)).map(rows -> {
            List<LocationState> states = new ArrayList<>(rows.size());
            rows.forEach(row -> states.add(toState(row)));
            return states;
        });
    }

    public Uni<List<Location>> list(String tenant, boolean includeInactive) {
        return tenantSql.query(tenant, LIST, Tuple.of(tenant, includeInactive)).map(rows -> {
            List<Location> locations = new ArrayList<>(rows.size());
            rows.forEach(row -> locations.add(toLocation(row)));
            return locations;
        });
    }

    /** Every tenant's active locations (system scope: the scheduled refresh). */
    public Uni<List<TenantLocation>> listActiveAll() {
        return tenantSql.systemQuery(LIST_ACTIVE_ALL, Tuple.tuple()).map(rows -> {
            List<TenantLocation> locations = new ArrayList<>(rows.size());
            rows.forEach(row -> locations.add(new TenantLocation(row.getString("tenant"), toLocation(row))));
            return locations;
        });
    }

    /**
     * Deactivates the tenant's active location, in the caller's tenant transaction; null when it is unknown (to the
     * tenant) or already inactive.
     */
    public Uni<Location> deactivate(SqlClient conn, String tenant, UUID id) {
        return conn.preparedQuery(DEACTIVATE).execute(Tuple.of(tenant, id)).map(LocationRepository::firstOrNull);
    }

    private static Location firstOrNull(RowSet<Row> rows) {
        return rows.size() == 0 ? null : toLocation(rows.iterator().next());
    }

    private static LocationState toState(Row row) {
        return new LocationState(row.getString("tenant"), toLocation(row), row.getInteger("version"),
                instant(row.getOffsetDateTime("valid_from")));
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
