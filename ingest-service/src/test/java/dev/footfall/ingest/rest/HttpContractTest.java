package dev.footfall.ingest.rest;

import dev.footfall.testing.HttpContractTestBase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HttpContractTest extends HttpContractTestBase {

    @Override
    protected String writeMethod() {
        return "POST";
    }

    @Override
    protected String writePath() {
        return "/v1/events";
    }

    @Override
    protected String writeRole() {
        return "sensor";
    }

    @Override
    protected String wrongTypeBody() {
        return "{\"dpu_id\":\"1\",\"timestamp\":\"2024-01-01T00:00:00Z\",\"direction\":\"in\"}";
    }

    @Override
    protected String wrongTypeField() {
        return "direction";
    }

    @Override
    protected String unknownFieldBody() {
        return "{\"dpu_id\":\"1\",\"timestamp\":\"2024-01-01T00:00:00Z\",\"direction\":1,\"colour\":\"blue\"}";
    }

    @Override
    protected String readPath() {
        return "/v1/events?dpu_id=nobody";
    }

    @Override
    protected String forbiddenWriteRole() {
        return "reader";
    }

    @Override
    protected int oversizedBodyBytes() {
        return 17 * 1024 * 1024;
    }
}
