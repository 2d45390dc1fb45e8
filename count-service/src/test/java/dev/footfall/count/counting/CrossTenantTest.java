package dev.footfall.count.counting;

import static io.restassured.RestAssured.given;

import dev.footfall.testing.CrossTenantTestBase;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every operation of count-service's document, called by tenant B's admin with tenant A's ids. */
@QuarkusTest
class CrossTenantTest extends CrossTenantTestBase {

    private static final String SPACE = "xt-a-lobby-7f3c";
    private static final String DOORWAY = "xt-a-door-7f3c";
    private static final String DPU = "xt-a-dpu-7f3c";
    private static final String NAME = "Lobby of xt-a 7f3c";
    private static final String FROM = "2024-05-01T00:00:00Z";
    private static final String TO = "2024-05-02T00:00:00Z";

    @Override
    protected Map<String, String> setUpTenantA() {
        Instant t0 = Instant.parse("2024-05-01T08:00:00Z");
        as().body("{\"name\":\"" + NAME + "\",\"capacity\":40}").put("/v1/spaces/" + SPACE).then().statusCode(201);
        as().body("{\"name\":\"Door of xt-a\",\"spaces\":[{\"space_id\":\"" + SPACE + "\",\"direction\":1}],"
                + "\"effective_from\":\"" + t0 + "\"}").put("/v1/doorways/" + DOORWAY).then().statusCode(201);
        as().body("{\"doorway_id\":\"" + DOORWAY + "\",\"installed_at\":\"" + t0 + "\"}")
                .post("/v1/dpus/" + DPU + "/placements").then().statusCode(201);
        EventLog.append(TENANT_A, List.of(new EventLog.Event(DPU, t0.plusSeconds(60), 1),
                new EventLog.Event(DPU, t0.plusSeconds(120), 1)));
        EventLog.awaitReconciled();
        long replay = ((Number) as().post("/v1/spaces/" + SPACE + "/replay?from=" + FROM + "&to=" + TO).then()
                .statusCode(202).extract().path("replay_id")).longValue();
        return ids("space_id", SPACE, "doorway_id", DOORWAY, "dpu_id", DPU, "replay_id", Long.toString(replay));
    }

    @Override
    protected Set<String> markers() {
        return Set.of(SPACE, DOORWAY, DPU, NAME);
    }

    @Override
    protected Map<String, String> queryParams(String operation) {
        return switch (operation) {
            case "GET /v1/spaces/{space_id}/counts", "POST /v1/spaces/{space_id}/replay" -> Map.of("from", FROM, "to", TO);
            default -> Map.of();
        };
    }

    @Override
    protected Set<String> volatileFields() {
        // A replay's progress moves by itself; the real-time count's timestamp is of the last event applied.
        return Set.of("events_done", "events_total", "status", "finished_at");
    }

    private static io.restassured.specification.RequestSpecification as() {
        return given().auth().oauth2(Tokens.forRole("admin", TENANT_A)).contentType(ContentType.JSON);
    }
}
