package dev.footfall.holiday.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.footfall.holiday.config.HolidayConfig;
import dev.footfall.holiday.repository.HolidayRepository.YearHolidays;
import dev.footfall.holiday.repository.LocationRepository.LocationState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * In-process caches of the read path. Holidays are cached per (location, version, year): versions are immutable, so
 * these entries never go stale and need no invalidation. What can change is a location's state (active, current
 * version): it is cached for a short TTL, dropped at once on this replica when it changes here, and on the other
 * replicas when they hear the PostgreSQL NOTIFY sent in the same transaction as the change.
 */
@ApplicationScoped
public class HolidayCache {

    private static final Logger LOG = Logger.getLogger(HolidayCache.class);

    public record YearKey(UUID locationId, int version, int year) {
    }

    private final HolidayConfig.Cache config;
    private final Cache<UUID, LocationState> states;
    private final Cache<YearKey, YearHolidays> years;
    private final Vertx vertx;
    private final String url;
    private final String user;
    private final Optional<String> password;
    private PgSubscriber subscriber;

    HolidayCache(HolidayConfig config, Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.config = config.cache();
        this.vertx = vertx;
        this.url = url;
        this.user = user;
        this.password = password;
        this.states = Caffeine.newBuilder().expireAfterWrite(this.config.locationTtl()).maximumSize(100_000).build();
        this.years = Caffeine.newBuilder().maximumSize(this.config.maxYears()).build();
    }

    public LocationState state(UUID locationId) {
        return states.getIfPresent(locationId);
    }

    public void putState(LocationState state) {
        states.put(state.location().locationId(), state);
    }

    public YearHolidays year(YearKey key) {
        return years.getIfPresent(key);
    }

    public void putYear(YearKey key, YearHolidays holidays) {
        years.put(key, holidays);
    }

    /** Forgets what may have changed about a location (its state); its holidays per version cannot change. */
    public void invalidate(UUID locationId) {
        states.invalidate(locationId);
    }

    public String channel() {
        return config.notifyChannel();
    }

    void listen(@Observes StartupEvent event) {
        if (!config.listen()) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user);
        password.filter(p -> !p.isEmpty()).ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(config.notifyChannel()).handler(payload -> {
            try {
                invalidate(UUID.fromString(payload));
            } catch (IllegalArgumentException e) {
                LOG.debugf("Ignoring notification %s", payload);
            }
        });
        subscriber.connect().subscribe().with(ok -> LOG.debugf("Listening on %s", config.notifyChannel()),
                e -> LOG.warnf("Cannot listen for holiday changes (TTL %s still applies): %s", config.locationTtl(), e));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.close().subscribe().with(ok -> { }, e -> { });
        }
    }
}
