package dev.footfall.count.service;

import dev.footfall.common.db.PgNotifications;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.time.DailyReset;
import dev.footfall.count.config.CountConfig;
import dev.footfall.count.model.Space;
import dev.footfall.count.repository.SpaceRepository;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * What count reads need of a space (its time zone and daily reset), kept in memory so a read costs no database round
 * trip. Every replica drops the whole cache on NOTIFY footfall_topology, which each space change sends (and this
 * replica also drops the space at once when it changes it here). An entry older than the TTL is reloaded in the
 * background while reads keep using it: the TTL bounds staleness only when a notification is lost (the LISTEN
 * connection was down), without ever making a read wait. Unknown spaces are not cached: a new one is visible at once.
 */
@ApplicationScoped
public class SpaceCache {

    private static final Logger LOG = Logger.getLogger(SpaceCache.class);

    /** A space as count reads see it. */
    public record SpaceClock(String spaceId, ZoneId zone, DailyReset reset) {
    }

    private record Entry(SpaceClock clock, long loadedAt) {
    }

    private final SpaceRepository spaces;
    private final PgNotifications notifications;
    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refreshing = new ConcurrentHashMap<>();
    /** Bumped on every invalidation, so a load that started before it does not store what it read. */
    private final AtomicLong generation = new AtomicLong();

    SpaceCache(SpaceRepository spaces, PgNotifications notifications, CountConfig config) {
        this.spaces = spaces;
        this.notifications = notifications;
        this.ttlNanos = config.spaces().cacheTtl().toNanos();
    }

    void start(@Observes StartupEvent event) {
        notifications.listen("footfall_topology", payload -> invalidateAll());
    }

    /** The space, or a 404 problem. */
    public Uni<SpaceClock> get(String spaceId) {
        Entry entry = entries.get(spaceId);
        if (entry == null) {
            return load(spaceId);
        }
        if (System.nanoTime() - entry.loadedAt() > ttlNanos && refreshing.putIfAbsent(spaceId, Boolean.TRUE) == null) {
            load(spaceId).eventually(() -> refreshing.remove(spaceId)).subscribe().with(
                    clock -> { }, failure -> LOG.debugf("Space %s not reloaded: %s", spaceId, failure.getMessage()));
        }
        return Uni.createFrom().item(entry.clock());
    }

    public void invalidate(String spaceId) {
        generation.incrementAndGet();
        entries.remove(spaceId);
    }

    public void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
    }

    private Uni<SpaceClock> load(String spaceId) {
        long seen = generation.get();
        return spaces.find(spaceId).map(space -> {
            if (space == null) {
                entries.remove(spaceId);
                throw ProblemException.notFound("No space \"" + spaceId + "\"");
            }
            SpaceClock clock = clockOf(space);
            if (generation.get() == seen) {
                entries.put(spaceId, new Entry(clock, System.nanoTime()));
            }
            return clock;
        });
    }

    static SpaceClock clockOf(Space space) {
        return new SpaceClock(space.spaceId(), ZoneId.of(space.timezone()), CountService.resetOf(space));
    }
}
