package dev.footfall.count.service;

import dev.footfall.common.config.RedisKeys;
import dev.footfall.count.model.SpaceRef;
import dev.footfall.count.repository.HistoryRepository;
import dev.footfall.count.repository.SpaceRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Gauges sampled off the request path: the real-time occupancy of every space ({@code footfall_space_occupancy}) and
 * how long the oldest accepted event has waited to be folded into history
 * ({@code footfall_count_reconciliation_lag_seconds}). Scrapes read the last sample; nothing blocks.
 */
@ApplicationScoped
public class CountMetrics {

    private static final Logger LOG = Logger.getLogger(CountMetrics.class);

    private final Pool pool;
    private final SpaceRepository spaces;
    private final HistoryRepository history;
    private final Reconciler reconciler;
    private final Redis redis;
    private final RedisKeys keys;
    private final MeterRegistry registry;
    private final Map<SpaceRef, AtomicLong> occupancy = new ConcurrentHashMap<>();
    private final AtomicLong lagMillis = new AtomicLong();

    CountMetrics(Pool pool, SpaceRepository spaces, HistoryRepository history, Reconciler reconciler, Redis redis,
            RedisKeys keys, MeterRegistry registry) {
        this.pool = pool;
        this.spaces = spaces;
        this.history = history;
        this.reconciler = reconciler;
        this.redis = redis;
        this.keys = keys;
        this.registry = registry;
        Gauge.builder("footfall.count.reconciliation.lag", lagMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("Age of the oldest accepted event not yet folded into the count history")
                .register(registry);
    }

    @Scheduled(every = "${footfall.count.metrics.sample:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        Uni<Void> lag = reconciler.eventLogKnown()
                ? history.outboxLag().invoke(s -> lagMillis.set(Math.round(s * 1000))).replaceWithVoid()
                : Uni.createFrom().voidItem();
        return lag.chain(() -> spaces.listAll()).chain(this::sampleOccupancy)
                .onFailure().recoverWithItem(f -> {
                    LOG.debugf("Metrics sample skipped: %s", f.getMessage());
                    return null;
                });
    }

    private Uni<Void> sampleOccupancy(List<SpaceRef> all) {
        if (all.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Request> reads = all.stream()
                .map(s -> Request.cmd(Command.HGET).arg(keys.realtime(s.tenant(), s.spaceId())).arg("count")).toList();
        return redis.batch(reads).invoke(responses -> {
            for (int i = 0; i < all.size(); i++) {
                if (responses.get(i) != null) {
                    gauge(all.get(i)).set(responses.get(i).toLong());
                }
            }
        }).replaceWithVoid();
    }

    private AtomicLong gauge(SpaceRef space) {
        return occupancy.computeIfAbsent(space, id -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("footfall.space.occupancy", value, AtomicLong::get).tag("tenant", id.tenant())
                    .tag("space_id", id.spaceId())
                    .description("Real-time count of people in the space").register(registry);
            return value;
        });
    }
}
