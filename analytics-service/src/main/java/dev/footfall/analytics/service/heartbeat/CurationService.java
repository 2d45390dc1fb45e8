package dev.footfall.analytics.service.heartbeat;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.model.heartbeat.CurationRun;
import dev.footfall.analytics.repository.heartbeat.CurationRepository;
import dev.footfall.analytics.repository.heartbeat.CurationRepository.DayCount;
import dev.footfall.analytics.repository.heartbeat.CurationRepository.Selection;
import dev.footfall.analytics.repository.heartbeat.CurationRepository.Watermarks;
import dev.footfall.common.db.TenantSql;
import dev.footfall.common.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Incremental curation of staged heartbeats into the curated table and its exact pre-aggregates, one tenant per run.
 *
 * <p>A run holds its tenant's PostgreSQL advisory lock (one run of a tenant at a time across replicas) and the load
 * lock (one run loading at a time, whatever its tenant: a run waits for another tenant's), selects the tenant's staged
 * heartbeats created after the tenant's created watermark less the overlap, staged after the staging-time watermark
 * (the start of the oldest transaction that was open when the previous run started), or whose device, cohort or
 * version changed, creates the daily partitions they need (outside the load transaction, which would otherwise hold a
 * lock on the parent table), then in one transaction removes stale copies, inserts the rows first staged after the
 * previous run's snapshot, upserts the others by event id, rebuilds the pre-aggregates of every day it changed and
 * moves the watermarks. Progress goes to the tenant's load log as it happens.
 */
@ApplicationScoped
public class CurationService {

    private static final Logger LOG = Logger.getLogger(CurationService.class);

    /** How often a run waiting for another tenant's run tries the load lock again. */
    private static final Duration LOAD_LOCK_RETRY = Duration.ofMillis(250);

    private final Pool pool;
    private final TenantSql tenantSql;
    private final CurationRepository repository;
    private final AnalyticsConfig.Heartbeat config;

    CurationService(Pool pool, TenantSql tenantSql, CurationRepository repository, AnalyticsConfig config) {
        this.pool = pool;
        this.tenantSql = tenantSql;
        this.repository = repository;
        this.config = config.heartbeat();
    }

    /** Curates the tenant's staged rows now; 409 while a run of the tenant (on any replica) is in progress. */
    public Uni<CurationRun> curateNow(String tenant) {
        return curateIfIdle(tenant, "api").map(run -> run.orElseThrow(
                () -> ProblemException.conflict("A curation run is in progress; see GET /v1/heartbeats/curation/runs")));
    }

    /**
     * Curates the tenant's staged rows unless a run of the tenant is in progress (then empty). While another tenant's
     * run is loading it waits, holding no connection and no lock, and tries again.
     */
    public Uni<Optional<CurationRun>> curateIfIdle(String tenant, String trigger) {
        return pool.withConnection(conn -> repository.tryLock(conn, tenant).chain(lock -> switch (lock) {
            case TAKEN -> curate(conn, tenant, trigger).map(Optional::of).eventually(() -> repository.unlock(conn));
            case TENANT_BUSY -> Uni.createFrom().item(Optional.<CurationRun>empty());
            // Another tenant's run is loading: give the connection back, wait a little, try again.
            case LOAD_BUSY -> Uni.createFrom().<Optional<CurationRun>>nullItem();
        })).onItem().ifNull().switchTo(() -> Uni.createFrom().voidItem().onItem().delayIt().by(LOAD_LOCK_RETRY)
                .chain(() -> curateIfIdle(tenant, trigger)));
    }

    /** The tenants the scheduled job curates, one after the other: those with rows staged since their last run. */
    public Uni<List<String>> tenantsWithWork() {
        return repository.tenantsWithWork();
    }

    public Uni<List<CurationRun>> runs(String tenant, int limit) {
        return repository.runs(tenant, limit);
    }

    public Uni<CurationRun> run(String tenant, long id) {
        return repository.run(tenant, id)
                .map(run -> run.orElseThrow(() -> ProblemException.notFound("No curation run " + id)));
    }

    private Uni<CurationRun> curate(SqlConnection conn, String tenant, String trigger) {
        return repository.startRun(tenant, trigger).chain(started -> {
            Progress progress = new Progress(tenant, started);
            return load(conn, progress)
                    .chain(() -> repository.saveProgress(tenant, progress.finish("succeeded", null)))
                    .onFailure().call(e -> {
                        LOG.errorf(e, "Curation run %d of tenant %s failed", started.id(), tenant);
                        return repository.saveProgress(tenant,
                                        progress.finish("failed", String.valueOf(e.getMessage())))
                                .onFailure().recoverWithNull();
                    })
                    .invoke(run -> LOG.infof("Curation run %d of tenant %s: %d loaded, %d removed, %d days rebuilt",
                            run.id(), tenant, run.rowsLoaded(), run.rowsRemoved(), run.daysTotal()));
        });
    }

    private Uni<Void> load(SqlConnection conn, Progress progress) {
        String tenant = progress.tenant;
        OffsetDateTime snapshot = progress.run.startedAt().atOffset(ZoneOffset.UTC);
        Duration overlap = config.curation().overlap();
        Duration stagedOverlap = config.curation().stagedOverlap();
        return repository.watermarks(tenant).chain(marks -> {
            progress.watermarkFrom = marks.created();
            return repository.stagedHorizon(conn, snapshot, stagedOverlap).chain(horizon -> repository
                    .changedDimensions(tenant, marks.dimensions(), snapshot)
                    .map(changed -> new Selection(tenant, minus(marks.created(), overlap), marks.loaded(), snapshot,
                            changed[0], changed[1], marks.snapshot()))
                    .chain(selection -> repository.candidateDays(selection)
                            .chain(days -> {
                                progress.candidates = days.stream().mapToLong(DayCount::rows).sum();
                                return progress.save("partitions").chain(() -> partitions(conn, days, snapshot));
                            })
                            .chain(created -> {
                                progress.partitionsCreated = created;
                                return progress.save("loading");
                            })
                            .chain(() -> tenantSql.transaction(tenant,
                                    tx -> loadAndAggregate(tx, selection, marks, horizon, progress)))));
        });
    }

    private Uni<Integer> partitions(SqlConnection conn, List<DayCount> candidates, OffsetDateTime snapshot) {
        TreeSet<LocalDate> days = new TreeSet<>();
        candidates.forEach(d -> days.add(d.day()));
        LocalDate today = snapshot.toLocalDate();
        for (int i = 0; i <= config.partitionsAhead(); i++) {
            days.add(today.plusDays(i));
        }
        return repository.ensurePartitions(conn, new ArrayList<>(days));
    }

    private Uni<Void> loadAndAggregate(SqlConnection tx, Selection selection, Watermarks marks,
            OffsetDateTime stagedHorizon, Progress progress) {
        String tenant = selection.tenant();
        Map<ProjectDay, Long> dirty = new TreeMap<>();
        return repository.setWorkMem(tx, config.curation().workMem())
                .chain(() -> repository.removeStale(tx, tenant, selection.snapshot()))
                .chain(removed -> {
                    removed.forEach(d -> dirty.merge(new ProjectDay(d.projectId(), d.day()), d.rows(), Long::sum));
                    progress.rowsRemoved = removed.stream().mapToLong(DayCount::rows).sum();
                    return repository.load(tx, selection);
                })
                .chain(loaded -> {
                    loaded.forEach(d -> dirty.merge(new ProjectDay(d.projectId(), d.day()), d.rows(), Long::sum));
                    progress.rowsLoaded = loaded.stream().mapToLong(DayCount::rows).sum();
                    progress.daysTotal = dirty.size();
                    return progress.save("aggregating");
                })
                .chain(() -> Multi.createFrom().iterable(dirty.entrySet())
                        .onItem().transformToUniAndConcatenate(day -> repository.refreshDay(tx, tenant,
                                        day.getKey().projectId(), day.getKey().day())
                                .chain(() -> {
                                    progress.daysDone++;
                                    return progress.save("aggregating");
                                }))
                        .collect().last())
                .chain(() -> repository.maxCreated(tx, tenant, selection.snapshot()))
                .chain(maxCreated -> {
                    OffsetDateTime created = later(marks.created(), maxCreated.orElse(null));
                    progress.watermarkTo = created;
                    return repository.saveWatermarks(tx, tenant,
                            new Watermarks(created, stagedHorizon, stagedHorizon,
                                    later(marks.snapshot(), selection.snapshot())));
                });
    }

    private static OffsetDateTime minus(OffsetDateTime mark, Duration overlap) {
        return mark == null ? null : mark.minus(overlap);
    }

    private static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private record ProjectDay(long projectId, LocalDate day) implements Comparable<ProjectDay> {
        @Override
        public int compareTo(ProjectDay o) {
            int c = Long.compare(projectId, o.projectId);
            return c != 0 ? c : day.compareTo(o.day);
        }
    }

    /** The run being written to its tenant's load log. */
    private final class Progress {
        private final String tenant;
        private final CurationRun run;
        private String phase = "planning";
        private long candidates;
        private long rowsLoaded;
        private long rowsRemoved;
        private int partitionsCreated;
        private int daysTotal;
        private int daysDone;
        private OffsetDateTime watermarkFrom;
        private OffsetDateTime watermarkTo;

        Progress(String tenant, CurationRun run) {
            this.tenant = tenant;
            this.run = run;
        }

        Uni<Void> save(String newPhase) {
            phase = newPhase;
            return repository.saveProgress(tenant, snapshot("running", null)).replaceWithVoid();
        }

        CurationRun finish(String status, String error) {
            if (error == null) {
                phase = "done";
            }
            return snapshot(status, error);
        }

        private CurationRun snapshot(String status, String error) {
            return new CurationRun(run.id(), run.trigger(), status, phase, run.startedAt(), null, candidates, rowsLoaded,
                    rowsRemoved, partitionsCreated, daysTotal, daysDone,
                    watermarkFrom == null ? null : watermarkFrom.toInstant(),
                    watermarkTo == null ? null : watermarkTo.toInstant(), error);
        }
    }
}
