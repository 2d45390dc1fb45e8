package dev.footfall.count.service;

import dev.footfall.common.config.RedisKeys;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.time.DailyReset;
import dev.footfall.count.config.CountConfig;
import dev.footfall.count.model.CountBuckets;
import dev.footfall.count.model.Space;
import dev.footfall.count.model.SpaceCount;
import dev.footfall.count.model.SpaceRef;
import dev.footfall.count.repository.HistoryRepository;
import dev.footfall.count.repository.HistoryRepository.Step;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Every count query: real-time (Redis, with the history as fallback), as of an instant, and buckets. */
@ApplicationScoped
public class CountService {

    private static final Logger LOG = Logger.getLogger(CountService.class);
    private static final Pattern INTERVAL = Pattern.compile("(\\d{1,4})([mhd])");

    private final HistoryRepository history;
    private final SpaceCache spaces;
    private final Redis redis;
    private final RedisKeys keys;
    private final int maxBuckets;
    private final Counter redisFallbacks;

    CountService(HistoryRepository history, SpaceCache spaces, Redis redis, RedisKeys keys,
            CountConfig config, MeterRegistry registry) {
        this.history = history;
        this.spaces = spaces;
        this.redis = redis;
        this.keys = keys;
        this.maxBuckets = config.buckets().maxBuckets();
        this.redisFallbacks = Counter.builder("footfall.count.redis.fallbacks")
                .description("Real-time reads answered from the history because Redis was unreachable")
                .register(registry);
    }

    /** The real-time count; from the history (as of now) when Redis has no counter or cannot be reached. */
    public Uni<SpaceCount> realtime(String tenant, String spaceId) {
        return spaces.get(new SpaceRef(tenant, spaceId)).chain(space -> {
            DailyReset reset = space.reset();
            Request get = Request.cmd(Command.HMGET).arg(keys.realtime(tenant, spaceId)).arg("count").arg("ts")
                    .arg("reset");
            return redis.send(get)
                    .map(r -> fromRedis(spaceId, r, reset))
                    .onFailure().recoverWithItem(failure -> {
                        redisFallbacks.increment();
                        LOG.debugf("Real-time read from history (Redis: %s)", failure.getMessage());
                        return null;
                    })
                    .chain(count -> count != null ? Uni.createFrom().item(count)
                            : asOf(space, Instant.now()).map(c -> new SpaceCount(spaceId, c.count(), null, c.timestamp())));
        });
    }

    public Uni<SpaceCount> asOf(String tenant, String spaceId, Instant at) {
        return spaces.get(new SpaceRef(tenant, spaceId)).chain(space -> asOf(space, at));
    }

    private Uni<SpaceCount> asOf(SpaceCache.SpaceClock space, Instant at) {
        DailyReset reset = space.reset();
        return history.asOf(space.space(), at).map(point -> {
            if (point == null) {
                return new SpaceCount(space.spaceId(), null, at, null);
            }
            boolean resetSince = reset != null && reset.atOrBefore(at).isAfter(point.ts());
            return new SpaceCount(space.spaceId(), resetSince ? 0 : point.count(), at, point.ts());
        });
    }

    public Uni<CountBuckets> buckets(String tenant, String spaceId, Instant from, Instant to, String interval) {
        if (!from.isBefore(to)) {
            throw ProblemException.badRequest("to", "must be after from");
        }
        Duration step = parseInterval(interval);
        // Before the boundaries are built: a range of centuries would take the event loop (and the heap) with it.
        // Each local day adds at most one shorter bucket, so this bounds the exact count below at twice the limit.
        if (Duration.between(from, to).dividedBy(step) > maxBuckets) {
            throw ProblemException.badRequest("interval", "gives more than " + maxBuckets + " buckets; at most "
                    + maxBuckets + " per query");
        }
        return spaces.get(new SpaceRef(tenant, spaceId)).chain(space -> {
            ZoneId zone = space.zone();
            List<Instant> bounds = boundaries(from, to, step, zone);
            if (bounds.size() - 1 > maxBuckets) {
                throw ProblemException.badRequest("interval", "gives " + (bounds.size() - 1)
                        + " buckets; at most " + maxBuckets + " per query");
            }
            DailyReset reset = space.reset();
            Instant start = bounds.get(0);
            Instant end = bounds.get(bounds.size() - 1);
            return history.window(space.space(), start, end).map(window ->
                    new CountBuckets(spaceId, interval, fold(window.prior(), window.steps(), bounds, reset)));
        });
    }

    /** Walks the window once, bucket by bucket, applying resets between contributions. */
    static List<CountBuckets.Bucket> fold(Step prior, List<Step> steps, List<Instant> bounds, DailyReset reset) {
        List<CountBuckets.Bucket> buckets = new ArrayList<>(bounds.size());
        Integer count = prior == null ? null : prior.countAfter();
        Instant resetApplied = prior == null || reset == null ? null : reset.atOrBefore(prior.ts());
        int next = 0;
        for (int b = 0; b + 1 < bounds.size(); b++) {
            Instant start = bounds.get(b);
            Instant end = bounds.get(b + 1);
            Resets resets = new Resets(reset, resetApplied);
            count = resets.applyUpTo(count, start);
            Integer countStart = count;
            Integer min = count;
            Integer max = count;
            int entrances = 0;
            int exits = 0;
            while (next < steps.size() && steps.get(next).ts().isBefore(end)) {
                Step s = steps.get(next++);
                Integer beforeStep = resets.applyUpTo(count, s.ts());
                min = minOf(min, beforeStep);
                count = s.countAfter();
                min = minOf(min, count);
                max = count == null ? max : (max == null ? count : Math.max(max, count));
                if (s.delta() > 0) {
                    entrances += s.delta();
                } else {
                    exits -= s.delta();
                }
            }
            count = resets.applyUpTo(count, end.minusNanos(1));
            min = minOf(min, count);
            resetApplied = resets.applied;
            buckets.add(new CountBuckets.Bucket(start, end, countStart, count, min, max, entrances, exits));
        }
        return buckets;
    }

    private static Integer minOf(Integer a, Integer b) {
        return a == null ? b : b == null ? a : Integer.valueOf(Math.min(a, b));
    }

    /** Tracks the latest reset already applied, so each reset zeroes the count once. */
    private static final class Resets {
        private final DailyReset reset;
        private Instant applied;

        Resets(DailyReset reset, Instant applied) {
            this.reset = reset;
            this.applied = applied;
        }

        Integer applyUpTo(Integer count, Instant t) {
            if (reset == null) {
                return count;
            }
            Instant latest = reset.atOrBefore(t);
            if (applied != null && !latest.isAfter(applied)) {
                return count;
            }
            applied = latest;
            return count == null ? null : Integer.valueOf(0);
        }
    }

    /** Bucket boundaries: whole local days for 1d; otherwise steps from each local midnight of the space. */
    static List<Instant> boundaries(Instant from, Instant to, Duration step, ZoneId zone) {
        List<Instant> bounds = new ArrayList<>();
        java.time.LocalDate day = from.atZone(zone).toLocalDate();
        Instant dayStart = day.atStartOfDay(zone).toInstant();
        Instant t = dayStart;
        while (!t.plus(step).isAfter(from) && step.compareTo(Duration.ofDays(1)) < 0) {
            t = t.plus(step);
        }
        while (t.isBefore(to)) {
            bounds.add(t);
            Instant nextDay = day.plusDays(1).atStartOfDay(zone).toInstant();
            Instant next = step.equals(Duration.ofDays(1)) ? nextDay : t.plus(step);
            if (!next.isBefore(nextDay)) {
                next = nextDay;
                day = day.plusDays(1);
            }
            t = next;
        }
        bounds.add(t);
        return bounds;
    }

    static Duration parseInterval(String interval) {
        Matcher m = interval == null ? null : INTERVAL.matcher(interval);
        if (m == null || !m.matches()) {
            throw ProblemException.badRequest("interval", "must be like 1m, 15m, 1h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(1)) > 0) {
            throw ProblemException.badRequest("interval", "must be between 1m and 1d");
        }
        return d;
    }

    private static SpaceCount fromRedis(String spaceId, Response r, DailyReset reset) {
        if (r == null || r.get(0) == null) {
            return null;
        }
        int count = r.get(0).toInteger();
        long ts = r.get(1).toLong();
        long appliedReset = r.get(2).toLong();
        if (reset != null && reset.atOrBefore(Instant.now()).toEpochMilli() > appliedReset) {
            count = 0;
        }
        return new SpaceCount(spaceId, count, null, ts < 0 ? null : Instant.ofEpochMilli(ts));
    }

    static DailyReset resetOf(Space space) {
        return space.dailyReset() == null ? null
                : new DailyReset(ZoneId.of(space.timezone()), LocalTime.parse(space.dailyReset()));
    }
}
