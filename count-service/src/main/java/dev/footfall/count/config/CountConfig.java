package dev.footfall.count.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** count-service settings. */
@ConfigMapping(prefix = "footfall.count")
public interface CountConfig {

    /** Folding new events into the history. */
    Reconciler reconciler();

    /** Real-time counters. */
    Realtime realtime();

    /** Replays. */
    Replay replay();

    /** The in-memory cache of spaces that count reads use. */
    Spaces spaces();

    /** Gauges sampled for /q/metrics. */
    Metrics metrics();

    /** Limits of the bucket query. */
    Buckets buckets();

    interface Reconciler {
        /** Poll interval; a NOTIFY from ingest-service wakes the reconciler at once. */
        @WithDefault("1s")
        Duration poll();

        /**
         * Shortest time between the end of a run that folded events and the start of the next woken one, so that a
         * stream of small appends is folded in slices (at most this much later) instead of one transaction each.
         */
        @WithDefault("200ms")
        Duration minInterval();

        /** Most events taken from the outbox per transaction (each touched space is folded once per transaction). */
        @WithDefault("50000")
        int batchSize();

        /**
         * Changed counts a fold rewrites row by row before it records the rest of a shift as an offset (space_offset)
         * instead: short corrections stay in the rows, long tails cost one offset.
         */
        @WithDefault("256")
        int rewriteLimit();
    }

    interface Realtime {
        /** How often to check whether ingest-service recorded a Redis outage (then the counters are rebuilt). */
        @WithDefault("5s")
        Duration check();
    }

    interface Spaces {
        /**
         * Age after which a cached space is reloaded (in the background). Changes reach every replica at once by
         * NOTIFY; this only bounds how long a lost notification can leave a replica behind.
         */
        @WithDefault("10s")
        Duration cacheTtl();
    }

    interface Replay {
        /** How often queued replays are picked up (a request also starts one at once). */
        @WithDefault("2s")
        Duration poll();
    }

    interface Metrics {
        /** How often occupancy and reconciliation lag are sampled. */
        @WithDefault("10s")
        Duration sample();
    }

    interface Buckets {
        /** Most buckets one query may return. */
        @WithDefault("5000")
        int maxBuckets();
    }
}
