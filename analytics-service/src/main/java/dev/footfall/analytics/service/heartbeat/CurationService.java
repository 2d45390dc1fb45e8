package dev.footfall.analytics.service.heartbeat;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.model.heartbeat.CurationRun;
import dev.footfall.analytics.repository.heartbeat.CurationRepository;
import dev.footfall.analytics.repository.heartbeat.CurationRepository.DayCount;
import dev.footfall.analytics.repository.heartbeat.CurationRepository.Selection;
import dev.footfall.analytics.repository.heartbeat.CurationRepository.Watermarks;
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
 * Incremental curation of staged heartbeats into the curated table and its exact pre-aggregates.
 *
 * <p>A run holds a PostgreSQL advisory lock (one run at a time across replicas), selects the staged heartbeats created
 * after the created watermark less the overlap, staged after the staging-time watermark (the start of the oldest
 * transaction that was open when the previous run started), or whose device, cohort or version changed, creates the
 * daily partitions they need (outside the load transaction, which would otherwise hold a lock on the parent table),
 * then in one transaction removes stale copies, inserts the rows first staged after the previous run's snapshot,
 * upserts the others by event id, rebuilds the pre-aggregates of every day it changed and moves the watermarks.
 * Progress goes to the load log as it happens.
 */
@ApplicationScoped
public class CurationService {

    private static final Logger LOG = Logger.getLogger(CurationService.class);

    private final Pool pool;
    private final CurationRepository repository;
    private final AnalyticsConfig.Heartbeat config;

    CurationService(Pool pool, CurationRepository repository, AnalyticsConfig config) {
        this.pool = pool;
        this.repository = repository;
        this.config = config.heartbeat();
    }

    /** Runs curation now; 409 when another run (here or on another replica) holds the lock. */
    public Uni<CurationRun> curateNow() {
        return curateIfIdle("api").map(run -> run.orElseThrow(
                () -> ProblemException.conflict("A curation run is in progress; see GET /v1/heartbeats/curation/runs")));
    }

    /** Runs curation unless another run holds the lock (then empty). */
    public Uni<Optional<CurationRun>> curateIfIdle(String trigger) {
        return pool.withConnection(conn -> repository.tryLock(conn).chain(locked -> !locked
                ? Uni.createFrom().item(Optional.<CurationRun>empty())
                : curate(conn, trigger).map(Optional::of).eventually(() -> repository.unlock(conn))));
    }

    public Uni<List<CurationRun>> runs(int limit) {
        return repository.runs(limit);
    }

    public Uni<CurationRun> run(long id) {
        return repository.run(id).map(run -> run.orElseThrow(() -> ProblemException.notFound("No curation run " + id)));
    }

    private Uni<CurationRun> curate(SqlConnection conn, String trigger) {
        return repository.startRun(trigger).chain(started -> {
            Progress progress = new Progress(started);
            return load(conn, progress)
                    .chain(() -> repository.saveProgress(progress.finish("succeeded", null)))
                    .onFailure().call(e -> {
                        LOG.errorf(e, "Curation run %d failed", started.id());
                        return repository.saveProgress(progress.finish("failed", String.valueOf(e.getMessage())))
                                .onFailure().recoverWithNull();
                    })
                    .invoke(run -> LOG.infof("Curation run %d: %d loaded, %d removed, %d days rebuilt", run.id(),
                            run.rowsLoaded(), run.rowsRemoved(), run.daysTotal()));
        });
    }

    private Uni<Void> load(SqlConnection conn, Progress progress) {
        OffsetDateTime snapshot = progress.run.startedAt().atOffset(ZoneOffset.UTC);
        Duration overlap = config.curation().overlap();
        Duration stagedOverlap = config.curation().stagedOverlap();
        return repository.watermarks(conn).chain(marks -> {
            progress.watermarkFrom = marks.created();
            return repository.stagedHorizon(conn, snapshot, stagedOverlap).chain(horizon -> repository
                    .changedDimensions(conn, marks.dimensions(), snapshot)
                    .map(changed -> new Selection(minus(marks.created(), overlap), marks.loaded(), snapshot,
                            changed[0], changed[1], marks.snapshot()))
                    .chain(selection -> repository.candidateDays(conn, selection)
                            .chain(days -> {
                                progress.candidates = days.stream().mapToLong(DayCount::rows).sum();
                                return progress.save("partitions").chain(() -> partitions(conn, days, snapshot));
                            })
                            .chain(created -> {
                                progress.partitionsCreated = created;
                                return progress.save("loading");
                            })
                            .chain(() -> inTransaction(conn,
                                    loadAndAggregate(conn, selection, marks, horizon, progress)))));
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

    private Uni<Void> loadAndAggregate(SqlConnection conn, Selection selection, Watermarks marks,
            OffsetDateTime stagedHorizon, Progress progress) {
        Map<ProjectDay, Long> dirty = new TreeMap<>();
        return repository.setWorkMem(conn, config.curation().workMem())
                .chain(() -> repository.removeStale(conn, selection.snapshot()))
                .chain(removed -> {
                    removed.forEach(d -> dirty.merge(new ProjectDay(d.projectId(), d.day()), d.rows(), Long::sum));
                    progress.rowsRemoved = removed.stream().mapToLong(DayCount::rows).sum();
                    return repository.load(conn, selection);
                })
                .chain(loaded -> {
                    loaded.forEach(d -> dirty.merge(new ProjectDay(d.projectId(), d.day()), d.rows(), Long::sum));
                    progress.rowsLoaded = loaded.stream().mapToLong(DayCount::rows).sum();
                    progress.daysTotal = dirty.size();
                    return progress.save("aggregating");
                })
                .chain(() -> Multi.createFrom().iterable(dirty.entrySet())
                        .onItem().transformToUniAndConcatenate(day -> repository.refreshDay(conn, day.getKey().projectId(),
                                        day.getKey().day())
                                .chain(() -> {
                                    progress.daysDone++;
                                    return progress.save("aggregating");
                                }))
                        .collect().last())
                .chain(() -> repository.maxCreated(conn, selection.snapshot()))
                .chain(maxCreated -> {
                    OffsetDateTime created = later(marks.created(), maxCreated.orElse(null));
                    progress.watermarkTo = created;
                    return repository.saveWatermarks(conn,
                            new Watermarks(created, stagedHorizon, stagedHorizon,
                                    later(marks.snapshot(), selection.snapshot())));
                });
    }

    private static Uni<Void> inTransaction(SqlConnection conn, Uni<Void> work) {
        return conn.begin().chain(tx -> work
                .chain(tx::commit)
                .onFailure().call(e -> tx.rollback().onFailure().recoverWithNull()));
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

    /** The run being written to the load log. */
    private final class Progress {
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

        Progress(CurationRun run) {
            this.run = run;
        }

        Uni<Void> save(String newPhase) {
            phase = newPhase;
            return repository.saveProgress(snapshot("running", null)).replaceWithVoid();
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
