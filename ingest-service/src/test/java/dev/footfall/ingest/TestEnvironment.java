package dev.footfall.ingest;

import dev.footfall.testing.FootfallTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import java.util.Map;

/**
 * Every @QuarkusTest of this module runs against its own fresh database, roles and generated keys, with
 * count-service's schema created from count-service's own migrations, as its role (the tests play the part of
 * count-service).
 */
@QuarkusTestResource(value = TestEnvironment.WithTopology.class, initArgs = @ResourceArg(name = "service", value = "ingest"))
public class TestEnvironment {

    public static class WithTopology extends FootfallTestResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            migrate(config, "count", "classpath:db/count-migration", Map.of());
            return config;
        }
    }
}
