package dev.footfall.count.service;

import dev.footfall.common.config.RedisKeys;
import dev.footfall.count.repository.HistoryRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Rebuilds the real-time counters in Redis from the reconciled history: on demand, and by itself once Redis is back
 * after ingest-service recorded that it could not update them.
 */
@ApplicationScoped
public class RealtimeService {

    private static final Logger LOG = Logger.getLogger(RealtimeService.class);

    private final Pool pool;
    private final HistoryRepository history;
    private final Reconciler reconciler;
    private final Redis redis;
    private final RedisKeys keys;

    RealtimeService(Pool pool, HistoryRepository history, Reconciler reconciler, Redis redis, RedisKeys keys) {
        this.pool = pool;
        this.history = history;
        this.reconciler = reconciler;
        this.redis = redis;
        this.keys = keys;
    }

    public record Rebuilt(int spaces, Instant at) {
    }

    /**
     * Folds what is queued, then writes every space's count as of now to Redis in one pipeline: the tenant's spaces,
     * or every tenant's when {@code tenant} is null (the automatic rebuild after an outage).
     */
    public Uni<Rebuilt> rebuild(String tenant) {
        Instant now = Instant.now();
        return reconciler.drain().chain(() -> history.currentAll(tenant, now)).chain(all -> {
            List<Request> writes = new ArrayList<>(all.size());
            for (HistoryRepository.Current c : all) {
                String key = keys.realtime(c.space().tenant(), c.space().spaceId());
                if (c.ts() == null) {
                    writes.add(Request.cmd(Command.DEL).arg(key));
                    continue;
                }
                long lastReset = c.reset() == null ? -1 : c.reset().atOrBefore(now).toEpochMilli();
                int count = c.reset() != null && lastReset > c.ts().toEpochMilli() ? 0 : c.count();
                writes.add(Request.cmd(Command.HSET).arg(key).arg("count").arg(count)
                        .arg("ts").arg(c.ts().toEpochMilli()).arg("reset").arg(lastReset));
            }
            return writes.isEmpty() ? Uni.createFrom().item(new Rebuilt(0, now))
                    : redis.batch(writes).map(r -> new Rebuilt(all.size(), now));
        }).invoke(r -> LOG.infof("Real-time counters rebuilt for %d spaces", r.spaces()));
    }

    /** Rebuilds once Redis answers again, if ingest-service recorded events it could not apply. */
    @Scheduled(every = "${footfall.count.realtime.check:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> rebuildWhenNeeded() {
        if (!reconciler.eventLogKnown()) {
            return Uni.createFrom().voidItem();
        }
        return history.realtimeDirtySince(pool).chain(dirtySince -> {
            if (dirtySince == null) {
                return Uni.createFrom().voidItem();
            }
            return redis.send(Request.cmd(Command.PING))
                    .chain(() -> rebuild(null))
                    .chain(() -> history.markRealtimeClean(pool, dirtySince))
                    .replaceWithVoid();
        }).onFailure().recoverWithItem(failure -> {
            LOG.debugf("Real-time rebuild not possible yet: %s", failure.getMessage());
            return null;
        });
    }
}
