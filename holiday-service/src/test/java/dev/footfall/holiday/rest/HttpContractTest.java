package dev.footfall.holiday.rest;

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
        return "/v1/locations";
    }

    @Override
    protected String writeRole() {
        return "admin";
    }

    @Override
    protected String wrongTypeBody() {
        return "{\"country_code\":44}";
    }

    @Override
    protected String wrongTypeField() {
        return "country_code";
    }

    @Override
    protected String unknownFieldBody() {
        return "{\"country_code\":\"GB\",\"colour\":\"blue\"}";
    }

    @Override
    protected String readPath() {
        return "/v1/locations";
    }
}
