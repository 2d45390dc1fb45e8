package dev.footfall.analytics.repository.heartbeat;

import dev.footfall.analytics.model.heartbeat.CurationRun;
import dev.footfall.common.db.AdvisoryLocks;
import dev.footfall.common.db.TenantSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every statement of heartbeat curation: watermarks, partitions, the set-based load, pre-aggregates, the load log. A
 * run curates one tenant: each statement names the tenant and runs in its scope (TenantSql), so the row-level security
 * policies hold a run to that tenant's rows as well; only the scheduled job's search for tenants with work runs in the
 * system scope.
 */
@ApplicationScoped
public class CurationRepository {

    /**
     * The advisory lock held by the run that is loading, whatever its tenant ("hb-curat" in ASCII); each tenant's
     * runs also take a lock of the tenant's own (see {@link #tryLock}).
     */
    static final long LOAD_LOCK_KEY = 0x68622d6375726174L;

    /** What {@link #tryLock} got: both locks, or neither because the tenant's or the load lock is held elsewhere. */
    public enum Lock {
        TAKEN, TENANT_BUSY, LOAD_BUSY
    }

    /** Watermarks of the previous run and its snapshot; null before the first. */
    public record Watermarks(OffsetDateTime created, OffsetDateTime loaded, OffsetDateTime dimensions,
            OffsetDateTime snapshot) {
    }

    /**
     * The staged heartbeats a run looks at: the created watermark already moved back by the overlap; rows staged once,
     * after {@code previousSnapshot} (the latest snapshot of the earlier runs), have no curated copy yet.
     */
    public record Selection(String tenant, OffsetDateTime createdAfter, OffsetDateTime loadedAfter,
            OffsetDateTime snapshot, Long[] changedDevices, Long[] changedVersions, OffsetDateTime previousSnapshot) {

        Tuple tuple() {
            return Tuple.of(tenant, createdAfter, loadedAfter, snapshot, changedDevices, changedVersions);
        }

        Tuple loadTuple() {
            return tuple().addValue(previousSnapshot);
        }
    }

    /** Rows of one (project, UTC day). */
    public record DayCount(long projectId, LocalDate day, long rows) {
    }

    // The tenant's staged heartbeats to (re)curate: created or staged after the watermarks (less the overlap), or of a
    // device, cohort or version that changed since. Rows staged after the run's snapshot wait for the next run.
    private static final String CANDIDATE_FILTER = """
            WHERE e.tenant = $1 AND e.type = 'heartbeat' AND e.loaded_at <= $4
              AND (e.created_date > coalesce($2::timestamptz, '-infinity')
                   OR e.loaded_at > coalesce($3::timestamptz, '-infinity')
                   OR e.device_id = ANY($5::bigint[]) OR e.software_version_id = ANY($6::bigint[]))
            """;

    private static final String CANDIDATE_DAYS = """
            SELECT e.project_id, (e.captured_date AT TIME ZONE 'UTC')::date AS day, count(*) AS rows
            FROM hb_stg_event e
            """ + CANDIDATE_FILTER + " GROUP BY 1, 2 ORDER BY 1, 2";

    private static final String CURATED_ROWS = """
                INSERT INTO hb_heartbeat AS h (tenant, event_id, project_id, device_id, device_serial, cohort_id,
                                               cohort_name, software_version_id, software_version, captured_date,
                                               created_date, metric_values)
                SELECT $1::text, e.id, e.project_id, e.device_id, d.device_serial, d.cohort_id, c.name,
                       e.software_version_id, v.version, e.captured_date, e.created_date,
                       coalesce(e.metric_values, '{}')
                FROM hb_stg_event e
                LEFT JOIN hb_stg_device d ON d.tenant = $1 AND d.id = e.device_id
                LEFT JOIN hb_stg_cohort c ON c.tenant = $1 AND c.id = d.cohort_id
                LEFT JOIN hb_stg_software_version v ON v.tenant = $1 AND v.id = e.software_version_id
            """ + CANDIDATE_FILTER;

    // Candidates staged once (never changed since) after every earlier run's snapshot: no curated copy can exist (a run
    // reads only rows whose loaded_at is up to its snapshot, and $7 is the latest of the snapshots), so a plain insert,
    // about twice as fast as the upsert below for the bulk of a run. The condition holds whatever the clock does.
    private static final String NEW_ROW = """
            e.first_loaded_at > coalesce($7::timestamptz, '-infinity') AND e.loaded_at = e.first_loaded_at""";

    private static final String INSERT_NEW = "WITH up AS (" + CURATED_ROWS + "AND " + NEW_ROW + """

                RETURNING h.project_id, (h.captured_date AT TIME ZONE 'UTC')::date AS day
            )
            SELECT project_id, day, count(*) AS rows FROM up GROUP BY 1, 2
            """;

    // The other candidates: upsert by event id; rows whose curated content would not change are skipped, so they are
    // not counted as loaded and their day's pre-aggregates are not rebuilt.
    private static final String LOAD = "WITH up AS (" + CURATED_ROWS + "AND NOT coalesce(" + NEW_ROW + ", false)" + """

                ON CONFLICT (tenant, event_id, captured_date) DO UPDATE SET
                    project_id = EXCLUDED.project_id, device_id = EXCLUDED.device_id,
                    device_serial = EXCLUDED.device_serial, cohort_id = EXCLUDED.cohort_id,
                    cohort_name = EXCLUDED.cohort_name, software_version_id = EXCLUDED.software_version_id,
                    software_version = EXCLUDED.software_version, created_date = EXCLUDED.created_date,
                    metric_values = EXCLUDED.metric_values, curated_at = now()
                WHERE (h.project_id, h.device_id, h.device_serial, h.cohort_id, h.cohort_name, h.software_version_id,
                       h.software_version, h.created_date, h.metric_values)
                      IS DISTINCT FROM
                      (EXCLUDED.project_id, EXCLUDED.device_id, EXCLUDED.device_serial, EXCLUDED.cohort_id,
                       EXCLUDED.cohort_name, EXCLUDED.software_version_id, EXCLUDED.software_version,
                       EXCLUDED.created_date, EXCLUDED.metric_values)
                RETURNING h.project_id, (h.captured_date AT TIME ZONE 'UTC')::date AS day
            )
            SELECT project_id, day, count(*) AS rows FROM up GROUP BY 1, 2
            """;

    private static final String COUNT_STALE = """
            SELECT count(*) FROM hb_stg_event WHERE tenant = $1 AND stale_curated_at IS NOT NULL
            """;

    private static final String REMOVE_STALE = """
            WITH stale AS (
                SELECT id, stale_curated_at AS at FROM hb_stg_event
                WHERE tenant = $1 AND stale_curated_at IS NOT NULL AND loaded_at <= $2 FOR UPDATE
            ), cleared AS (
                UPDATE hb_stg_event e SET stale_curated_at = NULL FROM stale s WHERE e.tenant = $1 AND e.id = s.id
            ), gone AS (
                DELETE FROM hb_heartbeat h USING stale s
                WHERE h.tenant = $1 AND h.event_id = s.id AND h.captured_date = s.at
                RETURNING h.project_id, (h.captured_date AT TIME ZONE 'UTC')::date AS day
            )
            SELECT project_id, day, count(*) AS rows FROM gone GROUP BY 1, 2
            """;

    // The staging time up to which every staged row is visible to this run: the run's snapshot, moved back to the start
    // of the oldest transaction still open in this database (its rows carry loaded_at = its start and may commit after
    // the run has read), and by the fallback overlap when a session's transaction cannot be seen (another role's,
    // without pg_read_all_stats). Less a microsecond, so that rows stamped exactly then are taken again (the
    // candidate filter is "loaded_at > watermark").
    private static final String STAGED_HORIZON = """
            SELECT least($1::timestamptz, min(a.xact_start),
                         CASE WHEN bool_or(a.state IS NULL) THEN $1::timestamptz - make_interval(secs => $2) END)
                   - interval '1 microsecond'
            FROM pg_stat_activity a
            WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
            """;

    private static final String CHANGED_DIMENSIONS = """
            SELECT ARRAY(SELECT id FROM hb_stg_device
                         WHERE tenant = $1 AND loaded_at > coalesce($2::timestamptz, '-infinity') AND loaded_at <= $3
                         UNION
                         SELECT d.id FROM hb_stg_device d
                         JOIN hb_stg_cohort c ON c.tenant = d.tenant AND c.id = d.cohort_id
                         WHERE d.tenant = $1 AND c.loaded_at > coalesce($2::timestamptz, '-infinity')
                           AND c.loaded_at <= $3) AS devices,
                   ARRAY(SELECT id FROM hb_stg_software_version
                         WHERE tenant = $1 AND loaded_at > coalesce($2::timestamptz, '-infinity') AND loaded_at <= $3)
                   AS versions
            """;

    // Rebuilds one (project, UTC day) of the pre-aggregates from the curated rows, in one statement and one scan of
    // the day: per cell its heartbeats and the typed arrays of its rows (element i = catalog ordinal i, extracted at
    // staging, so no JSON is read here), collected into one two-dimensional array padded to the catalog's size. The
    // cell rows come from that same aggregate (a second scan and sort of the day only to count them cost about a
    // tenth of the rebuild). Each metric's column is sliced out of the array, so that the distinct values are counted in one small
    // hash table per cell and metric: half the time of unnesting every value into a row and grouping the day by
    // (cell, metric, value). The cell's histogram over the fixed value buckets (hb_value_histogram, V53) is taken
    // from its sorted values.
    private static final String REFRESH_DAY = """
            WITH del_metric AS (
                DELETE FROM hb_metric_day WHERE tenant = $1 AND project_id = $2 AND day = $3
            ), del_cell AS (
                DELETE FROM hb_cell_day WHERE tenant = $1 AND project_id = $2 AND day = $3
            ), width AS (
                SELECT greatest(max(ordinal), 1) AS metrics FROM hb_metric_catalog WHERE tenant = $1 AND project_id = $2
            ), g AS MATERIALIZED (
                SELECT h.software_version, h.cohort_id, h.cohort_name, count(*) AS heartbeats,
                       array_agg(h.metric_values
                                 || array_fill(NULL::float8, ARRAY[greatest(w.metrics - cardinality(h.metric_values), 0)])) AS m
                FROM hb_heartbeat h CROSS JOIN width w
                WHERE h.tenant = $1 AND h.project_id = $2 AND h.captured_date >= $4 AND h.captured_date < $5
                GROUP BY h.software_version, h.cohort_id, h.cohort_name
            ), cells AS (
                INSERT INTO hb_cell_day (tenant, project_id, day, software_version, cohort_id, cohort_name, heartbeats)
                SELECT $1, $2, $3, software_version, cohort_id, cohort_name, heartbeats FROM g
            )
            INSERT INTO hb_metric_day (tenant, project_id, day, metric, software_version, cohort_id, cohort_name, n,
                                       vals, cnts, bkeys, bends, bcnts)
            SELECT $1, $2, $3, k.metric, g.software_version, g.cohort_id, g.cohort_name, s.n, s.vals, s.cnts,
                   b.bkeys, b.bends, b.bcnts
            FROM g
            JOIN hb_metric_catalog k ON k.tenant = $1 AND k.project_id = $2
            CROSS JOIN LATERAL (
                SELECT sum(c) AS n, array_agg(v ORDER BY v) AS vals, array_agg(c ORDER BY v) AS cnts
                FROM (SELECT v, count(*)::int AS c FROM unnest(g.m[:][k.ordinal:k.ordinal]) AS v
                      WHERE v IS NOT NULL GROUP BY v) z
                HAVING count(*) > 0
            ) s
            CROSS JOIN LATERAL hb_value_histogram(s.vals, s.cnts) AS b
            """;

    private static final String MAX_CREATED = """
            SELECT max(created_date) FROM hb_stg_event WHERE tenant = $1 AND type = 'heartbeat' AND loaded_at <= $2
            """;

    private static final String SAVE_WATERMARKS = """
            INSERT INTO hb_curation_state AS s (tenant, created_watermark, loaded_watermark, dimension_watermark,
                                                snapshot_watermark)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tenant) DO UPDATE
            SET created_watermark = EXCLUDED.created_watermark, loaded_watermark = EXCLUDED.loaded_watermark,
                dimension_watermark = EXCLUDED.dimension_watermark, snapshot_watermark = EXCLUDED.snapshot_watermark,
                updated_at = now()
            """;

    private static final String WATERMARKS = """
            SELECT created_watermark, loaded_watermark, dimension_watermark, snapshot_watermark
            FROM hb_curation_state WHERE tenant = $1
            """;

    // The tenants whose staged rows changed since their last run (or that never had one), for the scheduled job, in
    // the system scope: the distinct tenants of the staged events by a skip scan of the primary key, then per tenant
    // the newest staging time of each table, one index probe each (an EXISTS over "loaded_at > watermark" was planned
    // as a scan of every staged row). Every row a run would look at again was staged after that run's staging horizon.
    private static final String TENANTS_WITH_WORK = """
            WITH RECURSIVE tenants AS (
                (SELECT tenant FROM hb_stg_event ORDER BY tenant LIMIT 1)
                UNION ALL
                SELECT (SELECT e.tenant FROM hb_stg_event e WHERE e.tenant > t.tenant ORDER BY e.tenant LIMIT 1)
                FROM tenants t WHERE t.tenant IS NOT NULL
            )
            SELECT t.tenant
            FROM tenants t LEFT JOIN hb_curation_state s ON s.tenant = t.tenant
            WHERE t.tenant IS NOT NULL
              AND (s.loaded_watermark IS NULL
                   OR (SELECT max(e.loaded_at) FROM hb_stg_event e WHERE e.tenant = t.tenant AND e.type = 'heartbeat')
                      > s.loaded_watermark
                   OR EXISTS (SELECT 1 FROM hb_stg_event e WHERE e.tenant = t.tenant AND e.stale_curated_at IS NOT NULL)
                   OR greatest((SELECT max(d.loaded_at) FROM hb_stg_device d WHERE d.tenant = t.tenant),
                               (SELECT max(c.loaded_at) FROM hb_stg_cohort c WHERE c.tenant = t.tenant),
                               (SELECT max(v.loaded_at) FROM hb_stg_software_version v WHERE v.tenant = t.tenant))
                      > s.dimension_watermark)
            ORDER BY t.tenant
            """;

    // Runs are numbered per tenant; only the holder of the tenant's curation lock adds one.
    private static final String START_RUN = """
            INSERT INTO hb_curation_run (tenant, id, trigger, status, phase)
            SELECT $1::text, coalesce(max(id), 0) + 1, $2, 'running', 'planning' FROM hb_curation_run
            WHERE tenant = $1::text
            RETURNING *
            """;

    private static final String SAVE_PROGRESS = """
            UPDATE hb_curation_run SET status = $3, phase = $4, candidates = $5, rows_loaded = $6, rows_removed = $7,
                partitions_created = $8, days_total = $9, days_done = $10, watermark_from = $11, watermark_to = $12,
                error = $13, finished_at = CASE WHEN $3 = 'running' THEN NULL ELSE clock_timestamp() END
            WHERE tenant = $1 AND id = $2
            RETURNING *
            """;

    private static final String RUNS = "SELECT * FROM hb_curation_run WHERE tenant = $1 ORDER BY id DESC LIMIT $2";
    private static final String RUN = "SELECT * FROM hb_curation_run WHERE tenant = $1 AND id = $2";

    private static final String TRY_TENANT_LOCK =
            "SELECT pg_try_advisory_lock(hashtextextended('hb-curation/' || $1::text, 0))";
    // The connection holds a run's two locks and nothing else.
    private static final String UNLOCK = "SELECT pg_advisory_unlock_all()";

    private final TenantSql tenantSql;

    CurationRepository(TenantSql tenantSql) {
        this.tenantSql = tenantSql;
    }

    /**
     * Takes the tenant's curation lock (one run of a tenant at a time, across replicas), then the load lock (one run of
     * any tenant loading at a time: the runs would compete for the same cores, and a run creating a partition would
     * otherwise wait for another's load transaction with every reader of the curated table queued behind it). Holds
     * neither unless it gets both.
     */
    public Uni<Lock> tryLock(SqlClient conn, String tenant) {
        return conn.preparedQuery(TRY_TENANT_LOCK).execute(Tuple.of(tenant))
                .chain(rows -> !rows.iterator().next().getBoolean(0) ? Uni.createFrom().item(Lock.TENANT_BUSY)
                        : AdvisoryLocks.tryLock(conn, LOAD_LOCK_KEY).chain(locked -> locked
                                ? Uni.createFrom().item(Lock.TAKEN)
                                : unlock(conn).replaceWith(Lock.LOAD_BUSY)));
    }

    public Uni<Void> unlock(SqlClient conn) {
        return conn.query(UNLOCK).execute().replaceWithVoid();
    }

    /** The tenants the scheduled job curates (system scope): those with rows staged since their last run. */
    public Uni<List<String>> tenantsWithWork() {
        return tenantSql.systemQuery(TENANTS_WITH_WORK, Tuple.tuple()).map(rows -> {
            List<String> tenants = new ArrayList<>(rows.size());
            rows.forEach(r -> tenants.add(r.getString(0)));
            return tenants;
        });
    }

    /** Memory for the sorts and hashes of the transaction; no JIT (compiling costs more than it saves here). */
    public Uni<Void> setWorkMem(SqlClient tx, String workMem) {
        return tx.preparedQuery("SELECT set_config('work_mem', $1, true), set_config('jit', 'off', true)")
                .execute(Tuple.of(workMem)).replaceWithVoid();
    }

    public Uni<Watermarks> watermarks(String tenant) {
        return tenantSql.query(tenant, WATERMARKS, Tuple.of(tenant)).map(rows -> {
            if (rows.size() == 0) {
                return new Watermarks(null, null, null, null);
            }
            Row r = rows.iterator().next();
            return new Watermarks(r.getOffsetDateTime(0), r.getOffsetDateTime(1), r.getOffsetDateTime(2),
                    r.getOffsetDateTime(3));
        });
    }

    /** Devices (directly or through their cohort) and versions staged as new or changed in {@code (after, until]}. */
    public Uni<Long[][]> changedDimensions(String tenant, OffsetDateTime after, OffsetDateTime until) {
        return tenantSql.query(tenant, CHANGED_DIMENSIONS, Tuple.of(tenant, after, until)).map(rows -> {
            Row r = rows.iterator().next();
            return new Long[][] {r.getArrayOfLongs(0), r.getArrayOfLongs(1)};
        });
    }

    /**
     * See {@link #STAGED_HORIZON}; read after the run's snapshot was taken and before its candidates are, on the
     * connection that holds the run's locks (outside any transaction). It reads no tenant's rows.
     */
    public Uni<OffsetDateTime> stagedHorizon(SqlClient conn, OffsetDateTime snapshot, Duration fallbackOverlap) {
        return conn.preparedQuery(STAGED_HORIZON)
                .execute(Tuple.of(snapshot, fallbackOverlap.toMillis() / 1000.0))
                .map(rows -> rows.iterator().next().getOffsetDateTime(0));
    }

    public Uni<List<DayCount>> candidateDays(Selection selection) {
        return tenantSql.query(selection.tenant(), CANDIDATE_DAYS, selection.tuple())
                .map(CurationRepository::dayCounts);
    }

    /** Partitions are tables, not rows: created outside the load transaction, on the connection of the run's locks. */
    public Uni<Integer> ensurePartitions(SqlClient conn, List<LocalDate> days) {
        return conn.preparedQuery("SELECT hb_ensure_day_partitions($1::date[])")
                .execute(Tuple.of((Object) days.toArray(LocalDate[]::new)))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    public Uni<List<DayCount>> removeStale(SqlClient tx, String tenant, OffsetDateTime snapshot) {
        return tx.preparedQuery(COUNT_STALE).execute(Tuple.of(tenant))
                .chain(rows -> rows.iterator().next().getLong(0) == 0
                        ? Uni.createFrom().item(List.<DayCount>of())
                        : tx.preparedQuery(REMOVE_STALE).execute(Tuple.of(tenant, snapshot))
                                .map(CurationRepository::dayCounts));
    }

    /** Inserts the candidates that are new, then upserts the others; the rows loaded per (project, day). */
    public Uni<List<DayCount>> load(SqlClient tx, Selection selection) {
        return tx.preparedQuery(INSERT_NEW).execute(selection.loadTuple()).map(CurationRepository::dayCounts)
                .chain(inserted -> tx.preparedQuery(LOAD).execute(selection.loadTuple()).map(rows -> {
                    List<DayCount> all = new ArrayList<>(inserted);
                    all.addAll(dayCounts(rows));
                    return all;
                }));
    }

    public Uni<Void> refreshDay(SqlClient tx, String tenant, long projectId, LocalDate day) {
        OffsetDateTime start = day.atStartOfDay().atOffset(ZoneOffset.UTC);
        return tx.preparedQuery(REFRESH_DAY).execute(Tuple.of(tenant, projectId, day, start, start.plusDays(1)))
                .replaceWithVoid();
    }

    public Uni<Optional<OffsetDateTime>> maxCreated(SqlClient tx, String tenant, OffsetDateTime snapshot) {
        return tx.preparedQuery(MAX_CREATED).execute(Tuple.of(tenant, snapshot))
                .map(rows -> Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0)));
    }

    public Uni<Void> saveWatermarks(SqlClient tx, String tenant, Watermarks watermarks) {
        return tx.preparedQuery(SAVE_WATERMARKS)
                .execute(Tuple.of(tenant, watermarks.created(), watermarks.loaded(), watermarks.dimensions(),
                        watermarks.snapshot()))
                .replaceWithVoid();
    }

    /** Opens a run in the tenant's load log (its own transaction, so that readers see it at once). */
    public Uni<CurationRun> startRun(String tenant, String trigger) {
        return tenantSql.query(tenant, START_RUN, Tuple.of(tenant, trigger)).map(rows -> run(rows.iterator().next()));
    }

    /** Writes a run's progress or outcome (its own transaction, visible while the load transaction is open). */
    public Uni<CurationRun> saveProgress(String tenant, CurationRun run) {
        Tuple t = Tuple.tuple().addString(tenant).addLong(run.id()).addString(run.status()).addString(run.phase())
                .addLong(run.candidates()).addLong(run.rowsLoaded()).addLong(run.rowsRemoved())
                .addInteger(run.partitionsCreated()).addInteger(run.daysTotal()).addInteger(run.daysDone())
                .addValue(utc(run.watermarkFrom())).addValue(utc(run.watermarkTo())).addString(run.error());
        return tenantSql.query(tenant, SAVE_PROGRESS, t).map(rows -> run(rows.iterator().next()));
    }

    public Uni<List<CurationRun>> runs(String tenant, int limit) {
        return tenantSql.query(tenant, RUNS, Tuple.of(tenant, limit)).map(rows -> {
            List<CurationRun> runs = new ArrayList<>(rows.size());
            rows.forEach(r -> runs.add(run(r)));
            return runs;
        });
    }

    public Uni<Optional<CurationRun>> run(String tenant, long id) {
        return tenantSql.query(tenant, RUN, Tuple.of(tenant, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(run(rows.iterator().next())));
    }

    private static CurationRun run(Row r) {
        return new CurationRun(r.getLong("id"), r.getString("trigger"), r.getString("status"), r.getString("phase"),
                instant(r.getOffsetDateTime("started_at")), instant(r.getOffsetDateTime("finished_at")),
                r.getLong("candidates"), r.getLong("rows_loaded"), r.getLong("rows_removed"),
                r.getInteger("partitions_created"), r.getInteger("days_total"), r.getInteger("days_done"),
                instant(r.getOffsetDateTime("watermark_from")), instant(r.getOffsetDateTime("watermark_to")),
                r.getString("error"));
    }

    private static List<DayCount> dayCounts(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<DayCount> days = new ArrayList<>(rows.size());
        rows.forEach(r -> days.add(new DayCount(r.getLong("project_id"), r.getLocalDate("day"), r.getLong("rows"))));
        return days;
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
