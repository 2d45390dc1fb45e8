package dev.footfall.analytics.rest;

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
        return "/v1/heartbeats/cohorts";
    }

    @Override
    protected String writeRole() {
        return "admin";
    }

    @Override
    protected String wrongTypeBody() {
        return "[{\"id\":\"one\",\"project_id\":1,\"name\":\"Beta\"}]";
    }

    @Override
    protected String wrongTypeField() {
        return "id";
    }

    @Override
    protected String unknownFieldBody() {
        return "[{\"id\":1,\"project_id\":1,\"name\":\"Beta\",\"colour\":\"blue\"}]";
    }

    @Override
    protected String readPath() {
        return "/v1/heartbeats/cohorts";
    }
}
