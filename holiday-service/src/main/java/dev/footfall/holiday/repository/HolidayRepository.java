package dev.footfall.holiday.repository;

import dev.footfall.common.db.TenantSql;
import dev.footfall.holiday.model.Holiday;
import dev.footfall.holiday.model.HolidayVersion;
import dev.footfall.holiday.model.LocationRef;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every SQL statement about holiday versions, year snapshots and holidays. They are a location's history, so each
 * statement names the location's tenant and runs in that tenant's scope.
 */
@ApplicationScoped
public class HolidayRepository {

    /** A version number and when it became current. */
    public record VersionRef(int version, Instant validFrom) {
    }

    /** The holidays of one year as answered for a version; {@code snapshotVersion} is the version that wrote them. */
    public record YearHolidays(int year, int snapshotVersion, List<Holiday> holidays) {
    }

    private static final String VERSION_AT = "SELECT version, valid_from FROM holiday_version "
            + "WHERE tenant = $1 AND location_id = $2 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)";

    private static final String VERSIONS = "SELECT version, valid_from, valid_to, content_hash, provider, changed_years "
            + "FROM holiday_version WHERE tenant = $1 AND location_id = $2 ORDER BY version DESC";

    // The snapshot a version answers with: the newest one written at or before it; for a year first loaded under a
    // later version, the first one written (nothing older was ever answered for that year).
    private static final String YEAR = "WITH s AS (SELECT version FROM holiday_year "
            + "WHERE tenant = $1 AND location_id = $2 AND year = $3 "
            + "ORDER BY (version <= $4) DESC, CASE WHEN version <= $4 THEN -version ELSE version END LIMIT 1) "
            + "SELECT s.version AS snapshot, h.date, h.name, h.local_name, h.type, h.substitute FROM s "
            + "LEFT JOIN holiday h ON h.tenant = $1 AND h.location_id = $2 AND h.year = $3 AND h.version = s.version "
            + "ORDER BY h.date, h.name";

    private static final String LOADED_YEARS = "SELECT DISTINCT year FROM holiday_year "
            + "WHERE tenant = $1 AND location_id = $2 ORDER BY year";

    private static final String LOCK_LOCATION = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

    private static final String CURRENT_FOR_UPDATE = "SELECT version FROM holiday_version "
            + "WHERE tenant = $1 AND location_id = $2 AND valid_to IS NULL";

    private static final String EFFECTIVE_HASHES = "SELECT DISTINCT ON (year) year, content_hash FROM holiday_year "
            + "WHERE tenant = $1 AND location_id = $2 ORDER BY year, version DESC";

    private static final String CLOSE_CURRENT = "UPDATE holiday_version SET valid_to = now() "
            + "WHERE tenant = $1 AND location_id = $2 AND valid_to IS NULL";

    private static final String INSERT_VERSION = "INSERT INTO holiday_version "
            + "(tenant, location_id, version, valid_from, content_hash, provider, changed_years) "
            + "VALUES ($1, $2, $3, now(), $4, $5, $6)";

    private static final String INSERT_YEAR = "INSERT INTO holiday_year "
            + "(tenant, location_id, year, version, content_hash, provider) VALUES ($1, $2, $3, $4, $5, $6)";

    private static final String INSERT_HOLIDAY = "INSERT INTO holiday "
            + "(tenant, location_id, year, version, date, name, local_name, type, substitute) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    private static final String NOTIFY = "SELECT pg_notify($1, $2)";

    private final TenantSql tenantSql;

    HolidayRepository(TenantSql tenantSql) {
        this.tenantSql = tenantSql;
    }

    /** The version that was current at {@code at}; null when the location had none yet. */
    public Uni<VersionRef> versionAt(LocationRef ref, Instant at) {
        return tenantSql.query(ref.tenant(), VERSION_AT,
                        Tuple.of(ref.tenant(), ref.locationId(), at.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.size() == 0 ? null : toRef(rows.iterator().next()));
    }

    public Uni<List<HolidayVersion>> versions(LocationRef ref) {
        return tenantSql.query(ref.tenant(), VERSIONS, Tuple.of(ref.tenant(), ref.locationId())).map(rows -> {
            List<HolidayVersion> versions = new ArrayList<>(rows.size());
            for (Row row : rows) {
                Instant validTo = instant(row.getOffsetDateTime("valid_to"));
                versions.add(new HolidayVersion(row.getInteger("version"), validTo == null,
                        instant(row.getOffsetDateTime("valid_from")), validTo, row.getString("content_hash"),
                        row.getString("provider"), Arrays.asList(row.getArrayOfIntegers("changed_years"))));
            }
            return versions;
        });
    }

    /** The holidays a version answers for one year; null when the year was never loaded for this location. */
    public Uni<YearHolidays> year(LocationRef ref, int year, int version) {
        Tuple params = Tuple.of(ref.tenant(), ref.locationId(), year, version);
        return tenantSql.query(ref.tenant(), YEAR, params).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            int snapshot = -1;
            List<Holiday> holidays = new ArrayList<>(rows.size());
            for (Row row : rows) {
                snapshot = row.getInteger("snapshot");
                if (row.getLocalDate("date") != null) {
                    holidays.add(new Holiday(row.getLocalDate("date"), row.getString("name"), row.getString("local_name"),
                            row.getString("type"), row.getBoolean("substitute")));
                }
            }
            return new YearHolidays(year, snapshot, List.copyOf(holidays));
        });
    }

    public Uni<List<Integer>> loadedYears(LocationRef ref) {
        return tenantSql.query(ref.tenant(), LOADED_YEARS, Tuple.of(ref.tenant(), ref.locationId())).map(rows -> {
            List<Integer> years = new ArrayList<>(rows.size());
            rows.forEach(row -> years.add(row.getInteger("year")));
            return years;
        });
    }

    /**
     * Runs {@code work} in one transaction of the location's tenant holding the location's advisory lock, so that
     * replicas and concurrent requests write one location's versions one at a time.
     */
    public <T> Uni<T> withLocationLock(LocationRef ref, Function<SqlConnection, Uni<T>> work) {
        return tenantSql.transaction(ref.tenant(), conn -> conn.preparedQuery(LOCK_LOCATION)
                .execute(Tuple.of("holiday-location:" + ref.tenant() + ":" + ref.locationId()))
                .flatMap(ignored -> work.apply(conn)));
    }

    /** The current version number within the locking transaction; null when the location has none. */
    public Uni<Integer> currentVersion(SqlConnection conn, LocationRef ref) {
        return conn.preparedQuery(CURRENT_FOR_UPDATE).execute(Tuple.of(ref.tenant(), ref.locationId()))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("version"));
    }

    /** The content hash each loaded year currently answers with. */
    public Uni<Map<Integer, String>> effectiveHashes(SqlConnection conn, LocationRef ref) {
        return conn.preparedQuery(EFFECTIVE_HASHES).execute(Tuple.of(ref.tenant(), ref.locationId())).map(rows -> {
            Map<Integer, String> hashes = new TreeMap<>();
            rows.forEach(row -> hashes.put(row.getInteger("year"), row.getString("content_hash")));
            return hashes;
        });
    }

    /** Closes the current version (if any) and opens {@code version}, both at the transaction's time. */
    public Uni<Void> openVersion(SqlConnection conn, LocationRef ref, int version, String contentHash, String provider,
            List<Integer> changedYears) {
        return conn.preparedQuery(CLOSE_CURRENT).execute(Tuple.of(ref.tenant(), ref.locationId()))
                .flatMap(ignored -> conn.preparedQuery(INSERT_VERSION).execute(Tuple.tuple(List.of(ref.tenant(),
                        ref.locationId(), version, contentHash, provider, changedYears.toArray(Integer[]::new)))))
                .replaceWithVoid();
    }

    public Uni<Void> insertYear(SqlConnection conn, LocationRef ref, int year, int version, String contentHash,
            String provider, List<Holiday> holidays) {
        Uni<RowSet<Row>> header = conn.preparedQuery(INSERT_YEAR)
                .execute(Tuple.of(ref.tenant(), ref.locationId(), year, version, contentHash, provider));
        if (holidays.isEmpty()) {
            return header.replaceWithVoid();
        }
        List<Tuple> rows = new ArrayList<>(holidays.size());
        for (Holiday h : holidays) {
            rows.add(Tuple.tuple(List.of(ref.tenant(), ref.locationId(), year, version, h.date(), h.name(),
                    h.localName(), h.type(), h.substitute())));
        }
        return header.flatMap(ignored -> conn.preparedQuery(INSERT_HOLIDAY).executeBatch(rows)).replaceWithVoid();
    }

    /** Tells every replica (delivered at commit) that a location's answers changed; {@code payload} names it. */
    public Uni<Void> notifyChanged(SqlConnection conn, String channel, String payload) {
        return conn.preparedQuery(NOTIFY).execute(Tuple.of(channel, payload)).replaceWithVoid();
    }

    private static VersionRef toRef(Row row) {
        return new VersionRef(row.getInteger("version"), instant(row.getOffsetDateTime("valid_from")));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
