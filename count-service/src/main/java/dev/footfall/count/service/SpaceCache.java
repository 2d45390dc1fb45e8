package dev.footfall.count.service;

import dev.footfall.common.db.PgNotifications;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.time.DailyReset;
import dev.footfall.count.config.CountConfig;
import dev.footfall.count.model.SpaceRef;
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
    public record SpaceClock(SpaceRef space, ZoneId zone, DailyReset reset) {
        public String spaceId() {
            return space.spaceId();
        }
    }

    private record Entry(SpaceClock clock, long loadedAt) {
    }

    private final SpaceRepository spaces;
    private final PgNotifications notifications;
    private final long ttlNanos;
    private final Map<SpaceRef, Entry> entries = new ConcurrentHashMap<>();
    private final Map<SpaceRef, Boolean> refreshing = new ConcurrentHashMap<>();
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

    /** The tenant's space, or a 404 problem (another tenant's space is as unknown as a missing one). */
    public Uni<SpaceClock> get(SpaceRef space) {
        Entry entry = entries.get(space);
        if (entry == null) {
            return load(space);
        }
        if (System.nanoTime() - entry.loadedAt() > ttlNanos && refreshing.putIfAbsent(space, Boolean.TRUE) == null) {
            load(space).eventually(() -> refreshing.remove(space)).subscribe().with(
                    clock -> { }, failure -> LOG.debugf("Space %s not reloaded: %s", space, failure.getMessage()));
        }
        return Uni.createFrom().item(entry.clock());
    }

    public void invalidate(SpaceRef space) {
        generation.incrementAndGet();
        entries.remove(space);
    }

    public void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
    }

    private Uni<SpaceClock> load(SpaceRef ref) {
        long seen = generation.get();
        return spaces.find(ref.tenant(), ref.spaceId()).map(space -> {
            if (space == null) {
                entries.remove(ref);
                throw ProblemException.notFound("No space \"" + ref.spaceId() + "\"");
            }
            SpaceClock clock = new SpaceClock(ref, ZoneId.of(space.timezone()), CountService.resetOf(space));
            if (generation.get() == seen) {
                entries.put(ref, new Entry(clock, System.nanoTime()));
            }
            return clock;
        });
    }
}
