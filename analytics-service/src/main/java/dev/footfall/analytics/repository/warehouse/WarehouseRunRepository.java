package dev.footfall.analytics.repository.warehouse;

import dev.footfall.analytics.model.warehouse.WarehouseRun;
import dev.footfall.analytics.repository.warehouse.WarehouseSql.Step;
import dev.footfall.common.db.TenantSql;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
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

/**
 * Every statement of a warehouse run: the tenant's lock, bronze copies, silver and gold steps, watermarks, the run
 * log. Each names its tenant; a run's statements run in the tenant's transaction (TenantSql), the run log's from
 * connections of their own as the tenant.
 */
@ApplicationScoped
public class WarehouseRunRepository {

    /**
     * One warehouse writer per tenant at a time across replicas: runs, erasure, retention and generation of a tenant
     * take the transaction-level advisory lock (this key, hashtext(tenant)); other tenants' hold other locks. Two
     * tenants whose names hash alike share a lock: one answers 409 while the other works, never worse.
     */
    public static final int LOCK_KEY = 0x77682d72; // "wh-r" in ASCII

    /** Rows changed and deleted by bronze in one table. */
    public record BronzeCount(String table, long changed, long deleted) {
    }

    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1, hashtext($2))";

    private static final String START_RUN = """
            INSERT INTO wh_run (tenant, trigger, status, phase) VALUES ($1, $2, 'running', 'planning') RETURNING *
            """;
    private static final String SAVE_PROGRESS = """
            UPDATE wh_run SET status = $3, phase = $4, layers = $5, error = $6,
                finished_at = CASE WHEN $3 = 'running' THEN NULL ELSE clock_timestamp() END
            WHERE tenant = $1 AND id = $2 RETURNING *
            """;
    private static final String WATERMARK = """
            SELECT changed_upto, deleted_upto FROM wh_watermark WHERE tenant = $1 AND table_name = $2
            """;
    // A tenant's first run writes its watermark rows; greatest() ignores the NULL of a table that had nothing yet.
    private static final String MOVE_WATERMARK = """
            INSERT INTO wh_watermark AS w (tenant, table_name, changed_upto, deleted_upto) VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant, table_name) DO UPDATE
            SET changed_upto = greatest(w.changed_upto, EXCLUDED.changed_upto),
                deleted_upto = greatest(w.deleted_upto, EXCLUDED.deleted_upto)
            """;
    // Tenants whose warehouse holds anything: each has the watermark rows its runs wrote (generation removes them
    // with the layers). A handful of rows per tenant; read by the scheduled retention in the system scope.
    private static final String TENANTS = "SELECT DISTINCT tenant FROM wh_watermark ORDER BY tenant";

    private final TenantSql tenantSql;

    WarehouseRunRepository(TenantSql tenantSql) {
        this.tenantSql = tenantSql;
    }

    /** Takes the tenant's warehouse lock for the transaction {@code tx} if it is free; false when it is taken. */
    public Uni<Boolean> tryLock(SqlClient tx, String tenant) {
        return tx.preparedQuery(TRY_LOCK).execute(Tuple.of(LOCK_KEY, tenant))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * Settings of a run's transaction, and its work tables: UTC (minute truncation and months are UTC), memory for its
     * sorts and index builds, and no JIT: the per-event gold statement is costed above jit_above_cost and spent 2 s
     * compiling (EXPLAIN ANALYZE) to run 3 s; every statement here is I/O and index probes, where compiled expressions
     * gain nothing.
     */
    public Uni<Void> prepare(SqlClient tx, String workMem) {
        return tx.query("SET LOCAL TimeZone = 'UTC'").execute()
                .chain(() -> tx.query("SET LOCAL jit = off").execute())
                .chain(() -> tx.preparedQuery("SELECT set_config('work_mem', $1, true)").execute(Tuple.of(workMem)))
                .chain(() -> tx.preparedQuery("SELECT set_config('maintenance_work_mem', $1, true)")
                        .execute(Tuple.of(workMem)))
                .chain(() -> tx.query(WarehouseSql.CREATE_WORK).execute())
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

    /** The large tables a first load fills without their indexes (built after, by one sort each) when it may. */
    public static final List<String> FIRST_LOAD_UNINDEXED = List.of("wh_bronze_memberships", "wh_bronze_rsvps",
            "wh_silver_membership", "wh_silver_rsvp");

    // Whether another tenant holds rows in the tables (V61's probe; yes or no, never a row).
    private static final String OTHERS_HOLD_ROWS = "SELECT other_tenants_hold_rows($1, $2::text[]::regclass[])";

    /**
     * True when no other tenant holds a row in the first load's large tables: then (and only then) the load may drop
     * their indexes, which are every tenant's. Asked from a connection of its own, before the run's transaction
     * touches the tables, so that it never waits to upgrade a lock it holds; {@link #lockAlone} asks again under the
     * lock.
     */
    public Uni<Boolean> aloneInLargeTables(String tenant) {
        return tenantSql.query(tenant, OTHERS_HOLD_ROWS, Tuple.of(tenant, tableArray()))
                .map(rows -> !rows.iterator().next().getBoolean(0));
    }

    /**
     * Locks the first load's large tables for the rest of the transaction (in one fixed order, as every first load
     * does, so that two never wait for each other) and answers whether the tenant is still alone in them: no other
     * transaction can write them now, so the answer holds until the commit.
     */
    public Uni<Boolean> lockAlone(SqlClient tx, String tenant) {
        return tx.query("LOCK TABLE " + String.join(", ", FIRST_LOAD_UNINDEXED) + " IN ACCESS EXCLUSIVE MODE")
                .execute()
                .chain(() -> tx.preparedQuery(OTHERS_HOLD_ROWS).execute(Tuple.of(tenant, tableArray())))
                .map(rows -> !rows.iterator().next().getBoolean(0));
    }

    private static String[] tableArray() {
        return FIRST_LOAD_UNINDEXED.toArray(String[]::new);
    }

    /**
     * Drops the indexes and key constraints of the tables (inside the run's transaction, which holds them exclusively
     * until it commits: see {@link #lockAlone}) and returns the steps that build them again, as the catalog defined
     * them: an index filled row by row in key order costs a B-tree descent and, for random keys, a page out of the
     * cache per row; built after the load it is one sort.
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

    /**
     * True when every layer of the tenant is empty and no watermark of its has moved: the run may take the first-load
     * statements. Asked from a connection of its own (the tenant's lock is held, so its layers cannot change), before
     * the run's transaction reads the tables it may lock.
     */
    public Uni<Boolean> isFirstLoad(String tenant) {
        return tenantSql.query(tenant, WarehouseFirstLoadSql.IS_FIRST_LOAD, Tuple.of(tenant))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * Bronze for one table: deletions, then changed rows, each after its watermark less the overlap; moves both. On a
     * first load the rows are copied by a plain INSERT and no change list is written (silver reads bronze whole).
     */
    public Uni<BronzeCount> bronze(SqlClient tx, String tenant, String table, long runId, java.time.Duration overlap,
            boolean firstLoad) {
        BronzeTable t = BronzeTable.valueOf(table.toUpperCase());
        return tx.preparedQuery(WATERMARK).execute(Tuple.of(tenant, t.name)).chain(marks -> {
            Row m = marks.size() == 0 ? null : marks.iterator().next();
            OffsetDateTime changedFrom = m == null ? null : minus(m.getOffsetDateTime(0), overlap);
            OffsetDateTime deletedFrom = m == null ? null : minus(m.getOffsetDateTime(1), overlap);
            return tx.preparedQuery(t.delete).execute(Tuple.of(tenant, deletedFrom)).chain(del -> {
                Row d = del.iterator().next();
                long deleted = d.getLong(0);
                OffsetDateTime deletedUpto = d.getOffsetDateTime(1);
                // first load: the watermark is read before the copy (each statement has its own snapshot),
                // so a row committed in between is copied again by the next run rather than missed
                Uni<Copied> copied = firstLoad
                        ? tx.preparedQuery(t.changedUpto).execute(Tuple.of(tenant))
                                .chain(upto -> tx.preparedQuery(t.firstLoad).execute(Tuple.of(tenant, runId))
                                        .map(ins -> new Copied(ins.rowCount(),
                                                upto.iterator().next().getOffsetDateTime(0))))
                        : tx.preparedQuery(t.upsert).execute(Tuple.of(tenant, runId, changedFrom)).map(up -> {
                            Row u = up.iterator().next();
                            return new Copied(u.getLong(0), u.getOffsetDateTime(1));
                        });
                return copied.chain(c -> tx.preparedQuery(MOVE_WATERMARK)
                        .execute(Tuple.of(tenant, t.name, c.upto(), deletedUpto))
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

    /**
     * Runs steps in order, reporting each step's row count as it finishes. {@code args} are the run's arguments ($1 the
     * tenant, then the others); each step is given as many as it names.
     */
    public Uni<Void> steps(SqlClient tx, List<Step> steps, List<Object> args, BiConsumer<String, Long> done,
            java.util.function.Supplier<Uni<Void>> afterEach) {
        return steps(tx, steps, args, done, (step, seconds) -> { }, afterEach);
    }

    /** Runs steps in order, reporting each step's row count and seconds as it finishes. */
    public Uni<Void> steps(SqlClient tx, List<Step> steps, List<Object> args, BiConsumer<String, Long> done,
            BiConsumer<String, Double> timed, java.util.function.Supplier<Uni<Void>> afterEach) {
        return Multi.createFrom().iterable(steps)
                .onItem().transformToUniAndConcatenate(step -> {
                    long started = System.nanoTime();
                    int params = step.params();
                    return (params > 0
                            ? tx.preparedQuery(step.sql()).execute(Tuple.from(args.subList(0, params)))
                            : tx.query(step.sql()).execute())
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
     * last full run (a scan of every RSVP to recompute no event). On a first load ({@code everything}) every table it
     * wrote is analysed, however few rows: statistics taken before the tenant had rows know no row of it, and the
     * planner reads "tenant = $1" as one row (nested loops over thousands, in the run and in the quality checks
     * after it); a small table costs milliseconds. The work tables are the run's own (temporary), so their
     * statistics are this run's; a shared table's are every tenant's, and analysing it waits for another run's
     * ANALYZE of it to commit, which only large loads and first loads do.
     * {@code changed} maps table names (constants of this package) to the rows written.
     */
    public Uni<List<String>> analyzeChanged(SqlClient tx, Map<String, Long> changed, boolean everything) {
        List<String> names = changed.keySet().stream().filter(t -> t.matches("wh_[a-z_]+")).distinct().toList();
        List<String> work = names.stream().filter(WarehouseSql.WORK_TABLES::contains).toList();
        List<String> shared = names.stream().filter(t -> !WarehouseSql.WORK_TABLES.contains(t)).toList();
        Uni<List<String>> stale = shared.isEmpty() ? Uni.createFrom().item(List.of()) : tx.preparedQuery("""
                        SELECT c.relname, c.reltuples FROM pg_class c
                        WHERE c.relname = ANY ($1) AND c.relnamespace = current_schema()::regnamespace
                          AND c.relkind = 'r'
                        """)
                .execute(Tuple.of(shared.toArray(String[]::new)))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    for (Row r : rows) {
                        double known = r.getDouble("reltuples");
                        long written = changed.getOrDefault(r.getString("relname"), 0L);
                        if (everything || written >= ANALYZE_MIN_ROWS && (known < 0 || written > known / 10)) {
                            out.add(r.getString("relname"));
                        }
                    }
                    return out;
                });
        return stale.chain(tables -> {
            List<String> analyze = new ArrayList<>(tables);
            analyze.addAll(work);
            if (analyze.isEmpty()) {
                return Uni.createFrom().item(List.<String>of());
            }
            return Multi.createFrom().iterable(analyze)
                    .onItem().transformToUniAndConcatenate(t -> tx.query("ANALYZE " + t).execute())
                    .collect().last().replaceWith(analyze);
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

    /** Opens a run in the log (a transaction of its own, so that readers see it at once). */
    public Uni<WarehouseRun> startRun(String tenant, String trigger) {
        return tenantSql.query(tenant, START_RUN, Tuple.of(tenant, trigger)).map(rows -> toRun(rows.iterator().next()));
    }

    public Uni<WarehouseRun> saveProgress(String tenant, long id, String status, String phase,
            Map<String, Object> layers, String error) {
        return tenantSql.query(tenant, SAVE_PROGRESS,
                        Tuple.from(new Object[] {tenant, id, status, phase, new JsonObject(layers), error}))
                .map(rows -> toRun(rows.iterator().next()));
    }

    /** The tenant's run; empty for a missing id and for another tenant's alike. */
    public Uni<Optional<WarehouseRun>> run(String tenant, long id) {
        return tenantSql.query(tenant, "SELECT * FROM wh_run WHERE tenant = $1 AND id = $2", Tuple.of(tenant, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRun(rows.iterator().next())));
    }

    public Uni<List<WarehouseRun>> runs(String tenant, int limit) {
        return tenantSql.query(tenant, "SELECT * FROM wh_run WHERE tenant = $1 ORDER BY id DESC LIMIT $2",
                        Tuple.of(tenant, limit))
                .map(rows -> {
                    List<WarehouseRun> out = new ArrayList<>();
                    rows.forEach(r -> out.add(toRun(r)));
                    return out;
                });
    }

    /** The tenant's runs left 'running' by a replica that died: marked failed (called while holding its lock). */
    public Uni<Void> failAbandoned(String tenant) {
        return tenantSql.query(tenant, """
                UPDATE wh_run SET status = 'failed', error = 'abandoned (the replica running it stopped)',
                    finished_at = clock_timestamp()
                WHERE tenant = $1 AND status = 'running'
                """, Tuple.of(tenant)).replaceWithVoid();
    }

    /** Every tenant with a warehouse (the system scope: for the scheduled retention only). */
    public Uni<List<String>> tenants() {
        return tenantSql.systemQuery(TENANTS, Tuple.tuple()).map(rows -> {
            List<String> out = new ArrayList<>();
            rows.forEach(r -> out.add(r.getString(0)));
            return out;
        });
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
