package dev.footfall.analytics;

import dev.footfall.testing.FootfallTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Every @QuarkusTest of this module runs against its own fresh database, roles and generated keys. */
@QuarkusTestResource(value = FootfallTestResource.class, initArgs = @ResourceArg(name = "service", value = "analytics"))
public class TestEnvironment {
}
