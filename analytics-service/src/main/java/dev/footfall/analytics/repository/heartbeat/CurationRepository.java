package dev.footfall.analytics.repository.heartbeat;

import dev.footfall.common.db.AdvisoryLocks;
import dev.footfall.analytics.model.heartbeat.CurationRun;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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

/** Every statement of heartbeat curation: watermarks, partitions, the set-based load, pre-aggregates, the load log. */
@ApplicationScoped
public class CurationRepository {

    /** The advisory lock that makes one curation run at a time across all replicas ("hb-curat" in ASCII). */
    static final long LOCK_KEY = 0x68622d6375726174L;

    /** Watermarks of the previous run and its snapshot; null before the first. */
    public record Watermarks(OffsetDateTime created, OffsetDateTime loaded, OffsetDateTime dimensions,
            OffsetDateTime snapshot) {
    }

    /**
     * The staged heartbeats a run looks at: the created watermark already moved back by the overlap; rows staged once,
     * after {@code previousSnapshot} (the latest snapshot of the earlier runs), have no curated copy yet.
     */
    public record Selection(OffsetDateTime createdAfter, OffsetDateTime loadedAfter, OffsetDateTime snapshot,
            Long[] changedDevices, Long[] changedVersions, OffsetDateTime previousSnapshot) {

        Tuple tuple() {
            return Tuple.of(createdAfter, loadedAfter, snapshot, changedDevices, changedVersions);
        }

        Tuple loadTuple() {
            return tuple().addValue(previousSnapshot);
        }
    }

    /** Rows of one (project, UTC day). */
    public record DayCount(long projectId, LocalDate day, long rows) {
    }

    // The staged heartbeats to (re)curate: created or staged after the watermarks (less the overlap), or of a device,
    // cohort or version that changed since. Rows staged after the run's snapshot wait for the next run.
    private static final String CANDIDATE_FILTER = """
            WHERE e.type = 'heartbeat' AND e.loaded_at <= $3
              AND (e.created_date > coalesce($1::timestamptz, '-infinity') OR e.loaded_at > coalesce($2::timestamptz, '-infinity')
                   OR e.device_id = ANY($4::bigint[]) OR e.software_version_id = ANY($5::bigint[]))
            """;

    private static final String CANDIDATE_DAYS = """
            SELECT e.project_id, (e.captured_date AT TIME ZONE 'UTC')::date AS day, count(*) AS rows
            FROM hb_stg_event e
            """ + CANDIDATE_FILTER + " GROUP BY 1, 2 ORDER BY 1, 2";

    private static final String CURATED_ROWS = """
                INSERT INTO hb_heartbeat AS h (event_id, project_id, device_id, device_serial, cohort_id, cohort_name,
                                               software_version_id, software_version, captured_date, created_date,
                                               metric_values)
                SELECT e.id, e.project_id, e.device_id, d.device_serial, d.cohort_id, c.name, e.software_version_id,
                       v.version, e.captured_date, e.created_date, coalesce(e.metric_values, '{}')
                FROM hb_stg_event e
                LEFT JOIN hb_stg_device d ON d.id = e.device_id
                LEFT JOIN hb_stg_cohort c ON c.id = d.cohort_id
                LEFT JOIN hb_stg_software_version v ON v.id = e.software_version_id
            """ + CANDIDATE_FILTER;

    // Candidates staged once (never changed since) after every earlier run's snapshot: no curated copy can exist (a run
    // reads only rows whose loaded_at is up to its snapshot, and $6 is the latest of the snapshots), so a plain insert,
    // about twice as fast as the upsert below for the bulk of a run. The condition holds whatever the clock does.
    private static final String NEW_ROW = """
            e.first_loaded_at > coalesce($6::timestamptz, '-infinity') AND e.loaded_at = e.first_loaded_at""";

    private static final String INSERT_NEW = "WITH up AS (" + CURATED_ROWS + "AND " + NEW_ROW + """

                RETURNING h.project_id, (h.captured_date AT TIME ZONE 'UTC')::date AS day
            )
            SELECT project_id, day, count(*) AS rows FROM up GROUP BY 1, 2
            """;

    // The other candidates: upsert by event id; rows whose curated content would not change are skipped, so they are
    // not counted as loaded and their day's pre-aggregates are not rebuilt.
    private static final String LOAD = "WITH up AS (" + CURATED_ROWS + "AND NOT coalesce(" + NEW_ROW + ", false)" + """

                ON CONFLICT (event_id, captured_date) DO UPDATE SET
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

    private static final String COUNT_STALE = "SELECT count(*) FROM hb_stg_event WHERE stale_curated_at IS NOT NULL";

    private static final String REMOVE_STALE = """
            WITH stale AS (
                SELECT id, stale_curated_at AS at FROM hb_stg_event
                WHERE stale_curated_at IS NOT NULL AND loaded_at <= $1 FOR UPDATE
            ), cleared AS (
                UPDATE hb_stg_event e SET stale_curated_at = NULL FROM stale s WHERE e.id = s.id
            ), gone AS (
                DELETE FROM hb_heartbeat h USING stale s WHERE h.event_id = s.id AND h.captured_date = s.at
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
                         WHERE loaded_at > coalesce($1::timestamptz, '-infinity') AND loaded_at <= $2
                         UNION
                         SELECT d.id FROM hb_stg_device d JOIN hb_stg_cohort c ON c.id = d.cohort_id
                         WHERE c.loaded_at > coalesce($1::timestamptz, '-infinity') AND c.loaded_at <= $2) AS devices,
                   ARRAY(SELECT id FROM hb_stg_software_version
                         WHERE loaded_at > coalesce($1::timestamptz, '-infinity') AND loaded_at <= $2) AS versions
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
                DELETE FROM hb_metric_day WHERE project_id = $1 AND day = $2
            ), del_cell AS (
                DELETE FROM hb_cell_day WHERE project_id = $1 AND day = $2
            ), width AS (
                SELECT greatest(max(ordinal), 1) AS metrics FROM hb_metric_catalog WHERE project_id = $1
            ), g AS MATERIALIZED (
                SELECT h.software_version, h.cohort_id, h.cohort_name, count(*) AS heartbeats,
                       array_agg(h.metric_values
                                 || array_fill(NULL::float8, ARRAY[greatest(w.metrics - cardinality(h.metric_values), 0)])) AS m
                FROM hb_heartbeat h CROSS JOIN width w
                WHERE h.project_id = $1 AND h.captured_date >= $3 AND h.captured_date < $4
                GROUP BY h.software_version, h.cohort_id, h.cohort_name
            ), cells AS (
                INSERT INTO hb_cell_day (project_id, day, software_version, cohort_id, cohort_name, heartbeats)
                SELECT $1, $2, software_version, cohort_id, cohort_name, heartbeats FROM g
            )
            INSERT INTO hb_metric_day (project_id, day, metric, software_version, cohort_id, cohort_name, n, vals, cnts,
                                       bkeys, bends, bcnts)
            SELECT $1, $2, k.metric, g.software_version, g.cohort_id, g.cohort_name, s.n, s.vals, s.cnts,
                   b.bkeys, b.bends, b.bcnts
            FROM g
            JOIN hb_metric_catalog k ON k.project_id = $1
            CROSS JOIN LATERAL (
                SELECT sum(c) AS n, array_agg(v ORDER BY v) AS vals, array_agg(c ORDER BY v) AS cnts
                FROM (SELECT v, count(*)::int AS c FROM unnest(g.m[:][k.ordinal:k.ordinal]) AS v
                      WHERE v IS NOT NULL GROUP BY v) z
                HAVING count(*) > 0
            ) s
            CROSS JOIN LATERAL hb_value_histogram(s.vals, s.cnts) AS b
            """;

    private static final String MAX_CREATED = """
            SELECT max(created_date) FROM hb_stg_event WHERE type = 'heartbeat' AND loaded_at <= $1
            """;

    private static final String SAVE_WATERMARKS = """
            UPDATE hb_curation_state
            SET created_watermark = $1, loaded_watermark = $2, dimension_watermark = $3, snapshot_watermark = $4,
                updated_at = now()
            WHERE id = 1
            """;

    private static final String WATERMARKS = """
            SELECT created_watermark, loaded_watermark, dimension_watermark, snapshot_watermark
            FROM hb_curation_state WHERE id = 1
            """;

    private static final String START_RUN = """
            INSERT INTO hb_curation_run (trigger, status, phase) VALUES ($1, 'running', 'planning')
            RETURNING *
            """;

    private static final String SAVE_PROGRESS = """
            UPDATE hb_curation_run SET status = $2, phase = $3, candidates = $4, rows_loaded = $5, rows_removed = $6,
                partitions_created = $7, days_total = $8, days_done = $9, watermark_from = $10, watermark_to = $11,
                error = $12, finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE clock_timestamp() END
            WHERE id = $1
            RETURNING *
            """;

    private static final String RUNS = "SELECT * FROM hb_curation_run ORDER BY id DESC LIMIT $1";
    private static final String RUN = "SELECT * FROM hb_curation_run WHERE id = $1";

    private final Pool pool;

    CurationRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> tryLock(SqlClient conn) {
        return AdvisoryLocks.tryLock(conn, LOCK_KEY);
    }

    public Uni<Void> unlock(SqlClient conn) {
        return AdvisoryLocks.unlock(conn, LOCK_KEY);
    }

    /** Memory for the sorts and hashes of the transaction; no JIT (compiling costs more than it saves here). */
    public Uni<Void> setWorkMem(SqlClient tx, String workMem) {
        return tx.preparedQuery("SELECT set_config('work_mem', $1, true), set_config('jit', 'off', true)")
                .execute(Tuple.of(workMem)).replaceWithVoid();
    }

    public Uni<Watermarks> watermarks(SqlClient conn) {
        return conn.query(WATERMARKS).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Watermarks(r.getOffsetDateTime(0), r.getOffsetDateTime(1), r.getOffsetDateTime(2),
                    r.getOffsetDateTime(3));
        });
    }

    /** Devices (directly or through their cohort) and versions staged as new or changed in {@code (after, until]}. */
    public Uni<Long[][]> changedDimensions(SqlClient conn, OffsetDateTime after, OffsetDateTime until) {
        return conn.preparedQuery(CHANGED_DIMENSIONS).execute(Tuple.of(after, until)).map(rows -> {
            Row r = rows.iterator().next();
            return new Long[][] {r.getArrayOfLongs(0), r.getArrayOfLongs(1)};
        });
    }

    /** See {@link #STAGED_HORIZON}; read after the run's snapshot was taken and before its candidates are. */
    public Uni<OffsetDateTime> stagedHorizon(SqlClient conn, OffsetDateTime snapshot, Duration fallbackOverlap) {
        return conn.preparedQuery(STAGED_HORIZON)
                .execute(Tuple.of(snapshot, fallbackOverlap.toMillis() / 1000.0))
                .map(rows -> rows.iterator().next().getOffsetDateTime(0));
    }

    public Uni<List<DayCount>> candidateDays(SqlClient conn, Selection selection) {
        return conn.preparedQuery(CANDIDATE_DAYS).execute(selection.tuple()).map(CurationRepository::dayCounts);
    }

    public Uni<Integer> ensurePartitions(SqlClient conn, List<LocalDate> days) {
        return conn.preparedQuery("SELECT hb_ensure_day_partitions($1::date[])")
                .execute(Tuple.of((Object) days.toArray(LocalDate[]::new)))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    public Uni<List<DayCount>> removeStale(SqlClient tx, OffsetDateTime snapshot) {
        return tx.query(COUNT_STALE).execute().chain(rows -> rows.iterator().next().getLong(0) == 0
                ? Uni.createFrom().item(List.<DayCount>of())
                : tx.preparedQuery(REMOVE_STALE).execute(Tuple.of(snapshot)).map(CurationRepository::dayCounts));
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

    public Uni<Void> refreshDay(SqlClient tx, long projectId, LocalDate day) {
        OffsetDateTime start = day.atStartOfDay().atOffset(ZoneOffset.UTC);
        return tx.preparedQuery(REFRESH_DAY).execute(Tuple.of(projectId, day, start, start.plusDays(1))).replaceWithVoid();
    }

    public Uni<Optional<OffsetDateTime>> maxCreated(SqlClient conn, OffsetDateTime snapshot) {
        return conn.preparedQuery(MAX_CREATED).execute(Tuple.of(snapshot))
                .map(rows -> Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0)));
    }

    public Uni<Void> saveWatermarks(SqlClient tx, Watermarks watermarks) {
        return tx.preparedQuery(SAVE_WATERMARKS)
                .execute(Tuple.of(watermarks.created(), watermarks.loaded(), watermarks.dimensions(),
                        watermarks.snapshot()))
                .replaceWithVoid();
    }

    /** Opens a run in the load log (its own transaction, so that readers see it at once). */
    public Uni<CurationRun> startRun(String trigger) {
        return pool.preparedQuery(START_RUN).execute(Tuple.of(trigger)).map(rows -> run(rows.iterator().next()));
    }

    /** Writes a run's progress or outcome (its own transaction, visible while the load transaction is open). */
    public Uni<CurationRun> saveProgress(CurationRun run) {
        Tuple t = Tuple.tuple().addLong(run.id()).addString(run.status()).addString(run.phase())
                .addLong(run.candidates()).addLong(run.rowsLoaded()).addLong(run.rowsRemoved())
                .addInteger(run.partitionsCreated()).addInteger(run.daysTotal()).addInteger(run.daysDone())
                .addValue(utc(run.watermarkFrom())).addValue(utc(run.watermarkTo())).addString(run.error());
        return pool.preparedQuery(SAVE_PROGRESS).execute(t).map(rows -> run(rows.iterator().next()));
    }

    public Uni<List<CurationRun>> runs(int limit) {
        return pool.preparedQuery(RUNS).execute(Tuple.of(limit)).map(rows -> {
            List<CurationRun> runs = new ArrayList<>(rows.size());
            rows.forEach(r -> runs.add(run(r)));
            return runs;
        });
    }

    public Uni<Optional<CurationRun>> run(long id) {
        return pool.preparedQuery(RUN).execute(Tuple.of(id))
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
