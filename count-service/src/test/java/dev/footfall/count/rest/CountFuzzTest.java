package dev.footfall.count.rest;

import static io.restassured.RestAssured.given;

import dev.footfall.testing.OpenApiFuzzTestBase;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;

/** Hostile input on every count-service endpoint (see {@link OpenApiFuzzTestBase}). */
@QuarkusTest
class CountFuzzTest extends OpenApiFuzzTestBase {

    @Override
    protected String service() {
        return "count";
    }

    @Override
    protected long seed() {
        return 20_261_207L;
    }

    /** A space, a doorway into it and a placed sensor, so that requests reach the checks behind the lookups. */
    @Override
    protected void prepare() {
        String admin = Tokens.forRole("admin", tenant());
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": \"Fuzz space\"}")
                .put("/v1/spaces/fuzz-space").then().statusCode(201);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Fuzz door\", \"spaces\": [{\"space_id\": \"fuzz-space\", \"direction\": 1}]}")
                .put("/v1/doorways/fuzz-door").then().statusCode(201);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"doorway_id\": \"fuzz-door\"}")
                .post("/v1/dpus/fuzz-dpu/placements").then().statusCode(201);
    }

    @Override
    protected Map<String, String> knownValues() {
        return Map.of("space_id", "fuzz-space", "doorway_id", "fuzz-door", "dpu_id", "fuzz-dpu");
    }
}
