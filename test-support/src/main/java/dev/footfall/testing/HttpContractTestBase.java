package dev.footfall.testing;

import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.footfall.testing.fuzz.FuzzReport;
import dev.footfall.testing.fuzz.RawHttp;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract every service keeps (DESIGN.md, "Conventions for every endpoint"): errors are problem+json for
 * malformed JSON, wrong types, unknown fields, unknown paths, bodies over the limit, wrong media types, and missing or
 * insufficient credentials. A service's test extends this and names one JSON write endpoint and one read endpoint.
 */
public abstract class HttpContractTestBase {

    /** HTTP method of a JSON write endpoint that needs the admin role (or sensor for events). */
    protected abstract String writeMethod();

    /** Path of that write endpoint. */
    protected abstract String writePath();

    /** The role that may call the write endpoint. */
    protected abstract String writeRole();

    /** A body for the write endpoint whose one field has the wrong JSON type; names the field. */
    protected abstract String wrongTypeBody();

    protected abstract String wrongTypeField();

    /** A body with one field the endpoint does not know. */
    protected abstract String unknownFieldBody();

    /** A GET endpoint readable with the reader role. */
    protected abstract String readPath();

    /** A body size over the service's limit (1 MB unless the service sets another). */
    protected int oversizedBodyBytes() {
        return 2 * 1024 * 1024;
    }

    /** A role that must be refused the write endpoint. */
    protected String forbiddenWriteRole() {
        return "reader";
    }

    private RequestSpecification write(String role) {
        return given().auth().oauth2(Tokens.forRole(role)).contentType(ContentType.JSON);
    }

    @Test
    void malformedJsonIs400Problem() {
        assertProblem(write(writeRole()).body("nonsense {\"broken\": ").request(writeMethod(), writePath()).then(), 400)
                .body("type", equalTo("https://footfall.dev/problems/malformed-json"));
    }

    @Test
    void wrongTypeIs400ProblemNamingTheField() {
        assertProblem(write(writeRole()).body(wrongTypeBody()).request(writeMethod(), writePath()).then(), 400)
                .body("errors.field", hasItem(containsString(wrongTypeField())));
    }

    @Test
    void unknownFieldIs400Problem() {
        assertProblem(write(writeRole()).body(unknownFieldBody()).request(writeMethod(), writePath()).then(), 400)
                .body("errors.message", hasItem(containsString("unknown field")));
    }

    @Test
    void unknownPathIs404Problem() {
        assertProblem(given().auth().oauth2(Tokens.admin()).get("/v1/no-such-thing").then(), 404);
        assertProblem(given().get("/nothing/here").then(), 404);
    }

    @Test
    void bodyOverTheLimitIs413Problem() {
        String big = "{\"x\":\"" + "a".repeat(oversizedBodyBytes()) + "\"}";
        assertProblem(write(writeRole()).body(big).request(writeMethod(), writePath()).then(), 413);
    }

    @Test
    void wrongMediaTypeIs415Problem() {
        assertProblem(given().auth().oauth2(Tokens.forRole(writeRole())).contentType("text/csv").body("a;b")
                .request(writeMethod(), writePath()).then(), 415);
    }

    @Test
    void missingOrBadTokenIs401Problem() {
        assertProblem(given().contentType(ContentType.JSON).body("{}").request(writeMethod(), writePath()).then(), 401)
                .header("WWW-Authenticate", containsString("Bearer"));
        assertProblem(given().auth().oauth2("not-a-jwt").get(readPath()).then(), 401);
    }

    @Test
    void wrongRoleIs403Problem() {
        assertProblem(write(forbiddenWriteRole()).body("{}").request(writeMethod(), writePath()).then(), 403);
        assertProblem(given().auth().oauth2(Tokens.sensor()).get(readPath()).then(), 403);
    }

    @Test
    void readerCanRead() {
        given().auth().oauth2(Tokens.reader()).get(readPath()).then().statusCode(200);
    }

    @Test
    void healthOpenApiAndMetricsAreOpen() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200).body("openapi", not(equalTo(null)));
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void hostileRequestTargetsAre400Problems() {
        // Sent raw: a client library would encode them. Checked here too because *IT runs the packaged service, whose
        // entry point (FootfallMain) hands these targets from Quarkus' bare 400 to HttpEdges' problems.
        RawHttp http = new RawHttp("localhost", RestAssured.port, 30_000);
        for (String target : List.of(readPath() + "/a%00b", readPath() + "/a%G1", readPath() + "?q=%FF",
                readPath() + "/a|b", readPath() + "?q=%C0%AF")) {
            RawHttp.Response response = http.send("GET", target, List.of(RawHttp.Header.of("Authorization",
                    "Bearer " + Tokens.reader())), null);
            assertEquals(400, response.status(), target);
            assertNull(FuzzReport.problemError(response), target);
        }
    }

    @Test
    void requestIdIsEchoedOrMade() {
        given().header("X-Request-Id", "abc-123").get("/q/health/live").then().header("X-Request-Id", "abc-123");
        given().get("/q/health/live").then().header("X-Request-Id", not(equalTo(null)));
    }
}
