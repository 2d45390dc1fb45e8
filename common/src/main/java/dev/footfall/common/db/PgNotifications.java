package dev.footfall.common.db;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * LISTEN on PostgreSQL channels over one dedicated connection that reconnects by itself. Services use notifications
 * to react at once (a new batch of events, a topology change); each also polls, so a missed one only delays.
 */
@ApplicationScoped
public class PgNotifications {

    private static final Logger LOG = Logger.getLogger(PgNotifications.class);

    private final PgSubscriber subscriber;
    private boolean connecting;

    PgNotifications(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", "")).setUser(user);
        password.ifPresent(options::setPassword);
        this.subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempt -> 1000L);
    }

    /** Calls {@code handler} (on an event loop; it must not block) for each notification on {@code channel}. */
    public synchronized void listen(String channel, Consumer<String> handler) {
        subscriber.channel(channel).handler(handler::accept);
        if (!connecting) {
            connecting = true;
            subscriber.connect().subscribe().with(
                    ok -> LOG.debugf("Listening on %s", channel),
                    failure -> LOG.warnf("Cannot LISTEN yet (%s); polling covers it", failure.getMessage()));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        subscriber.closeAndForget();
    }
}
