package dev.footfall.analytics.heartbeat;

import static dev.footfall.analytics.heartbeat.HeartbeatApi.curate;
import static dev.footfall.analytics.heartbeat.HeartbeatApi.heartbeat;
import static dev.footfall.analytics.heartbeat.HeartbeatApi.percentiles;
import static dev.footfall.analytics.heartbeat.HeartbeatApi.stage;
import static dev.footfall.analytics.heartbeat.HeartbeatSample.object;
import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.footfall.analytics.service.heartbeat.CurationJob;
import dev.footfall.analytics.service.heartbeat.CurationService;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two tenants through the API, staging the same project, cohort, device, version and event ids: each is staged,
 * curated, aggregated and listed on its own; another tenant's project, run or cohort is answered exactly like one that
 * does not exist; curation runs and their counts are per tenant; the scheduled job curates every tenant as itself.
 */
@QuarkusTest
class HeartbeatTenancyTest {

    private static final String ACME = "hb-acme";
    private static final String GLOBEX = "hb-globex";
    /** A tenant that has never staged anything: whatever it gets is what "missing" looks like. */
    private static final String NOBODY = "hb-nobody";
    private static final long PROJECT = 9501;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final String FROM = NOW.minus(Duration.ofDays(10)).toString();
    private static final String TO = NOW.plus(Duration.ofDays(1)).toString();

    @Inject
    CurationService curation;

    @Inject
    CurationJob job;

    private static RequestSpecification as(String tenant, String role) {
        return given().auth().oauth2(Tokens.forRole(role, tenant));
    }

    /** The same ids in both tenants; only the names and values differ. */
    private static void stageFleet(String tenant, String cohort, String version, double... drains) {
        stage(tenant, "cohorts", object("id", 95011, "project_id", PROJECT, "name", cohort));
        stage(tenant, "software_versions", object("id", 95011, "project_id", PROJECT, "version", version));
        stage(tenant, "devices", object("id", 95011, "project_id", PROJECT, "device_serial", "SN-" + tenant,
                "cohort_id", 95011));
        for (int i = 0; i < drains.length; i++) {
            stage(tenant, "events", heartbeat(9501100 + i, PROJECT, NOW.minus(Duration.ofHours(3 + i)),
                    NOW.minus(Duration.ofHours(2 + i)), 95011L, 95011, object("drain", drains[i])));
        }
    }

    @Test
    void sameIdsInTwoTenantsAreStagedCuratedAndAggregatedApart() {
        stageFleet(ACME, "Alpha", "1.0.0", 1, 2, 3);
        stageFleet(GLOBEX, "Gamma", "2.0.0", 10, 20, 30, 40);

        // Acme's run curates Acme's rows only: Globex's staged heartbeats are neither counted nor curated.
        JsonPath acmeRun = curate(ACME);
        assertEquals(3, acmeRun.getLong("candidates"));
        assertEquals(3, acmeRun.getLong("rows_loaded"));
        assertEquals(List.of(), percentiles(GLOBEX, PROJECT, "drain", "none", FROM, TO).getList("groups"));

        JsonPath globexRun = curate(GLOBEX);
        assertEquals(4, globexRun.getLong("candidates"));
        assertEquals(4, globexRun.getLong("rows_loaded"));

        JsonPath acme = percentiles(ACME, PROJECT, "drain", "cohort", FROM, TO);
        assertEquals(List.of("Alpha"), acme.getList("groups.key"));
        assertEquals(3, acme.getLong("groups[0].n"));
        assertEquals(0, acme.getLong("groups[0].skipped"));
        assertEquals(2.0, acme.getDouble("groups[0].percentiles.p50"), 0);
        assertEquals(List.of("1.0.0"), percentiles(ACME, PROJECT, "drain", "software_version", FROM, TO)
                .getList("groups.key"));

        JsonPath globex = percentiles(GLOBEX, PROJECT, "drain", "cohort", FROM, TO);
        assertEquals(List.of("Gamma"), globex.getList("groups.key"));
        assertEquals(4, globex.getLong("groups[0].n"));
        assertEquals(25.0, globex.getDouble("groups[0].percentiles.p50"), 0);

        // Metric discovery counts the tenant's own values.
        assertEquals(3, as(ACME, "reader").get("/v1/projects/" + PROJECT + "/metrics").then().statusCode(200)
                .extract().jsonPath().getInt("metrics.find { it.name == 'drain' }.values"));
        assertEquals(4, as(GLOBEX, "reader").get("/v1/projects/" + PROJECT + "/metrics").then().statusCode(200)
                .extract().jsonPath().getInt("metrics.find { it.name == 'drain' }.values"));

        // Moving Globex's device 95011 to another cohort re-curates Globex's heartbeats and touches none of Acme's.
        stage(GLOBEX, "cohorts", object("id", 95012, "project_id", PROJECT, "name", "Delta"));
        stage(GLOBEX, "devices", object("id", 95011, "project_id", PROJECT, "device_serial", "SN-" + GLOBEX,
                "cohort_id", 95012));
        assertEquals(4, curate(GLOBEX).getLong("rows_loaded"));
        assertEquals(0, curate(ACME).getLong("rows_loaded"));
        assertEquals(List.of("Delta"), percentiles(GLOBEX, PROJECT, "drain", "cohort", FROM, TO).getList("groups.key"));
        assertEquals(List.of("Alpha"), percentiles(ACME, PROJECT, "drain", "cohort", FROM, TO).getList("groups.key"));
        assertEquals(2.0, percentiles(ACME, PROJECT, "drain", "none", FROM, TO).getDouble("groups[0].percentiles.p50"),
                0);

        // Staged lists hold the tenant's own rows.
        List<Map<String, Object>> globexCohorts = as(GLOBEX, "reader").get("/v1/heartbeats/cohorts").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertEquals(List.of("Gamma", "Delta"), globexCohorts.stream().map(c -> c.get("name")).toList());
        List<Map<String, Object>> acmeCohorts = as(ACME, "reader").get("/v1/heartbeats/cohorts").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertEquals(List.of("Alpha"), acmeCohorts.stream().map(c -> c.get("name")).toList());
    }

    @Test
    void anotherTenantsProjectIsAnsweredExactlyLikeAMissingOne() {
        String owner = "hb-owner";
        String stranger = "hb-stranger";
        stage(owner, "events", heartbeat(9502100, 9502, NOW.minus(Duration.ofHours(1)), NOW, null, 95021,
                object("temp", 21.5)));
        stage(stranger, "events", heartbeat(9502100, 9509, NOW.minus(Duration.ofHours(1)), NOW, null, 95021,
                object("temp", 19.0)));
        curate(owner);
        curate(stranger);
        as(owner, "reader").get("/v1/projects/9502/metrics").then().statusCode(200);

        String metrics = "/v1/projects/9502/metrics";
        String percentiles = metrics + "/temp/percentiles?from=" + FROM + "&to=" + TO;
        assertSameAnswer(as(NOBODY, "reader").get(metrics), as(stranger, "reader").get(metrics), 404);
        assertSameAnswer(as(NOBODY, "reader").get(percentiles), as(stranger, "reader").get(percentiles), 404);
    }

    @Test
    void curationRunsAndTheirCountsArePerTenant() {
        String tenantA = "hb-runs-a";
        String tenantB = "hb-runs-b";
        stageDrains(tenantA, 9503, 1.0);
        stageDrains(tenantB, 9503, 5.0, 6.0);
        curate(tenantA);
        curate(tenantA);
        JsonPath onlyRunOfB = curate(tenantB);

        // Runs are numbered per tenant and listed per tenant, with the tenant's own counts.
        JsonPath runsOfA = runs(tenantA);
        assertEquals(List.of(2, 1), runsOfA.getList("runs.id"));
        assertEquals(List.of(0, 1), runsOfA.getList("runs.rows_loaded"));
        assertEquals(1, onlyRunOfB.getLong("id"));
        JsonPath runsOfB = runs(tenantB);
        assertEquals(List.of(1), runsOfB.getList("runs.id"));
        assertEquals(List.of(2), runsOfB.getList("runs.rows_loaded"));
        as(tenantB, "reader").get("/v1/heartbeats/curation/runs/1").then().statusCode(200)
                .body("candidates", equalTo(2));

        // A's second run is B's missing run 2, exactly.
        assertSameAnswer(as(NOBODY, "reader").get("/v1/heartbeats/curation/runs/2"),
                as(tenantB, "reader").get("/v1/heartbeats/curation/runs/2"), 404);
        assertEquals(List.of(), runs(NOBODY).getList("runs"));
    }

    @Test
    void theScheduledJobCuratesEveryTenantWithNewRowsAsItself() {
        String tenantA = "hb-job-a";
        String tenantB = "hb-job-b";
        stageDrains(tenantA, 9504, 1.0);
        stageDrains(tenantB, 9504, 7.0, 9.0);
        List<String> withWork = curation.tenantsWithWork().await().indefinitely();
        assertTrue(withWork.containsAll(List.of(tenantA, tenantB)), withWork.toString());

        job.curate().await().indefinitely();

        assertEquals(List.of("schedule"), runs(tenantA).getList("runs.trigger"));
        assertEquals(List.of(1), runs(tenantA).getList("runs.rows_loaded"));
        assertEquals(List.of(2), runs(tenantB).getList("runs.rows_loaded"));
        assertEquals(1.0, percentiles(tenantA, 9504, "drain", "none", FROM, TO).getDouble("groups[0].percentiles.p50"),
                0);
        assertEquals(8.0, percentiles(tenantB, 9504, "drain", "none", FROM, TO).getDouble("groups[0].percentiles.p50"),
                0);

        // Nothing new: no run for either (a tenant with nothing staged since its last run is left alone).
        List<String> after = curation.tenantsWithWork().await().indefinitely();
        assertFalse(after.contains(tenantA) || after.contains(tenantB), after.toString());
        job.curate().await().indefinitely();
        assertEquals(1, runs(tenantA).getList("runs").size());
    }

    /** One device's heartbeats of the project, an hour apart, with these values of "drain". */
    private static void stageDrains(String tenant, long project, double... drains) {
        ObjectNode[] events = new ObjectNode[drains.length];
        for (int i = 0; i < drains.length; i++) {
            events[i] = heartbeat(project * 1000 + i, project, NOW.minus(Duration.ofHours(1 + i)), NOW, null,
                    project * 10 + 1, object("drain", drains[i]));
        }
        stage(tenant, "events", events);
    }

    private static JsonPath runs(String tenant) {
        return as(tenant, "reader").get("/v1/heartbeats/curation/runs").then().statusCode(200).extract().jsonPath();
    }

    private static void assertSameAnswer(Response missing, Response otherTenants, int status) {
        assertProblem(missing.then(), status);
        assertProblem(otherTenants.then(), status);
        assertEquals(missing.getBody().asString(), otherTenants.getBody().asString());
    }
}
