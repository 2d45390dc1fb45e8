package dev.footfall.analytics.repository.warehouse;

import dev.footfall.common.db.AdvisoryLocks;
import dev.footfall.analytics.model.warehouse.WarehouseRun;
import dev.footfall.analytics.repository.warehouse.WarehouseSql.Step;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Every statement of a warehouse run: the lock, bronze copies, silver and gold steps, watermarks, the run log. */
@ApplicationScoped
public class WarehouseRunRepository {

    /** One warehouse writer at a time across replicas: runs, erasure and retention ("wh-run" in ASCII). */
    public static final long LOCK_KEY = 0x77682d72756eL;

    /** Rows changed and deleted by bronze in one table. */
    public record BronzeCount(String table, long changed, long deleted) {
    }

    private static final String START_RUN = """
            INSERT INTO wh_run (trigger, status, phase) VALUES ($1, 'running', 'planning') RETURNING *
            """;
    private static final String SAVE_PROGRESS = """
            UPDATE wh_run SET status = $2, phase = $3, layers = $4, error = $5,
                finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE clock_timestamp() END
            WHERE id = $1 RETURNING *
            """;

    private final Pool pool;

    WarehouseRunRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> tryLock(SqlClient conn) {
        return AdvisoryLocks.tryLock(conn, LOCK_KEY);
    }

    public Uni<Void> unlock(SqlClient conn) {
        return AdvisoryLocks.unlock(conn, LOCK_KEY);
    }

    /**
     * Settings of a run's transaction: UTC (minute truncation and months are UTC), memory for its sorts and index
     * builds, and no JIT:
     * the per-event gold statement is costed above jit_above_cost and spent 2 s compiling (EXPLAIN ANALYZE) to run
     * 3 s; every statement here is I/O and index probes, where compiled expressions gain nothing.
     */
    public Uni<Void> prepare(SqlClient tx, String workMem) {
        return tx.query("SET LOCAL TimeZone = 'UTC'").execute()
                .chain(() -> tx.query("SET LOCAL jit = off").execute())
                .chain(() -> tx.preparedQuery("SELECT set_config('work_mem', $1, true)").execute(Tuple.of(workMem)))
                .chain(() -> tx.preparedQuery("SELECT set_config('maintenance_work_mem', $1, true)")
                        .execute(Tuple.of(workMem)))
                .chain(() -> Multi.createFrom().iterable(WarehouseSql.CLEAR_WORK)
                        .onItem().transformToUniAndConcatenate(sql -> tx.query(sql).execute()).collect().last())
                .replaceWithVoid();
    }

    // The indexes and key constraints of the given tables as the catalog has them: how to drop and how to build each
    // (constraints first, so that their indexes are not dropped twice). Table names are constants of this package.
    private static final String INDEX_DEFINITIONS = """
            SELECT k.conname AS name, format('ALTER TABLE %I DROP CONSTRAINT %I', c.relname, k.conname) AS drop_sql,
                   format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.relname, k.conname, pg_get_constraintdef(k.oid)) AS build_sql
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
            WHERE c.relname = ANY ($1) AND c.relnamespace = current_schema()::regnamespace AND k.contype IN ('p', 'u')
            UNION ALL
            SELECT i.relname, format('DROP INDEX %I', i.relname), pg_get_indexdef(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
            WHERE c.relname = ANY ($1) AND c.relnamespace = current_schema()::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.conindid = x.indexrelid)
            """;

    /** The large tables a first load fills without their indexes (built after, by one sort each). */
    public static final List<String> FIRST_LOAD_UNINDEXED = List.of("wh_bronze_rsvps", "wh_bronze_memberships",
            "wh_silver_rsvp", "wh_silver_membership");

    /**
     * Drops the indexes and key constraints of the tables (inside the run's transaction, which already holds the
     * warehouse lock; the tables stay exclusively locked until the commit) and returns the steps that build them
     * again, as the catalog defined them: an index filled row by row in key order costs a B-tree descent and, for
     * random keys, a page out of the cache per row; built after the load it is one sort.
     */
    public Uni<List<Step>> dropIndexes(SqlClient tx, List<String> tables) {
        return tx.preparedQuery(INDEX_DEFINITIONS).execute(Tuple.of(tables.toArray(String[]::new))).chain(rows -> {
            List<Step> build = new ArrayList<>();
            List<String> drop = new ArrayList<>();
            for (Row r : rows) {
                drop.add(r.getString("drop_sql"));
                build.add(new Step(r.getString("name") + " (built)", r.getString("build_sql")));
            }
            return Multi.createFrom().iterable(drop)
                    .onItem().transformToUniAndConcatenate(sql -> tx.query(sql).execute())
                    .collect().last().replaceWith(build);
        });
    }

    /** True when every layer is empty and no watermark has moved: the run may take the first-load statements. */
    public Uni<Boolean> isFirstLoad(SqlClient tx) {
        return tx.query(WarehouseFirstLoadSql.IS_FIRST_LOAD).execute().map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * Bronze for one table: deletions, then changed rows, each after its watermark less the overlap; moves both. On a
     * first load the rows are copied by a plain INSERT and no change list is written (silver reads bronze whole).
     */
    public Uni<BronzeCount> bronze(SqlClient tx, String table, long runId, java.time.Duration overlap, boolean firstLoad) {
        BronzeTable t = BronzeTable.valueOf(table.toUpperCase());
        return tx.preparedQuery("SELECT changed_upto, deleted_upto FROM wh_watermark WHERE table_name = $1")
                .execute(Tuple.of(t.name)).chain(marks -> {
                    Row m = marks.iterator().next();
                    OffsetDateTime changedFrom = minus(m.getOffsetDateTime(0), overlap);
                    OffsetDateTime deletedFrom = minus(m.getOffsetDateTime(1), overlap);
                    return tx.preparedQuery(t.delete).execute(Tuple.of(deletedFrom)).chain(del -> {
                        Row d = del.iterator().next();
                        long deleted = d.getLong(0);
                        OffsetDateTime deletedUpto = d.getOffsetDateTime(1);
                        // first load: the watermark is read before the copy (each statement has its own snapshot),
                        // so a row committed in between is copied again by the next run rather than missed
                        Uni<Copied> copied = firstLoad
                                ? tx.query(t.changedUpto).execute().chain(upto -> tx.preparedQuery(t.firstLoad)
                                        .execute(Tuple.of(runId)).map(ins -> new Copied(ins.rowCount(),
                                                upto.iterator().next().getOffsetDateTime(0))))
                                : tx.preparedQuery(t.upsert).execute(Tuple.of(runId, changedFrom)).map(up -> {
                                    Row u = up.iterator().next();
                                    return new Copied(u.getLong(0), u.getOffsetDateTime(1));
                                });
                        return copied.chain(c -> tx.preparedQuery("""
                                        UPDATE wh_watermark SET changed_upto = greatest(changed_upto, $2),
                                                                deleted_upto = greatest(deleted_upto, $3)
                                        WHERE table_name = $1
                                        """).execute(Tuple.of(t.name, c.upto(), deletedUpto))
                                .map(x -> new BronzeCount(t.name, c.changed(), deleted)));
                    });
                });
    }

    /** Rows a bronze copy wrote, and the newest change time of the source table (the new watermark). */
    private record Copied(long changed, OffsetDateTime upto) {
    }

    public static List<String> bronzeTables() {
        return java.util.Arrays.stream(BronzeTable.values()).map(t -> t.name).toList();
    }

    /** Runs steps in order, reporting each step's row count as it finishes. */
    public Uni<Void> steps(SqlClient tx, List<Step> steps, Tuple args, BiConsumer<String, Long> done,
            java.util.function.Supplier<Uni<Void>> afterEach) {
        return steps(tx, steps, args, done, (step, seconds) -> { }, afterEach);
    }

    /** Runs steps in order, reporting each step's row count and seconds as it finishes. */
    public Uni<Void> steps(SqlClient tx, List<Step> steps, Tuple args, BiConsumer<String, Long> done,
            BiConsumer<String, Double> timed, java.util.function.Supplier<Uni<Void>> afterEach) {
        return Multi.createFrom().iterable(steps)
                .onItem().transformToUniAndConcatenate(step -> {
                    long started = System.nanoTime();
                    return (step.sql().contains("$1")
                            ? tx.preparedQuery(step.sql()).execute(args) : tx.query(step.sql()).execute())
                            .chain(rows -> {
                                done.accept(step.table(), (long) rows.rowCount());
                                timed.accept(step.table(), seconds(started));
                                return afterEach.get();
                            });
                })
                .collect().last().replaceWithVoid();
    }

    /**
     * Refreshes the planner statistics of the tables a step changed by much (more than a tenth of what the statistics
     * knew, or any table never analysed), and of the work tables refilled by every run however many rows they got,
     * inside the run's transaction: autovacuum only sees the rows after the commit, and the next statements would
     * otherwise plan a million-row join with the row counts of an empty table, or an empty change with those of the
     * last full run (a scan of every RSVP to recompute no event).
     * {@code changed} maps table names (constants of this package) to the rows written.
     */
    public Uni<List<String>> analyzeChanged(SqlClient tx, Map<String, Long> changed) {
        List<String> names = changed.keySet().stream().filter(t -> t.matches("wh_[a-z_]+")).distinct().toList();
        if (names.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery("""
                        SELECT c.relname, c.reltuples FROM pg_class c
                        WHERE c.relname = ANY ($1) AND c.relnamespace = current_schema()::regnamespace
                        """)
                .execute(Tuple.of(names.toArray(String[]::new)))
                .chain(rows -> {
                    List<String> stale = new ArrayList<>();
                    for (Row r : rows) {
                        double known = r.getDouble("reltuples");
                        long written = changed.getOrDefault(r.getString("relname"), 0L);
                        boolean work = WarehouseSql.WORK_TABLES.contains(r.getString("relname"));
                        if (work || written >= ANALYZE_MIN_ROWS && (known < 0 || written > known / 10)) {
                            stale.add(r.getString("relname"));
                        }
                    }
                    return Multi.createFrom().iterable(stale)
                            .onItem().transformToUniAndConcatenate(t -> tx.query("ANALYZE " + t).execute())
                            .collect().last().replaceWith(stale);
                });
    }

    /** Fewer rows than this never make a plan wrong enough to pay for an ANALYZE. */
    private static final long ANALYZE_MIN_ROWS = 5_000;

    private static double seconds(long started) {
        return Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
    }

    public static List<Step> keymapSteps() {
        return WarehouseSql.KEYMAPS;
    }

    public static List<Step> silverSteps() {
        return WarehouseSql.SILVER;
    }

    public static List<Step> silverRsvpSteps() {
        return WarehouseSql.SILVER_RSVP;
    }

    public static List<Step> dirtySteps() {
        return WarehouseSql.DIRTY;
    }

    public static List<Step> goldSteps() {
        return WarehouseSql.GOLD;
    }

    public Uni<Void> clearWork(SqlClient tx) {
        return Multi.createFrom().iterable(WarehouseSql.CLEAR_WORK)
                .onItem().transformToUniAndConcatenate(sql -> tx.query(sql).execute()).collect().last().replaceWithVoid();
    }

    /** Opens a run in the log (its own transaction, so that readers see it at once). */
    public Uni<WarehouseRun> startRun(String trigger) {
        return pool.preparedQuery(START_RUN).execute(Tuple.of(trigger)).map(rows -> toRun(rows.iterator().next()));
    }

    public Uni<WarehouseRun> saveProgress(long id, String status, String phase, Map<String, Object> layers, String error) {
        return pool.preparedQuery(SAVE_PROGRESS)
                .execute(Tuple.of(id, status, phase, new JsonObject(layers), error))
                .map(rows -> toRun(rows.iterator().next()));
    }

    public Uni<Optional<WarehouseRun>> run(long id) {
        return pool.preparedQuery("SELECT * FROM wh_run WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRun(rows.iterator().next())));
    }

    public Uni<List<WarehouseRun>> runs(int limit) {
        return pool.preparedQuery("SELECT * FROM wh_run ORDER BY id DESC LIMIT $1").execute(Tuple.of(limit))
                .map(rows -> {
                    List<WarehouseRun> out = new ArrayList<>();
                    rows.forEach(r -> out.add(toRun(r)));
                    return out;
                });
    }

    /** Runs left 'running' by a replica that died: marked failed (called while holding the lock). */
    public Uni<Void> failAbandoned(SqlClient conn) {
        return conn.query("""
                UPDATE wh_run SET status = 'failed', error = 'abandoned (the replica running it stopped)',
                    finished_at = clock_timestamp()
                WHERE status = 'running'
                """).execute().replaceWithVoid();
    }

    private static WarehouseRun toRun(Row r) {
        JsonObject layers = (JsonObject) r.getValue("layers");
        return new WarehouseRun(r.getLong("id"), r.getString("trigger"), r.getString("status"), r.getString("phase"),
                instant(r.getOffsetDateTime("started_at")), instant(r.getOffsetDateTime("finished_at")),
                layers == null ? Map.of() : layers.getMap(), r.getString("error"));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime minus(OffsetDateTime t, java.time.Duration d) {
        return t == null ? null : t.minus(d);
    }
}
