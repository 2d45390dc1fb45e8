package dev.footfall.count.service;

import dev.footfall.common.problem.ProblemException;
import dev.footfall.count.model.Replay;
import dev.footfall.count.repository.HistoryRepository;
import dev.footfall.count.repository.ReplayRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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

    private final Pool pool;
    private final ReplayRepository replays;
    private final HistoryRepository history;
    private final HistoryFolder folder;
    private final SpaceService spaces;
    private final Reconciler reconciler;

    ReplayService(Pool pool, ReplayRepository replays, HistoryRepository history, HistoryFolder folder,
            SpaceService spaces, Reconciler reconciler) {
        this.pool = pool;
        this.replays = replays;
        this.history = history;
        this.folder = folder;
        this.spaces = spaces;
        this.reconciler = reconciler;
    }

    public Uni<Replay> request(String spaceId, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ProblemException.badRequest("to", "must be after from");
        }
        return spaces.get(spaceId).chain(() -> replays.create(spaceId, from, to))
                .invoke(() -> runQueued().subscribe().with(v -> { }, f -> { }));
    }

    public Uni<Replay> get(String spaceId, long replayId) {
        return replays.find(spaceId, replayId).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("No replay " + replayId + " of space \"" + spaceId + "\""));
    }

    @Scheduled(every = "${footfall.count.replay.poll:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> runQueued() {
        if (!reconciler.eventLogKnown()) {
            return Uni.createFrom().voidItem();
        }
        return replays.claim().chain(replay -> replay == null ? Uni.createFrom().voidItem()
                : run(replay).chain(this::runQueued));
    }

    private Uni<Void> run(Replay replay) {
        LOG.infof("Replay %d of %s [%s, %s) started", replay.replayId(), replay.spaceId(), replay.from(), replay.to());
        AtomicLong done = new AtomicLong();
        return spaces.get(replay.spaceId())
                .chain(space -> replays.total(replay.spaceId(), replay.from(), replay.to())
                        .call(total -> replays.progress(replay.replayId(), total, 0))
                        .chain(total -> slice(replay, CountService.resetOf(space), replay.from(), total, done)))
                .chain(() -> replays.finish(replay.replayId(), "done", null))
                .invoke(() -> LOG.infof("Replay %d done: %d events", replay.replayId(), done.get()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("Replay %d failed: %s", replay.replayId(), failure.getMessage());
                    return replays.finish(replay.replayId(), "failed", failure.getMessage());
                });
    }

    private Uni<Void> slice(Replay replay, dev.footfall.common.time.DailyReset reset, Instant from, long total,
            AtomicLong done) {
        if (!from.isBefore(replay.to())) {
            return Uni.createFrom().voidItem();
        }
        Instant to = from.plus(SLICE).isBefore(replay.to()) ? from.plus(SLICE) : replay.to();
        return pool.withTransaction(conn -> history.lock(conn)
                .chain(() -> history.rederiveWindow(conn, replay.spaceId(), from, to))
                .call(n -> folder.fold(conn, replay.spaceId(), from, to, reset)))
                .chain(n -> replays.progress(replay.replayId(), total, done.addAndGet(n)))
                .chain(() -> slice(replay, reset, to, total, done));
    }
}
