package dev.footfall.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** ingest-service settings. */
@ConfigMapping(prefix = "footfall.ingest")
public interface IngestConfig {

    /** Limits of one POST /v1/events. */
    Batch batch();

    /** How appends are grouped (see README, "Group commit"). */
    Append append();

    /** How the sensor topology (placements, doorway links, spaces) is kept fresh. */
    Topology topology();

    interface Batch {
        /** Most events in one request; more is answered 413. */
        @WithDefault("10000")
        int maxEvents();
    }

    interface Append {
        /**
         * Appends running at once; requests arriving while all are busy wait and go together in the next one (one
         * statement, one commit). Keep it below the connection pool size.
         */
        @WithDefault("4")
        int maxConcurrent();

        /**
         * Shortest time between two wake-ups of count-service (NOTIFY footfall_events). Appends that commit meanwhile
         * are covered by the next one; count-service folds at most every 200 ms and also polls every second.
         */
        @WithDefault("50ms")
        Duration notifyInterval();
    }

    interface Topology {
        /** Reload interval; a change in count-service also triggers a reload at once (LISTEN footfall_topology). */
        @WithDefault("30s")
        Duration refresh();
    }
}
