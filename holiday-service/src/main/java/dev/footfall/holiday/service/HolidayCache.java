package dev.footfall.holiday.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.footfall.common.db.PgNotifications;
import dev.footfall.holiday.config.HolidayConfig;
import dev.footfall.holiday.model.LocationRef;
import dev.footfall.holiday.repository.HolidayRepository.YearHolidays;
import dev.footfall.holiday.repository.LocationRepository;
import dev.footfall.holiday.repository.LocationRepository.LocationState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jboss.logging.Logger;

/**
 * In-process caches of the read path. Every key names the location's tenant: two tenants may each have a location
 * with the same id, and neither is ever answered from the other's entries.
 * <ul>
 * <li>Rendered answers (the JSON or iCalendar bytes and their ETag) per (location, version, range, types, format), and
 * holidays per (location, version, year): a version never changes, so these entries cannot go stale.</li>
 * <li>A location's state (active, current version), which can change: trusted for at most {@code location-ttl} after
 * it was read, and re-read for all cached locations in one query every half of that, so requests find it fresh
 * instead of waiting for the database. A change made on this replica drops the state at once; other replicas drop it
 * when they hear the PostgreSQL NOTIFY sent in the same transaction as the change; the TTL bounds staleness when a
 * notification is missed.</li>
 * </ul>
 * A state read from the database is stored only if no change of that location was announced while it was read (a
 * ticket per stripe of locations), so a read that raced with a change cannot put the old state back.
 */
@ApplicationScoped
public class HolidayCache {

    private static final Logger LOG = Logger.getLogger(HolidayCache.class);
    private static final int STRIPES = 1024;
    /** Locations re-read per query by the background refresh. */
    private static final int REFRESH_CHUNK = 1000;

    public record YearKey(LocationRef location, int version, int year) {
    }

    /** Everything a rendered answer depends on; the location's codes never change, so they are not part of it. */
    public record AnswerKey(LocationRef location, int version, LocalDate from, LocalDate to, int typeBits,
            String format) {
    }

    /** The bytes of an answer and their entity tag. */
    public record Rendered(byte[] body, String etag) {
    }

    private record CachedState(LocationState state, long readAtNanos) {
    }

    private final HolidayConfig.Cache config;
    private final LocationRepository locations;
    private final PgNotifications notifications;
    private final Vertx vertx;
    private final long ttlNanos;
    private final AtomicLongArray changes = new AtomicLongArray(STRIPES);
    private final Cache<LocationRef, CachedState> states;
    private final Cache<YearKey, YearHolidays> years;
    private final Cache<AnswerKey, Rendered> answers;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private long timer = -1;

    HolidayCache(HolidayConfig config, LocationRepository locations, PgNotifications notifications, Vertx vertx) {
        this.config = config.cache();
        this.locations = locations;
        this.notifications = notifications;
        this.vertx = vertx;
        this.ttlNanos = this.config.locationTtl().toNanos();
        // Caffeine's maintenance runs on the calling thread: it is short, and a hop to the common pool is not.
        this.states = Caffeine.newBuilder().expireAfterAccess(this.config.locationIdle()).maximumSize(100_000)
                .executor(Runnable::run).build();
        this.years = Caffeine.newBuilder().maximumSize(this.config.maxYears()).executor(Runnable::run).build();
        this.answers = Caffeine.newBuilder().maximumWeight(this.config.maxAnswerBytes().asLongValue())
                .<AnswerKey, Rendered>weigher((key, value) -> value.body().length + 96)
                .executor(Runnable::run).build();
    }

    /** The location's state if it was read less than {@code location-ttl} ago and has not changed since; else null. */
    public LocationState freshState(LocationRef location) {
        CachedState cached = states.getIfPresent(location);
        if (cached == null || System.nanoTime() - cached.readAtNanos() >= ttlNanos) {
            return null;
        }
        return cached.state();
    }

    /** Reads the location's state from the database and keeps it; null when the tenant has no such location. */
    public Uni<LocationState> readState(LocationRef location) {
        long ticket = changes.get(stripe(location));
        long readAt = System.nanoTime();
        return locations.state(location).invoke(state -> {
            if (state != null) {
                keep(state, ticket, readAt);
            }
        });
    }

    public YearHolidays year(YearKey key) {
        return years.getIfPresent(key);
    }

    public void putYear(YearKey key, YearHolidays holidays) {
        years.put(key, holidays);
    }

    public Rendered answer(AnswerKey key) {
        return answers.getIfPresent(key);
    }

    public void putAnswer(AnswerKey key, Rendered rendered) {
        answers.put(key, rendered);
    }

    /** Forgets what may have changed about a location (its state); its answers per version cannot change. */
    public void invalidate(LocationRef location) {
        changes.incrementAndGet(stripe(location));
        states.invalidate(location);
    }

    public String channel() {
        return config.notifyChannel();
    }

    /** What a change's NOTIFY carries: the tenant, a space, the location id (a UUID never holds a space). */
    public static String notification(LocationRef location) {
        return location.tenant() + " " + location.locationId();
    }

    /** The location a NOTIFY payload names; null when it names none. */
    static LocationRef notified(String payload) {
        int space = payload.lastIndexOf(' ');
        if (space <= 0) {
            return null;
        }
        try {
            return new LocationRef(payload.substring(0, space), UUID.fromString(payload.substring(space + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Stores a state read from the database unless a change of its location was announced since the read began. */
    private void keep(LocationState state, long ticket, long readAtNanos) {
        LocationRef id = state.ref();
        int stripe = stripe(id);
        if (changes.get(stripe) != ticket) {
            return;
        }
        states.put(id, new CachedState(state, readAtNanos));
        if (changes.get(stripe) != ticket) {
            // A change was announced between the check and the put: drop what may be the old state.
            states.invalidate(id);
        }
    }

    private static int stripe(LocationRef id) {
        return (id.hashCode() & 0x7fffffff) % STRIPES;
    }

    void start(@Observes StartupEvent event) {
        if (config.listen()) {
            notifications.listen(config.notifyChannel(), payload -> {
                LocationRef location = notified(payload);
                if (location != null) {
                    invalidate(location);
                } else {
                    LOG.debugf("Ignoring notification %s", payload);
                }
            });
        }
        long period = Math.max(10, config.locationTtl().toMillis() / 2);
        timer = vertx.setPeriodic(period, id -> refreshStates());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Re-reads the states of every cached location, whatever its tenant (one query per thousand, in the system scope:
     * each row is kept under its own tenant), unless the last run is still going.
     */
    void refreshStates() {
        List<LocationRef> ids = new ArrayList<>(states.asMap().keySet());
        if (ids.isEmpty() || !refreshing.compareAndSet(false, true)) {
            return;
        }
        List<List<LocationRef>> chunks = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += REFRESH_CHUNK) {
            chunks.add(ids.subList(i, Math.min(ids.size(), i + REFRESH_CHUNK)));
        }
        Multi.createFrom().iterable(chunks).onItem().transformToUniAndConcatenate(this::reread).collect().last()
                .subscribe().with(done -> refreshing.set(false), failure -> {
                    refreshing.set(false);
                    // Requests read the states themselves once they are older than the TTL.
                    LOG.debugf("Cannot re-read location states: %s", failure.getMessage());
                });
    }

    private Uni<Void> reread(List<LocationRef> chunk) {
        long[] tickets = new long[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            tickets[i] = changes.get(i);
        }
        long readAt = System.nanoTime();
        return locations.states(chunk).invoke(found -> {
            for (LocationState state : found) {
                keep(state, tickets[stripe(state.ref())], readAt);
            }
        }).replaceWithVoid();
    }
}
