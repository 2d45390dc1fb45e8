package dev.footfall.count.counting;

import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two tenants through the API: ids are namespaced per tenant, another tenant's objects answer exactly like missing
 * ones, and events count only within their own tenant, even when they name the same sensor.
 */
@QuarkusTest
class TenancyTest {

    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";

    private static RequestSpecification as(String tenant, String role) {
        return given().auth().oauth2(Tokens.forRole(role, tenant)).contentType(ContentType.JSON);
    }

    @Test
    void twoTenantsEachOwnTheSameSpaceIdAndNeitherSeesTheOther() {
        as(ACME, "admin").body("{\"name\":\"Acme lobby\"}").put("/v1/spaces/tn-lobby").then().statusCode(201);
        as(GLOBEX, "admin").body("{\"name\":\"Globex lobby\"}").put("/v1/spaces/tn-lobby").then().statusCode(201);
        as(ACME, "admin").body("{\"name\":\"Acme annex\"}").put("/v1/spaces/tn-annex").then().statusCode(201);

        as(ACME, "reader").get("/v1/spaces/tn-lobby").then().statusCode(200).body("name", equalTo("Acme lobby"));
        as(GLOBEX, "reader").get("/v1/spaces/tn-lobby").then().statusCode(200).body("name", equalTo("Globex lobby"));
        as(GLOBEX, "reader").get("/v1/spaces").then().statusCode(200)
                .body("space_id", hasItem("tn-lobby")).body("space_id", not(hasItem("tn-annex")))
                .body("name", not(hasItem("Acme lobby")));

        // Another tenant's space is answered exactly like one that does not exist.
        String missing = as(GLOBEX, "reader").get("/v1/spaces/tn-nowhere").then().statusCode(404)
                .extract().path("title");
        assertProblem(as(GLOBEX, "reader").get("/v1/spaces/tn-annex").then(), 404).body("title", equalTo(missing));
        assertProblem(as(GLOBEX, "reader").get("/v1/spaces/tn-annex/count").then(), 404);
        assertProblem(as(GLOBEX, "reader").get("/v1/spaces/tn-annex/count?at=2024-01-01T00:00:00Z").then(), 404);
        assertProblem(as(GLOBEX, "reader")
                .get("/v1/spaces/tn-annex/counts?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z").then(), 404);
        assertProblem(as(GLOBEX, "admin")
                .post("/v1/spaces/tn-annex/replay?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z").then(), 404);
        // Linking another tenant's space is linking an unknown one.
        assertProblem(as(GLOBEX, "admin").body("{\"name\":\"D\",\"spaces\":[{\"space_id\":\"tn-annex\",\"direction\":1}]}")
                .put("/v1/doorways/tn-door").then(), 400).body("errors[0].field", equalTo("spaces[0].space_id"));
        // A parent in another tenant is an unknown parent.
        assertProblem(as(GLOBEX, "admin").body("{\"name\":\"X\",\"parent_id\":\"tn-annex\"}")
                .put("/v1/spaces/tn-child").then(), 400).body("errors[0].field", equalTo("parent_id"));

        // Replacing "tn-lobby" as Globex replaces Globex's own.
        as(GLOBEX, "admin").body("{\"name\":\"Globex lobby, renamed\"}").put("/v1/spaces/tn-lobby").then()
                .statusCode(200);
        as(ACME, "reader").get("/v1/spaces/tn-lobby").then().statusCode(200).body("name", equalTo("Acme lobby"));
    }

    @Test
    void eventsNamingAnotherTenantsSensorCountOnlyForTheirOwnTenant() {
        Instant t0 = Instant.parse("2024-03-01T08:00:00Z");
        as(ACME, "admin").body("{\"name\":\"Acme hall\"}").put("/v1/spaces/tn-hall").then().statusCode(201);
        as(GLOBEX, "admin").body("{\"name\":\"Globex hall\"}").put("/v1/spaces/tn-hall").then().statusCode(201);
        as(ACME, "admin").body("{\"name\":\"Door\",\"spaces\":[{\"space_id\":\"tn-hall\",\"direction\":1}],"
                + "\"effective_from\":\"" + t0 + "\"}").put("/v1/doorways/tn-hall-door").then().statusCode(201);
        as(ACME, "admin").body("{\"doorway_id\":\"tn-hall-door\",\"installed_at\":\"" + t0 + "\"}")
                .post("/v1/dpus/tn-s1/placements").then().statusCode(201);

        EventLog.append(ACME, List.of(new EventLog.Event("tn-s1", t0.plusSeconds(10), 1),
                new EventLog.Event("tn-s1", t0.plusSeconds(20), 1),
                new EventLog.Event("tn-s1", t0.plusSeconds(30), -1)));
        // The same sensor name posted by Globex (same keys too): stored for Globex, attributed nowhere.
        EventLog.append(GLOBEX, List.of(new EventLog.Event("tn-s1", t0.plusSeconds(10), 1),
                new EventLog.Event("tn-s1", t0.plusSeconds(40), 1),
                new EventLog.Event("tn-s1", t0.plusSeconds(50), 1)));
        EventLog.awaitReconciled();

        String at = t0.plusSeconds(60).toString();
        as(ACME, "reader").get("/v1/spaces/tn-hall/count?at=" + at).then().statusCode(200).body("count", equalTo(1));
        as(GLOBEX, "reader").get("/v1/spaces/tn-hall/count?at=" + at).then().statusCode(200)
                .body("count", nullValue());

        // Globex sees neither Acme's doorway nor Acme's placements of the sensor it named.
        assertProblem(as(GLOBEX, "reader").get("/v1/doorways/tn-hall-door").then(), 404);
        assertProblem(as(GLOBEX, "reader").get("/v1/dpus/tn-s1/placements").then(), 404);
        as(ACME, "reader").get("/v1/dpus/tn-s1/placements").then().statusCode(200)
                .body("doorway_id", contains("tn-hall-door"));

        // Placing the sensor in Globex re-attributes Globex's events only.
        as(GLOBEX, "admin").body("{\"name\":\"Door\",\"spaces\":[{\"space_id\":\"tn-hall\",\"direction\":1}],"
                + "\"effective_from\":\"" + t0 + "\"}").put("/v1/doorways/tn-hall-door").then().statusCode(201);
        as(GLOBEX, "admin").body("{\"doorway_id\":\"tn-hall-door\",\"installed_at\":\"" + t0 + "\"}")
                .post("/v1/dpus/tn-s1/placements").then().statusCode(201);
        EventLog.awaitReconciled();
        as(GLOBEX, "reader").get("/v1/spaces/tn-hall/count?at=" + at).then().statusCode(200).body("count", equalTo(3));
        as(ACME, "reader").get("/v1/spaces/tn-hall/count?at=" + at).then().statusCode(200).body("count", equalTo(1));

        // A rebuild of real-time counters covers the caller's tenant only.
        int acmeSpaces = as(ACME, "reader").get("/v1/spaces").then().extract().path("size()");
        assertEquals(acmeSpaces, (int) as(ACME, "admin").post("/v1/spaces/realtime/rebuild").then().statusCode(200)
                .extract().path("spaces"));
    }
}
