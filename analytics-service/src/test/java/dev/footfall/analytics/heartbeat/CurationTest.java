package dev.footfall.analytics.heartbeat;

import static dev.footfall.analytics.heartbeat.HeartbeatApi.curate;
import static dev.footfall.analytics.heartbeat.HeartbeatApi.heartbeat;
import static dev.footfall.analytics.heartbeat.HeartbeatApi.percentiles;
import static dev.footfall.analytics.heartbeat.HeartbeatApi.stage;
import static dev.footfall.analytics.heartbeat.HeartbeatSample.object;
import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.common.db.TenantSql;
import dev.footfall.common.security.Tenant;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Incremental curation: nothing loaded twice, late rows picked up, dimension changes reflected, cluster-safe. */
@QuarkusTest
class CurationTest {

    /** The load lock: held by the run that is loading, whatever its tenant. */
    private static final long LOAD_LOCK_KEY = 0x68622d6375726174L;
    private static final String TENANT_LOCK = "hashtextextended('hb-curation/' || $1::text, 0)";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final String FROM = NOW.minus(Duration.ofDays(60)).toString();
    private static final String TO = NOW.plus(Duration.ofDays(1)).toString();

    @Inject
    Pool pool;

    @Inject
    TenantSql tenantSql;

    @Test
    void rerunningCurationLoadsNothingTwice() {
        curate();
        stage("cohorts", object("id", 90011, "project_id", 9001, "name", "Alpha"));
        stage("devices", object("id", 90011, "project_id", 9001, "device_serial", "SN-90011", "cohort_id", 90011));
        stage("software_versions", object("id", 90011, "project_id", 9001, "version", "2.0.0"));
        for (int i = 0; i < 3; i++) {
            stage("events", heartbeat(9001100 + i, 9001, NOW.minus(Duration.ofHours(3 + i)),
                    NOW.minus(Duration.ofHours(2 + i)), 90011L, 90011, object("drain", 1.5 + i)));
        }
        assertEquals(3, curate().getLong("rows_loaded"));

        // The overlap looks at the newest rows again; they are unchanged, so nothing is loaded.
        JsonPath again = curate();
        assertEquals(0, again.getLong("rows_loaded"));
        assertEquals(0, again.getLong("days_total"));

        // Posting the same rows again changes nothing, so curation has nothing to do either.
        given().auth().oauth2(Tokens.admin()).contentType("application/json")
                .body(HeartbeatSample.array(List.of(heartbeat(9001100, 9001, NOW.minus(Duration.ofHours(3)),
                        NOW.minus(Duration.ofHours(2)), 90011L, 90011, object("drain", 1.5)))))
                .post("/v1/heartbeats/events").then().statusCode(200)
                .body("received", org.hamcrest.Matchers.equalTo(1)).body("upserted", org.hamcrest.Matchers.equalTo(0));
        assertEquals(0, curate().getLong("rows_loaded"));
        assertEquals(3, percentiles(9001, "drain", "none", FROM, TO).getLong("groups[0].n"));
    }

    @Test
    void lateRowsArePickedUp() {
        stage("devices", object("id", 90021, "project_id", 9002, "device_serial", "SN-90021", "cohort_id", null));
        stage("events", heartbeat(9002100, 9002, NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofMinutes(1)),
                null, 90021, object("drain", 1.0)));
        assertEquals(1, curate().getLong("rows_loaded"));

        // Created before the watermark: within the overlap, and weeks before it (found by when it was staged).
        stage("events", heartbeat(9002101, 9002, NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofMinutes(40)),
                null, 90021, object("drain", 2.0)));
        stage("events", heartbeat(9002102, 9002, NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(29)),
                null, 90021, object("drain", 3.0)));
        JsonPath run = curate();
        assertEquals(2, run.getLong("rows_loaded"));
        JsonPath result = percentiles(9002, "drain", "none", FROM, TO);
        assertEquals(3, result.getLong("groups[0].n"));
        assertEquals(2.0, result.getDouble("groups[0].percentiles.p50"), 1e-12);
    }

    @Test
    void deviceMovingCohortAndRenamedVersionAreReflected() {
        stage("cohorts", object("id", 90031, "project_id", 9003, "name", "Alpha"),
                object("id", 90032, "project_id", 9003, "name", "Beta"));
        stage("software_versions", object("id", 90031, "project_id", 9003, "version", "3.0.0"));
        stage("devices", object("id", 90031, "project_id", 9003, "device_serial", "SN-90031", "cohort_id", 90031),
                object("id", 90032, "project_id", 9003, "device_serial", "SN-90032", "cohort_id", 90031));
        for (int i = 0; i < 4; i++) {
            stage("events", heartbeat(9003100 + i, 9003, NOW.minus(Duration.ofDays(i + 1)),
                    NOW.minus(Duration.ofDays(i + 1)), 90031L, 90031 + i % 2, object("drain", i)));
        }
        curate();
        assertEquals(List.of("Alpha"), percentiles(9003, "drain", "cohort", FROM, TO).getList("groups.key"));

        stage("devices", object("id", 90031, "project_id", 9003, "device_serial", "SN-90031", "cohort_id", 90032));
        assertEquals(2, curate().getLong("rows_loaded"), "the moved device's two heartbeats");
        JsonPath byCohort = percentiles(9003, "drain", "cohort", FROM, TO);
        assertEquals(List.of("Alpha", "Beta"), byCohort.getList("groups.key"));
        assertEquals(List.of(2, 2), byCohort.getList("groups.n"));

        stage("cohorts", object("id", 90032, "project_id", 9003, "name", "Beta testers"));
        stage("software_versions", object("id", 90031, "project_id", 9003, "version", "3.0.1"));
        assertEquals(4, curate().getLong("rows_loaded"));
        assertEquals(List.of("Alpha", "Beta testers"), percentiles(9003, "drain", "cohort", FROM, TO).getList("groups.key"));
        assertEquals(List.of("3.0.1"), percentiles(9003, "drain", "software_version", FROM, TO).getList("groups.key"));
    }

    @Test
    void eventsStagedBeforeTheirDeviceAndVersionAreCompletedLater() {
        stage("events", heartbeat(9004100, 9004, NOW.minus(Duration.ofHours(5)), NOW.minus(Duration.ofHours(4)),
                90041L, 90041, object("drain", 1.0)));
        curate();
        JsonPath before = percentiles(9004, "drain", "cohort", FROM, TO);
        assertNull(before.get("groups[0].key"), "cohort not known yet");
        assertEquals(1, before.getLong("groups[0].n"));

        stage("cohorts", object("id", 90041, "project_id", 9004, "name", "Late"));
        stage("devices", object("id", 90041, "project_id", 9004, "device_serial", "SN-90041", "cohort_id", 90041));
        stage("software_versions", object("id", 90041, "project_id", 9004, "version", "4.0.0"));
        assertEquals(1, curate().getLong("rows_loaded"));
        assertEquals(List.of("Late"), percentiles(9004, "drain", "cohort", FROM, TO).getList("groups.key"));
        assertEquals(List.of("4.0.0"), percentiles(9004, "drain", "software_version", FROM, TO).getList("groups.key"));
    }

    @Test
    void eventMovedToAnotherDayOrTurnedIntoATraceLeavesNoCuratedCopy() {
        Instant first = Instant.parse("2024-03-01T10:00:00Z");
        Instant moved = Instant.parse("2024-03-05T10:00:00Z");
        stage("events", heartbeat(9005100, 9005, first, NOW, null, 90051, object("drain", 1.0)),
                heartbeat(9005101, 9005, first, NOW, null, 90051, object("drain", 2.0)));
        curate();
        stage("events", heartbeat(9005100, 9005, moved, NOW, null, 90051, object("drain", 1.0)));
        JsonPath run = curate();
        assertEquals(1, run.getLong("rows_removed"));
        assertEquals(1, run.getLong("rows_loaded"));
        JsonPath byDay = percentiles(9005, "drain", "day", "2024-03-01", "2024-03-10");
        assertEquals(List.of("2024-03-01", "2024-03-05"), byDay.getList("groups.key"));
        assertEquals(List.of(1, 1), byDay.getList("groups.n"));

        var trace = heartbeat(9005101, 9005, first, NOW, null, 90051, object("drain", 2.0));
        trace.put("type", "trace");
        stage("events", trace);
        assertEquals(1, curate().getLong("rows_removed"));
        assertEquals(List.of("2024-03-05"), percentiles(9005, "drain", "day", "2024-03-01", "2024-03-10")
                .getList("groups.key"));
        assertEquals(1L, count("SELECT count(*) FROM hb_heartbeat WHERE tenant = 'default' AND project_id = 9005"));
    }

    @Test
    void nonNumericAndMissingValuesAreSkippedAndCounted() {
        var values = List.of(object("m", 1), object("m", "2"), object("m", true), object("other", 5), object("m", 3),
                object("m", null), object("m", object("nested", 1)));
        for (int i = 0; i < values.size(); i++) {
            stage("events", heartbeat(9006100 + i, 9006, NOW.minus(Duration.ofHours(1)), NOW, null, 90061,
                    values.get(i)));
        }
        curate();
        JsonPath result = percentiles(9006, "m", "none", FROM, TO);
        assertEquals(2, result.getLong("groups[0].n"));
        assertEquals(5, result.getLong("groups[0].skipped"));
        assertEquals(2.0, result.getDouble("groups[0].percentiles.p50"), 1e-12);
        // A metric with no numeric value at all still answers, with n = 0 and null percentiles.
        stage("events", heartbeat(9006200, 9006, NOW.minus(Duration.ofHours(1)), NOW, null, 90061,
                object("text_only", "x")));
        curate();
        JsonPath empty = percentiles(9006, "text_only", "none", FROM, TO);
        assertEquals(0, empty.getLong("groups[0].n"));
        assertEquals(8, empty.getLong("groups[0].skipped"));
        assertTrue(((Map<?, ?>) empty.get("groups[0].percentiles")).containsKey("p50"));
        assertNull(empty.get("groups[0].percentiles.p50"));
    }

    @Test
    void metricValuesAreTypedAtStagingInCatalogOrderAndFollowChanges() {
        Instant at = NOW.minus(Duration.ofHours(1));
        stage("events", heartbeat(9007100, 9007, at, NOW, null, 90071, object("z", 1.5)));
        stage("events", heartbeat(9007101, 9007, at, NOW, null, 90071, object("y", 0.1)),
                heartbeat(9007102, 9007, at, NOW, null, 90071, object("x", 7)));
        curate();
        // Ordinals follow first appearance (names within a batch by name): z = 1, x = 2, y = 3.
        assertEquals(List.of("z", "x", "y"), names(
                "SELECT metric FROM hb_metric_catalog WHERE tenant = 'default' AND project_id = 9007"
                        + " ORDER BY ordinal"));
        assertEquals(List.of("{1.5}", "{NULL,NULL,0.1}", "{NULL,7,NULL}"), names("SELECT metric_values::text "
                + "FROM hb_heartbeat WHERE tenant = 'default' AND project_id = 9007 ORDER BY event_id"));
        assertEquals(0.1, percentiles(9007, "y", "none", FROM, TO).getDouble("groups[0].percentiles.p50"), 0);

        // The same event with another value is re-curated, and its day's pre-aggregates follow.
        stage("events", heartbeat(9007101, 9007, at, NOW, null, 90071, object("y", 0.3)));
        assertEquals(1, curate().getLong("rows_loaded"));
        assertEquals(0.3, percentiles(9007, "y", "none", FROM, TO).getDouble("groups[0].percentiles.p50"), 0);
    }

    private List<String> names(String sql) {
        List<String> result = new java.util.ArrayList<>();
        tenantSql.query(Tenant.DEFAULT, sql, Tuple.tuple()).await().indefinitely()
                .forEach(r -> result.add(r.getString(0)));
        return result;
    }

    @Test
    void rowsOfATransactionStillOpenDuringARunAreCuratedByTheNext() {
        // The test profile has no fallback overlap: the staging-time watermark must come from the open transaction.
        Instant old = NOW.minus(Duration.ofDays(20));
        stage("events", heartbeat(9008100, 9008, old, old, null, 90081, object("drain", 1.0)));
        assertEquals(1, curate().getLong("rows_loaded"));

        SqlConnection staging = pool.getConnection().await().indefinitely();
        try {
            staging.query("BEGIN").execute().await().indefinitely();
            staging.query("SELECT set_config('footfall.tenant', 'default', true)").execute().await().indefinitely();
            staging.preparedQuery("""
                    INSERT INTO hb_stg_event (tenant, id, project_id, captured_date, created_date, type, device_id,
                                              event_info, metric_values)
                    VALUES ('default', 9008101, 9008, $1, $1, 'heartbeat', 90081, '{"metrics": {"drain": 5}}', '{5}')
                    """).execute(Tuple.of(old.atOffset(java.time.ZoneOffset.UTC))).await().indefinitely();
            assertEquals(0, curate().getLong("rows_loaded"), "not committed yet");
            staging.query("COMMIT").execute().await().indefinitely();
        } finally {
            staging.closeAndAwait();
        }
        // Staged (loaded_at = its transaction's start) before that run's snapshot, committed after it: taken now.
        assertEquals(1, curate().getLong("rows_loaded"));
        assertEquals(2, percentiles(9008, "drain", "none", FROM, TO).getLong("groups[0].n"));
        assertEquals(0, curate().getLong("rows_loaded"));
    }

    @Test
    void curationIsRefusedWhileAnotherReplicaRunsTheSameTenant() {
        SqlConnection other = pool.getConnection().await().indefinitely();
        try {
            other.preparedQuery("SELECT pg_advisory_lock(" + TENANT_LOCK + ")").execute(Tuple.of(Tenant.DEFAULT))
                    .await().indefinitely();
            assertProblem(given().auth().oauth2(Tokens.admin()).post("/v1/heartbeats/curation").then(), 409);
            // Another tenant's curation is not refused.
            given().auth().oauth2(Tokens.forRole("admin", "hb-lock-other")).post("/v1/heartbeats/curation").then()
                    .statusCode(200);
        } finally {
            other.preparedQuery("SELECT pg_advisory_unlock(" + TENANT_LOCK + ")").execute(Tuple.of(Tenant.DEFAULT))
                    .await().indefinitely();
            other.closeAndAwait();
        }
        curate();
    }

    @Test
    void aRunWaitsWhileAnotherTenantsRunLoads() throws Exception {
        SqlConnection other = pool.getConnection().await().indefinitely();
        CompletableFuture<Integer> status;
        try {
            other.preparedQuery("SELECT pg_advisory_lock($1)").execute(Tuple.of(LOAD_LOCK_KEY)).await().indefinitely();
            status = CompletableFuture.supplyAsync(() -> given().auth().oauth2(Tokens.admin())
                    .post("/v1/heartbeats/curation").then().extract().statusCode());
            Thread.sleep(1500);
            assertFalse(status.isDone(), "waits for the load lock instead of answering 409");
        } finally {
            other.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(LOAD_LOCK_KEY)).await()
                    .indefinitely();
            other.closeAndAwait();
        }
        assertEquals(200, status.get(30, TimeUnit.SECONDS));
    }

    @Test
    void loadLogListsRunsWithTheirProgress() {
        long id = curate().getLong("id");
        JsonPath runs = given().auth().oauth2(Tokens.reader()).queryParam("limit", 5).get("/v1/heartbeats/curation/runs")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(id, runs.getLong("runs[0].id"));
        assertEquals("succeeded", runs.getString("runs[0].status"));
        assertEquals("done", runs.getString("runs[0].phase"));
        assertEquals(runs.getInt("runs[0].days_total"), runs.getInt("runs[0].days_done"));
        given().auth().oauth2(Tokens.reader()).get("/v1/heartbeats/curation/runs/" + id).then().statusCode(200);
        assertProblem(given().auth().oauth2(Tokens.reader()).get("/v1/heartbeats/curation/runs/999999").then(), 404);
        assertProblem(given().auth().oauth2(Tokens.reader()).post("/v1/heartbeats/curation").then(), 403);
    }

    private long count(String sql) {
        return tenantSql.query(Tenant.DEFAULT, sql, Tuple.tuple()).await().indefinitely().iterator().next().getLong(0);
    }
}
