package dev.footfall.ingest.service;

import dev.footfall.common.db.PgNotifications;
import dev.footfall.ingest.model.Topology;
import java.util.Map;
import dev.footfall.ingest.repository.TopologyRepository;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Keeps the topology in memory for real-time attribution. count-service NOTIFYs {@code footfall_topology} on every
 * change and this reloads at once; a periodic reload covers a missed notification.
 */
@ApplicationScoped
public class TopologyCache {

    private static final Logger LOG = Logger.getLogger(TopologyCache.class);
    static final String CHANNEL = "footfall_topology";

    private final TopologyRepository repository;
    private final PgNotifications notifications;
    /** Each tenant's topology. */
    private final AtomicReference<Map<String, Topology>> current = new AtomicReference<>(Map.of());

    TopologyCache(TopologyRepository repository, PgNotifications notifications) {
        this.repository = repository;
        this.notifications = notifications;
    }

    /** The tenant's topology (empty when it has none: its events are unattributed). */
    public Topology current(String tenant) {
        return current.get().getOrDefault(tenant, Topology.EMPTY);
    }

    void start(@Observes StartupEvent event) {
        notifications.listen(CHANNEL, payload -> reload().subscribe().with(t -> { }, f -> { }));
        reload().await().indefinitely();
    }

    @Scheduled(every = "${footfall.ingest.topology.refresh:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return reload().replaceWithVoid();
    }

    /** Loads a fresh snapshot; on failure keeps the one it has. */
    public Uni<Map<String, Topology>> reload() {
        return repository.load()
                .invoke(current::set)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Topology reload failed, keeping the previous snapshot: %s", failure.getMessage());
                    return current.get();
                });
    }
}
