package dev.footfall.ingest.service;

import dev.footfall.ingest.model.Topology;
import dev.footfall.ingest.repository.TopologyRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
    private final AtomicReference<Topology> current = new AtomicReference<>(Topology.EMPTY);
    private final PgSubscriber subscriber;

    TopologyCache(TopologyRepository repository, Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.repository = repository;
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(user);
        password.ifPresent(options::setPassword);
        this.subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempt -> 1000L);
    }

    public Topology current() {
        return current.get();
    }

    void start(@Observes StartupEvent event) {
        subscriber.channel(CHANNEL).handler(payload -> reload().subscribe().with(t -> { }, f -> { }));
        subscriber.connect().subscribe().with(
                ok -> LOG.debug("Listening for topology changes"),
                failure -> LOG.warnf("Cannot listen for topology changes yet: %s", failure.getMessage()));
        reload().await().indefinitely();
    }

    void stop(@Observes ShutdownEvent event) {
        subscriber.closeAndForget();
    }

    @Scheduled(every = "${footfall.ingest.topology.refresh:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return reload().replaceWithVoid();
    }

    /** Loads a fresh snapshot; on failure keeps the one it has. */
    public Uni<Topology> reload() {
        return repository.load()
                .invoke(current::set)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Topology reload failed, keeping the previous snapshot: %s", failure.getMessage());
                    return current.get();
                });
    }
}
