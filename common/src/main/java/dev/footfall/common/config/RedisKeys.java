package dev.footfall.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How Footfall names its Redis keys; shared so that the writer (ingest) and the reader (count) agree. */
@ConfigMapping(prefix = "footfall.redis")
public interface RedisKeys {

    /** Prefix of every key, so several deployments (or test runs) can share one Redis. */
    @WithDefault("footfall:")
    String keyPrefix();

    /** The hash holding a space's real-time counter. */
    default String realtime(String spaceId) {
        return keyPrefix() + "rt:" + spaceId;
    }
}
