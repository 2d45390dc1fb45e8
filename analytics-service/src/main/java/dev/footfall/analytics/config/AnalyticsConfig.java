package dev.footfall.analytics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of analytics-service; every property can be set by environment variable (FOOTFALL_ANALYTICS_...). */
@ConfigMapping(prefix = "footfall.analytics")
public interface AnalyticsConfig {

    /** Device heartbeats: staging, curation and percentiles. */
    Heartbeat heartbeat();

    /** The community-events warehouse: runs, quality checks, erasure and retention. */
    WarehouseConfig warehouse();

    /** App sessions: CSV import and sessionization. */
    SessionConfig session();

    /**
     * Body limit of every endpoint except the streamed CSV upload of app sessions, which has the service-wide
     * quarkus.http.limits.max-body-size.
     */
    @WithDefault("1M")
    String jsonMaxBodySize();

    interface Heartbeat {

        /** Incremental curation of staged heartbeats into the curated table. */
        Curation curation();

        /** Daily partitions of the curated table created ahead of today (UTC) by every curation run. */
        @WithDefault("7")
        int partitionsAhead();

        /** PostgreSQL work_mem for a percentile query (the merge of the buckets holding the wanted ranks). */
        @WithDefault("32MB")
        String queryWorkMem();

        /** Longest range a percentile query may span, in days. */
        @WithDefault("731")
        int maxQueryDays();

        /** Most invalid items listed in one problem response (all are counted in its detail). */
        @WithDefault("100")
        int maxItemErrors();
    }

    interface Curation {

        /** How often the scheduled curation runs (Quarkus `every` syntax, e.g. 5m; `off` disables it). */
        @WithDefault("5m")
        String every();

        /** Safety overlap for late data: heartbeats created up to this long before the watermark are looked at again. */
        @WithDefault("PT2H")
        Duration overlap();

        /**
         * Fallback overlap of the staging-time watermarks (rows and dimensions staged since the previous run), used
         * only when a session's open transaction cannot be seen in pg_stat_activity (another role's, without
         * pg_read_all_stats); otherwise the watermark is moved back to exactly the oldest open transaction's start.
         */
        @WithDefault("PT1M")
        Duration stagedOverlap();

        /** PostgreSQL work_mem for the curation transaction (sorts and hashes of a whole batch stay in memory). */
        @WithDefault("256MB")
        String workMem();
    }
}
