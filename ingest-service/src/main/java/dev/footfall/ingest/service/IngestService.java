package dev.footfall.ingest.service;

import dev.footfall.ingest.config.IngestConfig;
import dev.footfall.ingest.model.IngestResult;
import dev.footfall.ingest.model.LoggedEvent;
import dev.footfall.ingest.model.SensorEvent;
import dev.footfall.ingest.model.StoredEvent;
import dev.footfall.ingest.model.Topology;
import dev.footfall.ingest.repository.EventRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The write path: de-duplicate, make durable, then apply to the real-time counters. Redis is a cache: when it cannot
 * be reached the batch is still accepted (it is durable), and the gap is recorded so the counters get rebuilt.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    private final EventRepository events;
    private final TopologyCache topology;
    private final RealtimeCounters counters;
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter unattributed;
    private final Counter redisFallbacks;
    private final DistributionSummary batchSize;
    private final AtomicBoolean notifyInFlight = new AtomicBoolean();
    private final AtomicBoolean notifyAgain = new AtomicBoolean();

    private final GroupedAppender appender;
    private final Vertx vertx;
    private final long notifyIntervalNanos;
    private volatile long nextNotifyNanos;

    IngestService(EventRepository events, TopologyCache topology, RealtimeCounters counters, IngestConfig config,
            MeterRegistry registry, Vertx vertx) {
        this.events = events;
        this.vertx = vertx;
        this.notifyIntervalNanos = config.append().notifyInterval().toNanos();
        this.topology = topology;
        this.counters = counters;
        this.accepted = Counter.builder("footfall.ingest.events").tag("result", "accepted")
                .description("Events stored").register(registry);
        this.duplicates = Counter.builder("footfall.ingest.events").tag("result", "duplicate")
                .description("Events received again and not stored twice").register(registry);
        this.unattributed = Counter.builder("footfall.ingest.events.unattributed")
                .description("Accepted events of sensors without a placement at their time").register(registry);
        this.redisFallbacks = Counter.builder("footfall.ingest.redis.fallbacks")
                .description("Batches accepted while the real-time counters could not be updated").register(registry);
        this.batchSize = DistributionSummary.builder("footfall.ingest.batch.size").baseUnit("events")
                .description("Events per request").register(registry);
        this.appender = new GroupedAppender(events, this::afterCommit, config.append().maxConcurrent(),
                config.batch().maxEvents(), registry);
    }

    public Uni<IngestResult> ingest(List<SensorEvent> batch, String source, String tenant, String requestId) {
        batchSize.record(batch.size());
        Map<String, SensorEvent> unique = new LinkedHashMap<>(batch.size() * 2);
        for (SensorEvent e : batch) {
            unique.putIfAbsent(e.dedupKey(), e);
        }
        List<SensorEvent> distinct = new ArrayList<>(unique.values());
        return appender.append(distinct, source, tenant, requestId).map(stored -> {
            Topology snapshot = topology.current(tenant);
            int notPlaced = (int) stored.stream().filter(e -> !snapshot.isPlaced(e.dpuId(), e.timestamp())).count();
            IngestResult result = new IngestResult(stored.size(), batch.size() - stored.size(), notPlaced);
            accepted.increment(result.accepted());
            duplicates.increment(result.duplicates());
            unattributed.increment(notPlaced);
            return result;
        });
    }

    /** Once per committed group of requests: wake count-service, then apply the group to the real-time counters. */
    private Uni<Void> afterCommit(String tenant, List<StoredEvent> stored) {
        if (!stored.isEmpty()) {
            wakeReconciler();
        }
        return applyRealtime(tenant, stored, topology.current(tenant));
    }

    /**
     * At most one NOTIFY in flight, and at most one per {@code notify-interval}: appends that commit meanwhile are
     * covered by the next one (a NOTIFY per group commit cost a statement and a transaction per few events).
     */
    private void wakeReconciler() {
        if (!notifyInFlight.compareAndSet(false, true)) {
            notifyAgain.set(true);
            return;
        }
        notifyAgain.set(false);
        long waitMillis = (nextNotifyNanos - System.nanoTime()) / 1_000_000;
        if (waitMillis > 0) {
            vertx.setTimer(waitMillis, id -> sendNotify());
        } else {
            sendNotify();
        }
    }

    private void sendNotify() {
        events.notifyAppended().onTermination().invoke(() -> {
            nextNotifyNanos = System.nanoTime() + notifyIntervalNanos;
            notifyInFlight.set(false);
            if (notifyAgain.getAndSet(false)) {
                wakeReconciler();
            }
        }).subscribe().with(v -> { }, f -> LOG.debugf("NOTIFY failed (count-service polls): %s", f.getMessage()));
    }

    public Uni<List<LoggedEvent>> find(String tenant, String dpuId, Instant from, Instant to, int limit) {
        return events.find(tenant, dpuId, from, to, limit);
    }

    private Uni<Void> applyRealtime(String tenant, List<StoredEvent> stored, Topology snapshot) {
        if (stored.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return counters.apply(tenant, stored, snapshot).onFailure().recoverWithUni(failure -> {
            redisFallbacks.increment();
            LOG.warnf("Real-time counters not updated (Redis: %s); events are durable, counters will be rebuilt",
                    failure.getMessage());
            return events.markRealtimeDirty().onFailure().recoverWithNull();
        });
    }
}
