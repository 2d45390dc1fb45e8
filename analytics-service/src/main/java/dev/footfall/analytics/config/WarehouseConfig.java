package dev.footfall.analytics.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The community-events warehouse (footfall.analytics.warehouse.*). */
public interface WarehouseConfig {

    /** Safety overlap behind the change and deletion watermarks (rows committed late with an earlier timestamp). */
    @WithDefault("PT1M")
    Duration overlap();

    /** RSVP detail whose event started longer ago than this is removed by the retention job (ISO-8601, e.g. P730D). */
    @WithDefault("P730D")
    Duration rsvpRetention();

    /** How often the retention job runs (Quarkus `every` syntax; `off` disables it). */
    @WithDefault("24h")
    String retentionEvery();

    /** Sample keys listed per data-quality check. */
    @WithDefault("10")
    int qualitySamples();

    /** Groups kept per country in the top-groups gold table. */
    @WithDefault("10")
    int topGroupsPerCountry();

    /** PostgreSQL work_mem of a warehouse run's transaction. */
    @WithDefault("256MB")
    String workMem();

    /** Largest page size of the gold endpoints. */
    @WithDefault("1000")
    int maxPageSize();

    /**
     * Warehouse writers (runs, erasures, generations, retentions) of different tenants at once on one replica; beyond
     * it the API answers 503. Each holds a pooled connection (a run two) and up to work-mem per sort for its whole
     * transaction.
     */
    @WithDefault("2")
    int maxConcurrentWriters();
}
