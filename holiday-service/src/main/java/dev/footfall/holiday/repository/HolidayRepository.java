package dev.footfall.holiday.repository;

import dev.footfall.holiday.model.Holiday;
import dev.footfall.holiday.model.HolidayVersion;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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
import java.util.UUID;

/** Every SQL statement about holiday versions, year snapshots and holidays. */
@ApplicationScoped
public class HolidayRepository {

    /** A version number and when it became current. */
    public record VersionRef(int version, Instant validFrom) {
    }

    /** The holidays of one year as answered for a version; {@code snapshotVersion} is the version that wrote them. */
    public record YearHolidays(int year, int snapshotVersion, List<Holiday> holidays) {
    }

    private static final String VERSION_AT = "SELECT version, valid_from FROM holiday_version "
            + "WHERE location_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)";

    private static final String VERSIONS = "SELECT version, valid_from, valid_to, content_hash, provider, changed_years "
            + "FROM holiday_version WHERE location_id = $1 ORDER BY version DESC";

    // The snapshot a version answers with: the newest one written at or before it; for a year first loaded under a
    // later version, the first one written (nothing older was ever answered for that year).
    private static final String YEAR = "WITH s AS (SELECT version FROM holiday_year WHERE location_id = $1 AND year = $2 "
            + "ORDER BY (version <= $3) DESC, CASE WHEN version <= $3 THEN -version ELSE version END LIMIT 1) "
            + "SELECT s.version AS snapshot, h.date, h.name, h.local_name, h.type, h.substitute FROM s "
            + "LEFT JOIN holiday h ON h.location_id = $1 AND h.year = $2 AND h.version = s.version "
            + "ORDER BY h.date, h.name";

    private static final String LOADED_YEARS = "SELECT DISTINCT year FROM holiday_year WHERE location_id = $1 ORDER BY year";

    private static final String LOCK_LOCATION = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

    private static final String CURRENT_FOR_UPDATE = "SELECT version FROM holiday_version "
            + "WHERE location_id = $1 AND valid_to IS NULL";

    private static final String EFFECTIVE_HASHES = "SELECT DISTINCT ON (year) year, content_hash FROM holiday_year "
            + "WHERE location_id = $1 ORDER BY year, version DESC";

    private static final String CLOSE_CURRENT = "UPDATE holiday_version SET valid_to = now() "
            + "WHERE location_id = $1 AND valid_to IS NULL";

    private static final String INSERT_VERSION = "INSERT INTO holiday_version "
            + "(location_id, version, valid_from, content_hash, provider, changed_years) VALUES ($1, $2, now(), $3, $4, $5)";

    private static final String INSERT_YEAR = "INSERT INTO holiday_year (location_id, year, version, content_hash, provider) "
            + "VALUES ($1, $2, $3, $4, $5)";

    private static final String INSERT_HOLIDAY = "INSERT INTO holiday "
            + "(location_id, year, version, date, name, local_name, type, substitute) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

    private static final String NOTIFY = "SELECT pg_notify($1, $2)";

    private final Pool pool;

    HolidayRepository(Pool pool) {
        this.pool = pool;
    }

    /** The version that was current at {@code at}; null when the location had none yet. */
    public Uni<VersionRef> versionAt(UUID locationId, Instant at) {
        return pool.preparedQuery(VERSION_AT).execute(Tuple.of(locationId, at.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.size() == 0 ? null : toRef(rows.iterator().next()));
    }

    public Uni<List<HolidayVersion>> versions(UUID locationId) {
        return pool.preparedQuery(VERSIONS).execute(Tuple.of(locationId)).map(rows -> {
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
    public Uni<YearHolidays> year(UUID locationId, int year, int version) {
        return pool.preparedQuery(YEAR).execute(Tuple.of(locationId, year, version)).map(rows -> {
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

    public Uni<List<Integer>> loadedYears(UUID locationId) {
        return pool.preparedQuery(LOADED_YEARS).execute(Tuple.of(locationId)).map(rows -> {
            List<Integer> years = new ArrayList<>(rows.size());
            rows.forEach(row -> years.add(row.getInteger("year")));
            return years;
        });
    }

    /**
     * Runs {@code work} in one transaction holding the location's advisory lock, so that replicas and concurrent
     * requests write one location's versions one at a time.
     */
    public <T> Uni<T> withLocationLock(UUID locationId, java.util.function.Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_LOCATION)
                .execute(Tuple.of("holiday-location:" + locationId)).flatMap(ignored -> work.apply(conn)));
    }

    /** The current version number within the locking transaction; null when the location has none. */
    public Uni<Integer> currentVersion(SqlConnection conn, UUID locationId) {
        return conn.preparedQuery(CURRENT_FOR_UPDATE).execute(Tuple.of(locationId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("version"));
    }

    /** The content hash each loaded year currently answers with. */
    public Uni<Map<Integer, String>> effectiveHashes(SqlConnection conn, UUID locationId) {
        return conn.preparedQuery(EFFECTIVE_HASHES).execute(Tuple.of(locationId)).map(rows -> {
            Map<Integer, String> hashes = new TreeMap<>();
            rows.forEach(row -> hashes.put(row.getInteger("year"), row.getString("content_hash")));
            return hashes;
        });
    }

    /** Closes the current version (if any) and opens {@code version}, both at the transaction's time. */
    public Uni<Void> openVersion(SqlConnection conn, UUID locationId, int version, String contentHash, String provider,
            List<Integer> changedYears) {
        return conn.preparedQuery(CLOSE_CURRENT).execute(Tuple.of(locationId))
                .flatMap(ignored -> conn.preparedQuery(INSERT_VERSION).execute(Tuple.of(locationId, version, contentHash,
                        provider, changedYears.toArray(Integer[]::new))))
                .replaceWithVoid();
    }

    public Uni<Void> insertYear(SqlConnection conn, UUID locationId, int year, int version, String contentHash,
            String provider, List<Holiday> holidays) {
        Uni<RowSet<Row>> header = conn.preparedQuery(INSERT_YEAR)
                .execute(Tuple.of(locationId, year, version, contentHash, provider));
        if (holidays.isEmpty()) {
            return header.replaceWithVoid();
        }
        List<Tuple> rows = new ArrayList<>(holidays.size());
        for (Holiday h : holidays) {
            rows.add(Tuple.tuple(List.of(locationId, year, version, h.date(), h.name(), h.localName(), h.type(),
                    h.substitute())));
        }
        return header.flatMap(ignored -> conn.preparedQuery(INSERT_HOLIDAY).executeBatch(rows)).replaceWithVoid();
    }

    /** Tells every replica (delivered at commit) that a location's answers changed. */
    public Uni<Void> notifyChanged(SqlConnection conn, String channel, UUID locationId) {
        return conn.preparedQuery(NOTIFY).execute(Tuple.of(channel, locationId.toString())).replaceWithVoid();
    }

    public Uni<Void> notifyChanged(String channel, UUID locationId) {
        return pool.preparedQuery(NOTIFY).execute(Tuple.of(channel, locationId.toString())).replaceWithVoid();
    }

    private static VersionRef toRef(Row row) {
        return new VersionRef(row.getInteger("version"), instant(row.getOffsetDateTime("valid_from")));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
