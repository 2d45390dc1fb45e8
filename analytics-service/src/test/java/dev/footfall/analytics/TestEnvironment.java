package dev.footfall.analytics;

import dev.footfall.testing.FootfallTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/** Every @QuarkusTest of this module runs against its own fresh database and generated keys. */
@QuarkusTestResource(FootfallTestResource.class)
public class TestEnvironment {
}
