package dev.footfall.count;

import dev.footfall.testing.FootfallTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import java.util.Map;

/**
 * Every @QuarkusTest of this module runs against its own fresh database, roles and generated keys, with
 * ingest-service's event log created from ingest-service's own migrations, as its role (the tests play the part of
 * ingest-service).
 */
@QuarkusTestResource(value = TestEnvironment.WithEventLog.class, initArgs = @ResourceArg(name = "service", value = "count"))
public class TestEnvironment {

    public static class WithEventLog extends FootfallTestResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            migrate(config, "ingest", "classpath:db/ingest-migration", Map.of("event_retention", "none"));
            return config;
        }
    }
}
