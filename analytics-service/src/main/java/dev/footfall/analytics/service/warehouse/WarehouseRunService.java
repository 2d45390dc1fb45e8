package dev.footfall.analytics.service.warehouse;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.config.WarehouseConfig;
import dev.footfall.analytics.model.warehouse.WarehouseRun;
import dev.footfall.analytics.repository.warehouse.WarehouseFirstLoadSql;
import dev.footfall.analytics.repository.warehouse.WarehouseRunRepository;
import dev.footfall.analytics.repository.warehouse.WarehouseSql;
import dev.footfall.common.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Warehouse runs: bronze copies what changed in the source since the watermarks (and applies logged deletions), silver
 * cleans and keys the changed rows and extends the RSVP history, gold recomputes what those changes touch. One
 * transaction per run, so readers see the layers before or after a run, never between; progress goes to the run log
 * from other connections as each step finishes. A PostgreSQL advisory lock makes one writer at a time across replicas.
 */
@ApplicationScoped
public class WarehouseRunService {

    private static final Logger LOG = Logger.getLogger(WarehouseRunService.class);

    private final Pool pool;
    private final WarehouseRunRepository repository;
    private final WarehouseConfig config;

    WarehouseRunService(Pool pool, WarehouseRunRepository repository, AnalyticsConfig config) {
        this.pool = pool;
        this.repository = repository;
        this.config = config.warehouse();
    }

    /** Starts a run in the background and answers with it at once; 409 while another writer holds the lock. */
    public Uni<WarehouseRun> start(String trigger) {
        return pool.getConnection().chain(conn -> repository.tryLock(conn).chain(locked -> {
            if (!locked) {
                return conn.close().chain(() -> Uni.createFrom().failure(ProblemException.conflict(
                        "A warehouse run, erasure or generation is in progress; see GET /v1/warehouse/runs")));
            }
            return repository.failAbandoned(conn).chain(() -> repository.startRun(trigger))
                    .invoke(run -> execute(conn, run)
                            .eventually(() -> repository.unlock(conn).onFailure().recoverWithNull()
                                    .eventually(conn::close))
                            .subscribe().with(done -> { }, e -> LOG.errorf(e, "Warehouse run %d failed", run.id())))
                    .onFailure().call(e -> repository.unlock(conn).eventually(conn::close));
        }));
    }

    public Uni<WarehouseRun> run(long id) {
        return repository.run(id).map(r -> r.orElseThrow(() -> ProblemException.notFound("No warehouse run " + id)));
    }

    public Uni<List<WarehouseRun>> runs(int limit) {
        return repository.runs(limit);
    }

    /** Runs the layers on a connection that holds the lock. */
    Uni<WarehouseRun> execute(SqlConnection conn, WarehouseRun run) {
        Progress progress = new Progress(run.id());
        LOG.infof("Warehouse run %d started (%s)", run.id(), run.trigger());
        // Between the statement groups, the tables just filled by much get fresh statistics (analyzeChanged), so
        // that a first run joins its million rows by hash rather than by a million index probes.
        // A first load (every layer empty) takes statements that insert in one pass over bronze and silver instead
        // of reading the change list: the same rows, without a key probe per row.
        return conn.begin().chain(tx -> repository.prepare(conn, config.workMem())
                        .chain(() -> repository.isFirstLoad(conn))
                        .chain(first -> !first ? incremental(conn, progress)
                                : repository.dropIndexes(conn, WarehouseRunRepository.FIRST_LOAD_UNINDEXED)
                                        .chain(indexes -> firstLoad(conn, progress, indexes)))
                        .chain(() -> repository.clearWork(conn))
                        .chain(tx::commit)
                        .onFailure().call(e -> tx.rollback().onFailure().recoverWithNull()))
                .chain(() -> progress.finish("succeeded", null))
                .invoke(r -> LOG.infof("Warehouse run %d succeeded: %s", r.id(), r.layers()))
                .onFailure().recoverWithUni(e -> progress.finish("failed", String.valueOf(e.getMessage()))
                        .invoke(r -> LOG.errorf(e, "Warehouse run %d failed", r.id())));
    }

    private Uni<Void> incremental(SqlConnection conn, Progress progress) {
        return bronze(conn, progress, false)
                .chain(() -> layer(conn, progress, "silver", Tuple.tuple(), WarehouseRunRepository.keymapSteps(),
                        WarehouseRunRepository.silverSteps(), WarehouseRunRepository.silverRsvpSteps()))
                .chain(() -> layer(conn, progress, "gold", Tuple.of(config.topGroupsPerCountry()),
                        WarehouseRunRepository.dirtySteps(), WarehouseRunRepository.goldSteps()));
    }

    /** A first load; the large tables' indexes were dropped, and silver ends by building them again. */
    private Uni<Void> firstLoad(SqlConnection conn, Progress progress, List<WarehouseSql.Step> buildIndexes) {
        progress.firstLoad = true;
        return bronze(conn, progress, true)
                .chain(() -> layer(conn, progress, "silver", Tuple.tuple(), WarehouseFirstLoadSql.KEYMAPS,
                        WarehouseFirstLoadSql.SILVER, buildIndexes))
                .chain(() -> layer(conn, progress, "gold", Tuple.of(config.topGroupsPerCountry()),
                        WarehouseFirstLoadSql.GOLD));
    }

    private Uni<Void> bronze(SqlConnection conn, Progress progress, boolean firstLoad) {
        Map<String, Object> rows = progress.layer("bronze");
        Map<String, Long> written = new LinkedHashMap<>();
        return Multi.createFrom().iterable(WarehouseRunRepository.bronzeTables())
                .onItem().transformToUniAndConcatenate(table -> {
                    long started = System.nanoTime();
                    return repository.bronze(conn, table, progress.id, config.overlap(), firstLoad).chain(count -> {
                        rows.put(table, count.changed());
                        rows.put(table + " (deleted)", count.deleted());
                        progress.step("bronze", table, started);
                        written.put("wh_bronze_" + table, count.changed());
                        written.merge("wh_changed", count.changed() + count.deleted(), Long::sum);
                        return progress.save("bronze");
                    });
                })
                .collect().last()
                .chain(() -> analyze(conn, progress, "bronze", written))
                .chain(() -> progress.done("bronze"));
    }

    /** A layer: groups of steps, each followed by fresh statistics for the tables it filled by much. */
    @SafeVarargs
    private Uni<Void> layer(SqlConnection conn, Progress progress, String name, Tuple args,
            List<WarehouseSql.Step>... groups) {
        Map<String, Object> rows = progress.layer(name);
        return progress.save(name)
                .chain(() -> Multi.createFrom().items(groups)
                        .onItem().transformToUniAndConcatenate(steps -> group(conn, progress, name, args, rows, steps,
                                steps != groups[groups.length - 1] || !name.equals("gold")))
                        .collect().last())
                .chain(() -> progress.done(name));
    }

    /** One group of steps; then, unless nothing in the run reads its tables again (gold), fresh statistics. */
    private Uni<Void> group(SqlConnection conn, Progress progress, String name, Tuple args, Map<String, Object> rows,
            List<WarehouseSql.Step> steps, boolean analyzeAfter) {
        Map<String, Long> written = new LinkedHashMap<>();
        return repository.steps(conn, steps, args, (table, n) -> {
                    rows.put(table, n);
                    written.merge(table.replaceFirst(" \\(.*", ""), n, Long::sum);
                }, (table, seconds) -> progress.steps(name).put(table, seconds), () -> progress.save(name))
                .chain(() -> analyzeAfter ? analyze(conn, progress, name, written) : Uni.createFrom().voidItem());
    }

    private Uni<Void> analyze(SqlConnection conn, Progress progress, String layer, Map<String, Long> written) {
        long started = System.nanoTime();
        return repository.analyzeChanged(conn, written).invoke(analyzed -> {
            if (!analyzed.isEmpty()) {
                progress.step(layer, "ANALYZE " + String.join(", ", analyzed), started);
            }
        }).replaceWithVoid();
    }

    /** The run's log entry as it progresses. */
    private final class Progress {
        private final long id;
        private final Map<String, Object> layers = new LinkedHashMap<>();
        private final Map<String, Long> startedAt = new LinkedHashMap<>();
        private String phase = "planning";
        private boolean firstLoad;

        Progress(long id) {
            this.id = id;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> layer(String name) {
            startedAt.put(name, System.nanoTime());
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("status", "running");
            layer.put("first_load", firstLoad);
            layer.put("seconds", 0.0);
            layer.put("rows", new LinkedHashMap<String, Object>());
            layers.put(name, layer);
            return (Map<String, Object>) layer.get("rows");
        }

        /** Seconds per statement of a layer, in the order they ran (where the time goes). */
        @SuppressWarnings("unchecked")
        Map<String, Object> steps(String name) {
            Map<String, Object> layer = (Map<String, Object>) layers.get(name);
            return (Map<String, Object>) layer.computeIfAbsent("steps", k -> new LinkedHashMap<String, Object>());
        }

        void step(String name, String step, long started) {
            steps(name).put(step, Math.round((System.nanoTime() - started) / 1e6) / 1000.0);
        }

        @SuppressWarnings("unchecked")
        Uni<Void> done(String name) {
            Map<String, Object> layer = (Map<String, Object>) layers.get(name);
            layer.put("status", "done");
            layer.put("seconds", Math.round((System.nanoTime() - startedAt.get(name)) / 1e6) / 1000.0);
            return save(name);
        }

        @SuppressWarnings("unchecked")
        Uni<Void> save(String newPhase) {
            phase = newPhase;
            Object layer = layers.get(newPhase);
            if (layer instanceof Map<?, ?> m && "running".equals(m.get("status"))) {
                ((Map<String, Object>) m).put("seconds",
                        Math.round((System.nanoTime() - startedAt.get(newPhase)) / 1e6) / 1000.0);
            }
            return repository.saveProgress(id, "running", phase, layers, null).replaceWithVoid();
        }

        Uni<WarehouseRun> finish(String status, String error) {
            if (error == null) {
                phase = "done";
            }
            return repository.saveProgress(id, status, phase, layers, error);
        }
    }

    /** Applies a function under the warehouse lock on a connection of its own; 409 when it is taken. */
    public <T> Uni<T> locked(Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(conn -> repository.tryLock(conn).chain(locked -> !locked
                ? Uni.createFrom().failure(ProblemException.conflict(
                        "A warehouse run, erasure or generation is in progress; retry when it has finished"))
                : work.apply(conn).eventually(() -> repository.unlock(conn))));
    }
}
