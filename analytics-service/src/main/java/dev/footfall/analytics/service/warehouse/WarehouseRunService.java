package dev.footfall.analytics.service.warehouse;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.config.WarehouseConfig;
import dev.footfall.analytics.model.warehouse.WarehouseRun;
import dev.footfall.analytics.repository.warehouse.WarehouseFirstLoadSql;
import dev.footfall.analytics.repository.warehouse.WarehouseRunRepository;
import dev.footfall.analytics.repository.warehouse.WarehouseSql;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.db.TenantSql;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Warehouse runs: bronze copies what changed in the tenant's source since its watermarks (and applies logged
 * deletions), silver cleans and keys the changed rows and extends the RSVP history, gold recomputes what those changes
 * touch. One transaction per run, in the tenant's scope, so readers see the layers before or after a run, never
 * between; progress goes to the run log from other connections as each step finishes. A transaction-level advisory
 * lock per tenant makes one writer of a tenant's warehouse at a time across replicas; tenants do not wait for each
 * other's.
 */
@ApplicationScoped
public class WarehouseRunService {

    private static final Logger LOG = Logger.getLogger(WarehouseRunService.class);
    private static final String BUSY = "A warehouse run, erasure or generation is in progress";

    private final TenantSql tenantSql;
    private final WarehouseRunRepository repository;
    private final WarehouseConfig config;
    /**
     * Writers of different tenants at once on this replica: each holds a connection for its whole transaction, and a
     * run writes its progress from a second one, so unbounded runs could take every connection of the pool and then
     * wait for one forever.
     */
    private final Semaphore writers;

    WarehouseRunService(TenantSql tenantSql, WarehouseRunRepository repository, AnalyticsConfig config) {
        this.tenantSql = tenantSql;
        this.repository = repository;
        this.config = config.warehouse();
        this.writers = new Semaphore(this.config.maxConcurrentWriters());
    }

    /**
     * Starts a run of the tenant's warehouse in the background and answers with it as soon as it holds the tenant's
     * lock; 409 while another writer of the tenant holds it. The run carries its tenant to the end.
     */
    public Uni<WarehouseRun> start(String tenant, String trigger) {
        return Uni.createFrom().emitter(started -> {
            if (!writers.tryAcquire()) {
                started.fail(busyReplica());
                return;
            }
            AtomicReference<Progress> progress = new AtomicReference<>();
            tenantSql.transaction(tenant, conn -> repository.tryLock(conn, tenant).chain(locked -> {
                        if (!locked) {
                            return Uni.createFrom().failure(ProblemException.conflict(
                                    BUSY + " for this tenant; see GET /v1/warehouse/runs"));
                        }
                        return repository.failAbandoned(tenant).chain(() -> repository.startRun(tenant, trigger))
                                .invoke(run -> {
                                    progress.set(new Progress(tenant, run.id()));
                                    started.complete(run);
                                })
                                .chain(run -> execute(conn, tenant, progress.get(), run.trigger()));
                    }))
                    .chain(() -> progress.get().finish("succeeded", null))
                    .invoke(r -> LOG.infof("Warehouse run %d of %s succeeded: %s", r.id(), tenant, r.layers()))
                    .onFailure().recoverWithUni(e -> {
                        if (progress.get() == null) {
                            started.fail(e);
                            return Uni.createFrom().nullItem();
                        }
                        return progress.get().finish("failed", String.valueOf(e.getMessage()))
                                .invoke(r -> LOG.errorf(e, "Warehouse run %d of %s failed", r.id(), tenant));
                    })
                    .onTermination().invoke(writers::release)
                    .subscribe().with(done -> { }, e -> LOG.errorf(e, "Warehouse run of %s: the log failed", tenant));
        });
    }

    public Uni<WarehouseRun> run(String tenant, long id) {
        return repository.run(tenant, id)
                .map(r -> r.orElseThrow(() -> ProblemException.notFound("No warehouse run " + id)));
    }

    public Uni<List<WarehouseRun>> runs(String tenant, int limit) {
        return repository.runs(tenant, limit);
    }

    /** Runs the layers in the tenant's transaction {@code conn}, which holds the tenant's lock. */
    Uni<Void> execute(SqlConnection conn, String tenant, Progress progress, String trigger) {
        LOG.infof("Warehouse run %d of %s started (%s)", progress.id, tenant, trigger);
        // Between the statement groups, the tables just filled by much get fresh statistics (analyzeChanged), so
        // that a first run joins its million rows by hash rather than by a million index probes.
        // A first load (every layer of the tenant empty) takes statements that insert in one pass over bronze and
        // silver instead of reading the change list: the same rows, without a key probe per row. When no other
        // tenant has rows in the large tables, it also drops their indexes and builds them after the load.
        return repository.isFirstLoad(tenant)
                .chain(first -> !first ? Uni.createFrom().item(Load.INCREMENTAL)
                        : repository.aloneInLargeTables(tenant).map(alone -> alone ? Load.FIRST_ALONE : Load.FIRST))
                .chain(load -> repository.prepare(conn, config.workMem())
                        .chain(() -> switch (load) {
                            case INCREMENTAL -> incremental(conn, tenant, progress);
                            case FIRST -> firstLoad(conn, tenant, progress, List.of());
                            case FIRST_ALONE -> repository.lockAlone(conn, tenant).chain(alone -> !alone
                                    ? firstLoad(conn, tenant, progress, List.of())
                                    : repository.dropIndexes(conn, WarehouseRunRepository.FIRST_LOAD_UNINDEXED)
                                            .chain(indexes -> firstLoad(conn, tenant, progress, indexes)));
                        }));
    }

    /** How a run loads: from the change list, or a first load with the large tables' indexes in place or rebuilt. */
    private enum Load {
        INCREMENTAL, FIRST, FIRST_ALONE
    }

    private Uni<Void> incremental(SqlConnection conn, String tenant, Progress progress) {
        return bronze(conn, tenant, progress, false)
                .chain(() -> layer(conn, progress, "silver", List.of(tenant), WarehouseRunRepository.keymapSteps(),
                        WarehouseRunRepository.silverSteps(), WarehouseRunRepository.silverRsvpSteps()))
                .chain(() -> layer(conn, progress, "gold", List.of(tenant, config.topGroupsPerCountry()),
                        WarehouseRunRepository.dirtySteps(), WarehouseRunRepository.goldSteps()));
    }

    /** A first load; when the large tables' indexes were dropped, silver ends by building them again. */
    private Uni<Void> firstLoad(SqlConnection conn, String tenant, Progress progress,
            List<WarehouseSql.Step> buildIndexes) {
        progress.firstLoad = true;
        return bronze(conn, tenant, progress, true)
                .chain(() -> layer(conn, progress, "silver", List.of(tenant), WarehouseFirstLoadSql.KEYMAPS,
                        WarehouseFirstLoadSql.SILVER, buildIndexes))
                .chain(() -> layer(conn, progress, "gold", List.of(tenant, config.topGroupsPerCountry()),
                        WarehouseFirstLoadSql.GOLD));
    }

    private Uni<Void> bronze(SqlConnection conn, String tenant, Progress progress, boolean firstLoad) {
        Map<String, Object> rows = progress.layer("bronze");
        Map<String, Long> written = new LinkedHashMap<>();
        return Multi.createFrom().iterable(WarehouseRunRepository.bronzeTables())
                .onItem().transformToUniAndConcatenate(table -> {
                    long started = System.nanoTime();
                    return repository.bronze(conn, tenant, table, progress.id, config.overlap(), firstLoad)
                            .chain(count -> {
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
    private Uni<Void> layer(SqlConnection conn, Progress progress, String name, List<Object> args,
            List<WarehouseSql.Step>... groups) {
        Map<String, Object> rows = progress.layer(name);
        List<List<WarehouseSql.Step>> nonEmpty = Arrays.stream(groups).filter(g -> !g.isEmpty()).toList();
        return progress.save(name)
                .chain(() -> Multi.createFrom().iterable(nonEmpty)
                        .onItem().transformToUniAndConcatenate(steps -> group(conn, progress, name, args, rows, steps,
                                progress.firstLoad || steps != nonEmpty.get(nonEmpty.size() - 1)
                                        || !name.equals("gold")))
                        .collect().last())
                .chain(() -> progress.done(name));
    }

    /**
     * One group of steps; then fresh statistics, unless nothing in the run reads its tables again (gold) and the
     * tenant's rows are not new to them (a first load leaves statistics that know the tenant, for the readers).
     */
    private Uni<Void> group(SqlConnection conn, Progress progress, String name, List<Object> args,
            Map<String, Object> rows, List<WarehouseSql.Step> steps, boolean analyzeAfter) {
        Map<String, Long> written = new LinkedHashMap<>();
        return repository.steps(conn, steps, args, (table, n) -> {
                    rows.put(table, n);
                    written.merge(table.replaceFirst(" \\(.*", ""), n, Long::sum);
                }, (table, seconds) -> progress.steps(name).put(table, seconds), () -> progress.save(name))
                .chain(() -> analyzeAfter ? analyze(conn, progress, name, written) : Uni.createFrom().voidItem());
    }

    private Uni<Void> analyze(SqlConnection conn, Progress progress, String layer, Map<String, Long> written) {
        long started = System.nanoTime();
        return repository.analyzeChanged(conn, written, progress.firstLoad).invoke(analyzed -> {
            if (!analyzed.isEmpty()) {
                progress.step(layer, "ANALYZE " + String.join(", ", analyzed), started);
            }
        }).replaceWithVoid();
    }

    /** The run's log entry as it progresses. */
    private final class Progress {
        private final String tenant;
        private final long id;
        private final Map<String, Object> layers = new LinkedHashMap<>();
        private final Map<String, Long> startedAt = new LinkedHashMap<>();
        private String phase = "planning";
        private boolean firstLoad;

        Progress(String tenant, long id) {
            this.tenant = tenant;
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
            return repository.saveProgress(tenant, id, "running", phase, layers, null).replaceWithVoid();
        }

        Uni<WarehouseRun> finish(String status, String error) {
            if (error == null) {
                phase = "done";
            }
            return repository.saveProgress(tenant, id, status, phase, layers, error);
        }
    }

    /**
     * Applies {@code work} in a transaction of the tenant that holds the tenant's warehouse lock; 409 when another
     * writer of the tenant holds it.
     */
    public <T> Uni<T> locked(String tenant, Function<SqlConnection, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> !writers.tryAcquire() ? Uni.createFrom().<T>failure(busyReplica())
                : tenantSql.transaction(tenant, conn -> repository.tryLock(conn, tenant).chain(locked -> !locked
                                ? Uni.createFrom().<T>failure(ProblemException.conflict(
                                        BUSY + " for this tenant; retry when it has finished"))
                                : work.apply(conn)))
                        .onTermination().invoke(writers::release));
    }

    private ProblemException busyReplica() {
        return ProblemException.unavailable("The warehouse (" + config.maxConcurrentWriters()
                + " runs, erasures or generations of other tenants in progress on this replica)");
    }
}
