package dev.footfall.ingest.rest;

import dev.footfall.testing.OpenApiFuzzTestBase;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;

/** Hostile input on every ingest-service endpoint (see {@link OpenApiFuzzTestBase}). */
@QuarkusTest
class IngestFuzzTest extends OpenApiFuzzTestBase {

    @Override
    protected String service() {
        return "ingest";
    }

    @Override
    protected long seed() {
        return 20_261_207_1L;
    }

    @Override
    protected Map<String, String> knownValues() {
        return Map.of("dpu_id", "fuzz-dpu");
    }
}
