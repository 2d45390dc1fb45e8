package dev.footfall.ingest;

import dev.footfall.testing.FootfallTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * Every @QuarkusTest of this module runs against its own fresh database and generated keys, with count-service's
 * topology tables created from count-service's own migrations (the tests play the part of count-service).
 */
@QuarkusTestResource(TestEnvironment.WithTopology.class)
public class TestEnvironment {

    public static class WithTopology extends FootfallTestResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            migrateCountSchema(config.get("quarkus.datasource.jdbc.url"));
            return config;
        }
    }

    public static void migrateCountSchema(String jdbcUrl) {
        Flyway.configure().dataSource(jdbcUrl, "postgres", "")
                .schemas("count").defaultSchema("count").table("flyway_schema_history")
                .locations("classpath:db/count-migration")
                .load().migrate();
    }
}
