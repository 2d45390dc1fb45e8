package dev.footfall.holiday.rest;

import static io.restassured.RestAssured.given;

import dev.footfall.testing.CrossTenantTestBase;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.Set;

/** Every operation of holiday-service's document, called by tenant B's admin with tenant A's location. */
@QuarkusTest
class CrossTenantTest extends CrossTenantTestBase {

    private static final String LOCATION = "a7f3c0de-0000-4000-8000-00000000a7f3";
    private static final Map<String, String> RANGE = Map.of("from", "2026-01-01", "to", "2026-12-31");

    @Override
    protected Map<String, String> setUpTenantA() {
        given().auth().oauth2(Tokens.forRole("admin", TENANT_A)).contentType(ContentType.JSON)
                .body("{\"location_id\":\"" + LOCATION + "\",\"country_code\":\"GB\",\"subdivision_code\":\"GB-NSM\"}")
                .post("/v1/locations").then().statusCode(201);
        return ids("location_id", LOCATION);
    }

    @Override
    protected Set<String> markers() {
        return Set.of(LOCATION);
    }

    @Override
    protected Map<String, String> queryParams(String operation) {
        return switch (operation) {
            case "GET /v1/locations/{location_id}/holidays", "GET /v1/locations/{location_id}/holidays.ics" -> RANGE;
            case "GET /v1/holidays" -> Map.of("location_id", LOCATION, "from", "2026-01-01", "to", "2026-12-31");
            default -> Map.of();
        };
    }

    @Override
    protected Body body(String operation) {
        // B adds a location with A's id (its own, in another country); B's DELETE then deactivates that one.
        return operation.equals("POST /v1/locations")
                ? Body.json("{\"location_id\":\"" + LOCATION + "\",\"country_code\":\"NL\",\"subdivision_code\":\"NL-ZH\"}")
                : null;
    }
}
