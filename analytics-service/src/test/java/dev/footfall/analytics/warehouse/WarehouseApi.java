package dev.footfall.analytics.warehouse;

import static io.restassured.RestAssured.given;

import dev.footfall.testing.Tokens;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The warehouse API as a tenant's admin or reader: generating a world, starting a run and waiting for its end. */
final class WarehouseApi {

    private WarehouseApi() {
    }

    static RequestSpecification as(String tenant, String role) {
        return given().auth().oauth2(Tokens.forRole(role, tenant));
    }

    static JsonPath generate(String tenant, long scale, long seed, String asOf) {
        return as(tenant, "admin").queryParam("scale", scale).queryParam("seed", seed).queryParam("as_of", asOf)
                .post("/v1/warehouse/source/generate").then().statusCode(200).extract().jsonPath();
    }

    /** Starts a run (202) and answers its id. */
    static long start(String tenant) {
        return as(tenant, "admin").post("/v1/warehouse/runs").then().statusCode(202).extract().jsonPath().getLong("id");
    }

    /** The run once it is no longer running (or after two minutes). */
    static JsonPath awaitRun(String tenant, long id) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonPath run = as(tenant, "reader").get("/v1/warehouse/runs/" + id).then().statusCode(200).extract()
                    .jsonPath();
            if (!run.getString("status").equals("running") || System.currentTimeMillis() > deadline) {
                return run;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return run;
            }
        }
    }

    /** Starts a run and waits for its end. */
    static JsonPath runToEnd(String tenant) {
        return awaitRun(tenant, start(tenant));
    }
}
