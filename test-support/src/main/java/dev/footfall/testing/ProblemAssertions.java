package dev.footfall.testing;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.ValidatableResponse;

/** The problem+json shape every error must have. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    public static ValidatableResponse assertProblem(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("type", startsWith("https://footfall.dev/problems/"))
                .body("detail", notNullValue());
    }
}
