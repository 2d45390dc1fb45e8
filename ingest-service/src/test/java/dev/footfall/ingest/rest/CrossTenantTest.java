package dev.footfall.ingest.rest;

import static io.restassured.RestAssured.given;

import dev.footfall.testing.CrossTenantTestBase;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.Set;

/** Every operation of ingest-service's document, called by tenant B's admin with tenant A's sensor. */
@QuarkusTest
class CrossTenantTest extends CrossTenantTestBase {

    private static final String DPU = "xt-a-dpu-7f3c";
    private static final String EVENT = "xt-a-event-7f3c";

    @Override
    protected Map<String, String> setUpTenantA() {
        given().auth().oauth2(Tokens.forRole("sensor", TENANT_A)).contentType(ContentType.JSON)
                .body("[{\"id\":\"" + EVENT + "\",\"dpu_id\":\"" + DPU + "\",\"timestamp\":\"2024-05-01T08:00:00Z\","
                        + "\"direction\":1},{\"dpu_id\":\"" + DPU + "\",\"timestamp\":\"2024-05-01T08:01:00Z\","
                        + "\"direction\":-1}]")
                .post("/v1/events").then().statusCode(202);
        return ids();
    }

    @Override
    protected Set<String> markers() {
        return Set.of(DPU, EVENT);
    }

    @Override
    protected Map<String, String> queryParams(String operation) {
        return operation.equals("GET /v1/events") ? Map.of("dpu_id", DPU) : Map.of();
    }

    @Override
    protected Body body(String operation) {
        // B posts an event naming A's sensor, with A's event id: stored for B, never for A.
        return Body.json("{\"id\":\"" + EVENT + "\",\"dpu_id\":\"" + DPU + "\",\"timestamp\":\"2024-05-01T09:00:00Z\","
                + "\"direction\":1}");
    }
}
