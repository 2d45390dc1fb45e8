package dev.footfall.analytics.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The HTTP contract against the packaged application (the jar here; the native executable under
 * {@code -Pnative}), started in its own process with this module's test environment (fresh database, generated
 * keys) passed to it as configuration.
 */
@QuarkusIntegrationTest
class HttpContractIT extends HttpContractTest {
}
