package dev.footfall.count.service;

import dev.footfall.common.problem.ProblemException;
import dev.footfall.count.model.Replay;
import dev.footfall.count.repository.HistoryRepository;
import dev.footfall.count.repository.ReplayRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import dev.footfall.common.db.TenantSql;
import dev.footfall.common.time.DailyReset;
import dev.footfall.count.model.SpaceRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Replays: a window of one space's history re-derived from the raw event log, a day per transaction so that progress
 * shows and the history stays consistent after every step.
 */
@ApplicationScoped
public class ReplayService {

    private static final Logger LOG = Logger.getLogger(ReplayService.class);
    private static final Duration SLICE = Duration.ofDays(1);

    private final TenantSql tenantSql;
    private final ReplayRepository replays;
    private final HistoryRepository history;
    private final HistoryFolder folder;
    private final SpaceService spaces;
    private final Reconciler reconciler;

    ReplayService(TenantSql tenantSql, ReplayRepository replays, HistoryRepository history, HistoryFolder folder,
            SpaceService spaces, Reconciler reconciler) {
        this.tenantSql = tenantSql;
        this.replays = replays;
        this.history = history;
        this.folder = folder;
        this.spaces = spaces;
        this.reconciler = reconciler;
    }

    public Uni<Replay> request(String tenant, String spaceId, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ProblemException.badRequest("to", "must be after from");
        }
        return spaces.get(tenant, spaceId).chain(() -> replays.create(tenant, spaceId, from, to))
                .invoke(() -> runQueued().subscribe().with(v -> { },
                        f -> LOG.warnf("Replays not started: %s", f.getMessage())));
    }

    public Uni<Replay> get(String tenant, String spaceId, long replayId) {
        return replays.find(tenant, spaceId, replayId).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("No replay " + replayId + " of space \"" + spaceId + "\""));
    }

    /** Runs the queued replays of every tenant, oldest first, each as its tenant. */
    @Scheduled(every = "${footfall.count.replay.poll:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> runQueued() {
        if (!reconciler.eventLogKnown()) {
            return Uni.createFrom().voidItem();
        }
        return replays.claim().chain(claimed -> claimed == null ? Uni.createFrom().voidItem()
                : run(claimed.tenant(), claimed.replay()).chain(this::runQueued));
    }

    private Uni<Void> run(String tenant, Replay replay) {
        LOG.infof("Replay %d of %s/%s [%s, %s) started", replay.replayId(), tenant, replay.spaceId(), replay.from(),
                replay.to());
        AtomicLong done = new AtomicLong();
        SpaceRef space = new SpaceRef(tenant, replay.spaceId());
        return spaces.get(tenant, replay.spaceId())
                .chain(found -> replays.total(tenant, replay.spaceId(), replay.from(), replay.to())
                        .call(total -> replays.progress(tenant, replay.replayId(), total, 0))
                        .chain(total -> slice(space, replay, CountService.resetOf(found), replay.from(), total, done)))
                .chain(() -> replays.finish(tenant, replay.replayId(), "done", null))
                .invoke(() -> LOG.infof("Replay %d done: %d events", replay.replayId(), done.get()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("Replay %d failed: %s", replay.replayId(), failure.getMessage());
                    return replays.finish(tenant, replay.replayId(), "failed", failure.getMessage());
                });
    }

    private Uni<Void> slice(SpaceRef space, Replay replay, DailyReset reset, Instant from, long total, AtomicLong done) {
        if (!from.isBefore(replay.to())) {
            return Uni.createFrom().voidItem();
        }
        Instant to = from.plus(SLICE).isBefore(replay.to()) ? from.plus(SLICE) : replay.to();
        return tenantSql.transaction(space.tenant(), conn -> history.lock(conn)
                        .chain(() -> history.rederiveWindow(conn, space, from, to))
                        .call(n -> folder.fold(conn, space, from, to, reset)))
                .chain(n -> replays.progress(space.tenant(), replay.replayId(), total, done.addAndGet(n)))
                .chain(() -> slice(space, replay, reset, to, total, done));
    }
}
