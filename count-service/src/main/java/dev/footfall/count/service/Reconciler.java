package dev.footfall.count.service;

import dev.footfall.common.db.PgNotifications;
import dev.footfall.common.db.TenantSql;
import dev.footfall.common.time.DailyReset;
import dev.footfall.count.config.CountConfig;
import dev.footfall.count.model.SpaceRef;
import dev.footfall.count.repository.HistoryRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Folds newly accepted events into the count history. Each run is one transaction that takes the history lock (so
 * one replica at a time), takes a slice of ingest-service's outbox, inserts the events' contributions and refolds the
 * spaces they touch. It works across tenants, in the system scope: each event is attributed to its own tenant's
 * spaces only. The delete commits with the history or not at all: no event is missed or folded twice, whichever
 * service restarts when. Woken by NOTIFY footfall_events; also polls.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final Pool pool;
    private final TenantSql tenantSql;
    private final HistoryRepository history;
    private final HistoryFolder folder;
    private final PgNotifications notifications;
    private final int batchSize;
    private final long minIntervalNanos;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final Counter folded;
    private volatile boolean logExists;
    /** When a woken run may start: a trickle of events is folded in slices, not one transaction per NOTIFY. */
    private volatile long notBeforeNanos;

    Reconciler(Pool pool, TenantSql tenantSql, HistoryRepository history, HistoryFolder folder,
            PgNotifications notifications, CountConfig config, MeterRegistry registry, Vertx vertx) {
        this.pool = pool;
        this.tenantSql = tenantSql;
        this.history = history;
        this.folder = folder;
        this.notifications = notifications;
        this.batchSize = config.reconciler().batchSize();
        this.minIntervalNanos = config.reconciler().minInterval().toNanos();
        this.vertx = vertx;
        this.folded = Counter.builder("footfall.count.events.reconciled")
                .description("Events folded into the count history").register(registry);
    }

    void start(@Observes StartupEvent event) {
        notifications.listen("footfall_events", payload -> wake());
    }

    @Scheduled(every = "${footfall.count.reconciler.poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        wake();
        return Uni.createFrom().voidItem();
    }

    /**
     * Runs now, or once more after the run in progress, but never sooner than {@code min-interval} after a run that
     * folded something: under a stream of small appends each NOTIFY would otherwise cost a transaction and a fold.
     */
    public void wake() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            long waitMillis = (notBeforeNanos - System.nanoTime()) / 1_000_000;
            if (waitMillis > 0) {
                vertx.setTimer(waitMillis, id -> runWoken());
            } else {
                runWoken();
            }
        }
    }

    private void runWoken() {
        drain().subscribe().with(n -> { }, f -> LOG.warnf("Reconciliation failed, will retry: %s", f.getMessage()));
    }

    /**
     * Folds everything queued so far; completes when a run found less than a full slice (it took the whole queue) or
     * nothing. Only a full slice runs the next one at once: a run that caught up lets {@code min-interval} pass first,
     * otherwise a steady stream of appends would be folded back to back in slices of a few hundred events, each
     * paying the transaction and rewriting the counts that out-of-order commits moved.
     */
    public Uni<Integer> drain() {
        again.set(false);
        return Multi.createBy().repeating().uni(this::runOnce).whilst(n -> n >= batchSize)
                .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue))
                .invoke(total -> {
                    if (total > 0) {
                        notBeforeNanos = System.nanoTime() + minIntervalNanos;
                    }
                })
                .eventually(() -> {
                    running.set(false);
                    if (again.get()) {
                        wake();
                    }
                });
    }

    /**
     * One transaction, when anything is queued; returns the events and refolds handled (0: nothing to do, or another
     * replica holds the lock). An idle poll used to cost a transaction of seven statements (about 1 ms of a database
     * core each second, in bursts that delayed the read path's threads: bench/README.md).
     */
    Uni<Integer> runOnce() {
        return checkLog().chain(exists -> history.workQueued(exists).chain(queued -> queued
                ? runTransaction(exists)
                : Uni.createFrom().item(0)));
    }

    private Uni<Integer> runTransaction(boolean exists) {
        return tenantSql.systemTransaction(conn -> history.tryLock(conn).chain(locked -> {
            if (!locked) {
                return Uni.createFrom().item(0);
            }
            Uni<HistoryRepository.Consumed> consumed = exists
                    ? history.consume(conn, batchSize)
                    : Uni.createFrom().item(new HistoryRepository.Consumed(0, Map.of()));
            return consumed.chain(c -> history.takeRefolds(conn).chain(refolds -> {
                Map<SpaceRef, Work> work = new HashMap<>();
                c.added().forEach((space, added) -> work.put(space, new Work(added.get(0).ts(),
                        added.get(added.size() - 1).ts(), added)));
                refolds.forEach((space, from) -> work.merge(space, new Work(from, null, List.of()),
                        (a, b) -> new Work(a.from().isBefore(b.from()) ? a.from() : b.from(), null, a.added())));
                if (work.isEmpty()) {
                    return Uni.createFrom().item(c.events());
                }
                return history.resets(conn, work.keySet()).chain(resets -> foldAll(conn, work, resets))
                        .invoke(() -> folded.increment(c.events()))
                        .replaceWith(c.events() + refolds.size());
            }));
        }));
    }

    /** One space's share of a run: fold from {@code from}; {@code lastNew} null folds to the end (a refold). */
    private record Work(Instant from, Instant lastNew, List<HistoryRepository.Contribution> added) {
    }

    /** Each touched space once, from its earliest new contribution or requested refold. */
    private Uni<Void> foldAll(SqlConnection conn, Map<SpaceRef, Work> work, Map<SpaceRef, DailyReset> resets) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<SpaceRef, Work> e : work.entrySet()) {
            Work w = e.getValue();
            chain = chain.chain(() -> folder.fold(conn, e.getKey(), w.from(), w.lastNew(), resets.get(e.getKey()),
                    w.added()).replaceWithVoid());
        }
        return chain;
    }

    private Uni<Boolean> checkLog() {
        if (logExists) {
            return Uni.createFrom().item(true);
        }
        return history.eventLogExists(pool).invoke(exists -> logExists = exists);
    }

    public boolean eventLogKnown() {
        return logExists;
    }
}
