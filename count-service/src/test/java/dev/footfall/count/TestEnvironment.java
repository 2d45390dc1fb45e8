package dev.footfall.count;

import dev.footfall.testing.FootfallTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * Every @QuarkusTest of this module runs against its own fresh database and generated keys, with ingest-service's
 * event log created from ingest-service's own migrations (the tests play the part of ingest-service).
 */
@QuarkusTestResource(TestEnvironment.WithEventLog.class)
public class TestEnvironment {

    public static class WithEventLog extends FootfallTestResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            Flyway.configure()
                    .dataSource(config.get("quarkus.datasource.jdbc.url"), "postgres", System.getenv()
                            .getOrDefault("FOOTFALL_DB_PASSWORD", ""))
                    .schemas("ingest").defaultSchema("ingest").table("flyway_schema_history")
                    .locations("classpath:db/ingest-migration")
                    .placeholders(Map.of("event_retention", "none"))
                    .load().migrate();
            return config;
        }
    }
}
