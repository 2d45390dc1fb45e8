package dev.footfall.ingest.service;

import dev.footfall.common.time.DailyReset;
import dev.footfall.common.config.RedisKeys;
import dev.footfall.ingest.model.StoredEvent;
import dev.footfall.ingest.model.Topology;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies accepted events to the real-time counters in Redis: one hash per space ({@code count}, {@code ts} of the
 * latest applied event, {@code reset} the last reset applied), changed only by a Lua script so that every update is
 * atomic (clamp at zero, daily reset, events older than the last reset ignored). One script call per space per batch,
 * all calls of a batch sent in one pipeline.
 */
@ApplicationScoped
public class RealtimeCounters {

    static final String APPLY = """
            local h = redis.call('HMGET', KEYS[1], 'count', 'ts', 'reset')
            local count = tonumber(h[1]) or 0
            local ts = tonumber(h[2]) or -1
            local reset = tonumber(h[3]) or -1
            local lastReset = tonumber(ARGV[1])
            if lastReset > reset then
              count = 0
              reset = lastReset
            end
            for i = 2, #ARGV, 2 do
              local t = tonumber(ARGV[i])
              if t >= reset then
                count = count + tonumber(ARGV[i + 1])
                if count < 0 then count = 0 end
                if t > ts then ts = t end
              end
            end
            redis.call('HSET', KEYS[1], 'count', count, 'ts', ts, 'reset', reset)
            return count
            """;

    private final Redis redis;
    private final RedisKeys keys;
    private final Clock clock;

    RealtimeCounters(Redis redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
        this.clock = Clock.systemUTC();
    }

    /** Applies a tenant's batch's contributions; fails if Redis cannot be reached (the caller records the gap). */
    public Uni<Void> apply(String tenant, List<StoredEvent> events, Topology topology) {
        Map<String, List<String>> argsBySpace = new LinkedHashMap<>();
        for (StoredEvent e : events) {
            for (Topology.Contribution c : topology.attribute(e.dpuId(), e.timestamp(), e.direction())) {
                List<String> args = argsBySpace.computeIfAbsent(c.spaceId(), s -> {
                    List<String> first = new ArrayList<>();
                    first.add(Long.toString(lastReset(topology.resets().get(s))));
                    return first;
                });
                args.add(Long.toString(e.timestamp().toEpochMilli()));
                args.add(Integer.toString(c.delta()));
            }
        }
        if (argsBySpace.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Request> requests = new ArrayList<>(argsBySpace.size());
        argsBySpace.forEach((space, args) -> {
            Request request = Request.cmd(Command.EVAL).arg(APPLY).arg(1).arg(keys.realtime(tenant, space));
            args.forEach(request::arg);
            requests.add(request);
        });
        return redis.batch(requests).replaceWithVoid();
    }

    private long lastReset(DailyReset reset) {
        return reset == null ? -1 : reset.atOrBefore(Instant.now(clock)).toEpochMilli();
    }
}
