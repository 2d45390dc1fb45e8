package dev.footfall.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How Footfall names its Redis keys; shared so that the writer (ingest) and the reader (count) agree. */
@ConfigMapping(prefix = "footfall.redis")
public interface RedisKeys {

    /** Prefix of every key, so several deployments (or test runs) can share one Redis. */
    @WithDefault("footfall:")
    String keyPrefix();

    /**
     * The hash holding a tenant's space's real-time counter. The tenant is the key's hash tag, so that one script call
     * over several spaces of a tenant stays on one slot of a Redis Cluster; tenant ids have no colon or brace.
     */
    default String realtime(String tenant, String spaceId) {
        return keyPrefix() + "rt:{" + tenant + "}:" + spaceId;
    }
}
