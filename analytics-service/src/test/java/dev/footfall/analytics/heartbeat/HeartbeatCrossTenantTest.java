package dev.footfall.analytics.heartbeat;

import static dev.footfall.analytics.heartbeat.HeartbeatApi.curate;
import static dev.footfall.analytics.heartbeat.HeartbeatApi.heartbeat;
import static dev.footfall.analytics.heartbeat.HeartbeatApi.stage;
import static dev.footfall.analytics.heartbeat.HeartbeatSample.object;
import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.testing.CrossTenantTestBase;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every heartbeat operation of the document, called by tenant B's admin with tenant A's ids: A has staged a cohort, a
 * version, a device and heartbeats of a project, and curated them (run 1). The warehouse and app-session operations
 * have their own matrix (WarehouseAndSessionCrossTenantTest).
 */
@QuarkusTest
class HeartbeatCrossTenantTest extends CrossTenantTestBase {

    private static final long PROJECT = 97001;
    private static final String METRIC = "xt_a_metric_7f3c";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Override
    protected Map<String, String> setUpTenantA() {
        stage(TENANT_A, "cohorts", object("id", 970011, "project_id", PROJECT, "name", "xt-a-cohort-7f3c"));
        stage(TENANT_A, "software_versions", object("id", 970011, "project_id", PROJECT, "version",
                "xt-a-version-7f3c"));
        stage(TENANT_A, "devices", object("id", 970011, "project_id", PROJECT, "device_serial", "xt-a-serial-7f3c",
                "cohort_id", 970011));
        stage(TENANT_A, "events", heartbeat(97001100, PROJECT, NOW.minus(Duration.ofHours(2)), NOW, 970011L, 970011,
                object(METRIC, 12.5)), heartbeat(97001101, PROJECT, NOW.minus(Duration.ofHours(1)), NOW, 970011L,
                970011, object(METRIC, 17.5)));
        long run = curate(TENANT_A).getLong("id");
        return ids("project_id", String.valueOf(PROJECT), "metric", METRIC, "id", String.valueOf(run));
    }

    @Override
    protected Set<String> markers() {
        // A's names; B's answers may repeat the ids it was asked for, but never A's names or values.
        return Set.of("xt-a-cohort-7f3c", "xt-a-version-7f3c", "xt-a-serial-7f3c", "12.5", "17.5", "15.0");
    }

    @Override
    protected Map<String, String> queryParams(String operation) {
        if (operation.equals("GET /v1/projects/{project_id}/metrics/{metric}/percentiles")) {
            return Map.of("from", NOW.minus(Duration.ofDays(1)).toString(), "to", NOW.plus(Duration.ofDays(1)).toString(),
                    "group_by", "cohort");
        }
        return Map.of();
    }

    @Override
    protected Map<String, String> excluded() {
        Map<String, String> others = new LinkedHashMap<>();
        try {
            JsonNode paths = new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200)
                    .extract().asString()).path("paths");
            for (Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
                String path = names.next();
                if (!path.startsWith("/v1/heartbeats") && !path.startsWith("/v1/projects")) {
                    for (String method : List.of("get", "put", "post", "patch", "delete")) {
                        if (paths.path(path).has(method)) {
                            others.put(method.toUpperCase() + " " + path, "WarehouseAndSessionCrossTenantTest");
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return others;
    }
}
