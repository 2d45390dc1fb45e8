package dev.footfall.count.rest;

import dev.footfall.testing.HttpContractTestBase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HttpContractTest extends HttpContractTestBase {

    @Override
    protected String writeMethod() {
        return "PUT";
    }

    @Override
    protected String writePath() {
        return "/v1/spaces/contract-1";
    }

    @Override
    protected String writeRole() {
        return "admin";
    }

    @Override
    protected String wrongTypeBody() {
        return "{\"name\":\"Contract\",\"capacity\":\"lots\"}";
    }

    @Override
    protected String wrongTypeField() {
        return "capacity";
    }

    @Override
    protected String unknownFieldBody() {
        return "{\"name\":\"Contract\",\"colour\":\"blue\"}";
    }

    @Override
    protected String readPath() {
        return "/v1/spaces";
    }
}
