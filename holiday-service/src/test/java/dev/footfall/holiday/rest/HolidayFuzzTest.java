package dev.footfall.holiday.rest;

import dev.footfall.testing.OpenApiFuzzTestBase;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;

/** Hostile input on every holiday-service endpoint (see {@link OpenApiFuzzTestBase}). */
@QuarkusTest
class HolidayFuzzTest extends OpenApiFuzzTestBase {

    /** A seed location (seed/locations.csv), there from the start. */
    private static final String LOCATION = "9415913d-fffa-41f9-9323-6d62e6100a31";

    @Override
    protected String service() {
        return "holiday";
    }

    @Override
    protected long seed() {
        return 20_261_207_3L;
    }

    @Override
    protected Map<String, String> knownValues() {
        return Map.of("location_id", LOCATION);
    }
}
