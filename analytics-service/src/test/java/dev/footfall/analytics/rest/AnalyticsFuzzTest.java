package dev.footfall.analytics.rest;

import dev.footfall.testing.OpenApiFuzzTestBase;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** Hostile input on every analytics-service endpoint (see {@link OpenApiFuzzTestBase}). */
@QuarkusTest
class AnalyticsFuzzTest extends OpenApiFuzzTestBase {

    @Override
    protected String service() {
        return "analytics";
    }

    @Override
    protected long seed() {
        return 20_261_207_4L;
    }

    /** The warehouse's stand-in source database is a schema of this service too (migration V3). */
    @Override
    protected List<String> schemas() {
        return List.of("analytics", "source");
    }
}
