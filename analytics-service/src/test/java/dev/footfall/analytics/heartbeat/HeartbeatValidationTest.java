package dev.footfall.analytics.heartbeat;

import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.footfall.common.db.TenantSql;
import dev.footfall.common.security.Tenant;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad batches and bad queries are answered with problem+json naming what is wrong; nothing is stored. */
@QuarkusTest
class HeartbeatValidationTest {

    private static final String GOOD = """
            {"id": 9100001, "project_id": 9100, "captured_date": "2021-05-29 08:11:00+00",
             "created_date": "2021-05-30 03:54:35.060042+00", "type": "heartbeat", "software_version_id": 1,
             "device_id": 1, "event_info": {"metrics": {"battery_perc": 698}}}""";

    @Inject
    TenantSql tenantSql;

    private static ValidatableResponse post(String what, String contentType, String body) {
        return given().auth().oauth2(Tokens.admin()).contentType(contentType)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/v1/heartbeats/" + what).then();
    }

    @Test
    void batchWithInvalidItemsNamesEveryOneAndStoresNothing() {
        String body = "[" + GOOD + ","
                + GOOD.replace("9100001", "9100002").replace("\"device_id\": 1,", "") + ","
                + GOOD.replace("9100001", "9100003") + ","
                + GOOD.replace("9100001", "9100004").replace("2021-05-29 08:11:00+00", "yesterday") + ","
                + GOOD.replace("9100001", "9100005").replace("{\"metrics\": {\"battery_perc\": 698}}", "[1]") + "]";
        assertProblem(post("events", "application/json", body), 400)
                .body("detail", containsString("3 of 5 events are invalid"))
                .body("errors", hasSize(3))
                .body("errors[0].index", equalTo(1)).body("errors[0].field", equalTo("device_id"))
                .body("errors[1].index", equalTo(3)).body("errors[1].field", equalTo("captured_date"))
                .body("errors[2].index", equalTo(4)).body("errors[2].field", equalTo("event_info"));
        org.junit.jupiter.api.Assertions.assertEquals(0L, tenantSql.query(Tenant.DEFAULT,
                "SELECT count(*) FROM hb_stg_event WHERE tenant = 'default' AND project_id = 9100", Tuple.tuple())
                .await().indefinitely().iterator().next().getLong(0));
    }

    @Test
    void ndjsonItemsAreNamedByTheirIndex() {
        String body = GOOD.replace("\n", "") + "\n\n"
                + GOOD.replace("\n", "").replace("9100001", "9100002").replace("\"type\": \"heartbeat\"", "\"type\": \"\"")
                + "\n";
        assertProblem(post("events", "application/x-ndjson", body), 400)
                .body("errors[0].index", equalTo(1)).body("errors[0].field", equalTo("type"));
        assertProblem(post("events", "application/x-ndjson", GOOD.replace("\n", "") + "\n{\"id\": "), 400)
                .body("type", equalTo("https://footfall.dev/problems/malformed-json"))
                .body("detail", containsString("Line 2"));
    }

    @Test
    void wrongTypesUnknownFieldsAndBadMetricsAreNamed() {
        assertProblem(post("devices", "application/json",
                "[{\"id\": 1, \"project_id\": 1, \"device_serial\": \"A\", \"cohort_id\": \"x\"},"
                        + "{\"id\": 2, \"project_id\": 1, \"device_serial\": \"B\", \"colour\": \"blue\"},"
                        + "{\"id\": 3, \"project_id\": 1, \"device_serial\": \" \"}]"), 400)
                .body("errors.index", equalTo(java.util.List.of(0, 1, 2)))
                .body("errors.field", equalTo(java.util.List.of("cohort_id", "colour", "device_serial")))
                .body("errors[1].message", equalTo("unknown field"));
        assertProblem(post("events", "application/json",
                "[" + GOOD.replace("{\"metrics\": {\"battery_perc\": 698}}", "{\"metrics\": 5}") + "]"), 400)
                .body("errors.field", hasItem("event_info.metrics"));
        assertProblem(post("software_versions", "application/json", "42"), 400)
                .body("errors.field", hasItem("body"));
        assertProblem(given().auth().oauth2(Tokens.admin()).contentType("text/csv").body("id\tname")
                .post("/v1/heartbeats/events").then(), 415);
    }

    @Test
    void eventInfoAsExportedJsonStringIsAccepted() {
        String exported = GOOD.replace("9100001", "9100010")
                .replace("{\"metrics\": {\"battery_perc\": 698}}", "\"{\\\"metrics\\\": {\\\"battery_perc\\\": 1}}\"");
        post("events", "application/json", "[" + exported + "]").statusCode(200).body("upserted", equalTo(1));
        String info = tenantSql.query(Tenant.DEFAULT,
                "SELECT event_info::text FROM hb_stg_event WHERE tenant = 'default' AND id = 9100010", Tuple.tuple())
                .await().indefinitely().iterator().next().getString(0);
        org.junit.jupiter.api.Assertions.assertEquals("{\"metrics\": {\"battery_perc\": 1}}", info);
    }

    @Test
    void badPercentileQueriesAre400() {
        HeartbeatSample.ensureLoaded();
        String path = "/v1/projects/367/metrics/battery_perc/percentiles";
        for (String p : new String[] {"0", "100", "-5", "abc", "50,,90", "150"}) {
            assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("p", p).get(path).then(), 400)
                    .body("errors[0].field", equalTo("p"));
        }
        assertProblem(given().auth().oauth2(Tokens.reader()).get("/v1/projects/367/metrics/no_such/percentiles")
                .then(), 400).body("errors[0].field", equalTo("metric"));
        assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("from", "2021-06-10").queryParam("to", "2021-06-01")
                .get(path).then(), 400).body("errors[0].field", equalTo("from"));
        assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("from", "2021-13-01").get(path).then(), 400)
                .body("errors[0].field", equalTo("from"));
        assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("from", "2000-01-01").queryParam("to", "2021-01-01")
                .get(path).then(), 400).body("errors[0].field", equalTo("to"));
        assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("group_by", "device").get(path).then(), 400)
                .body("errors[0].field", equalTo("group_by"));
        assertProblem(given().auth().oauth2(Tokens.reader()).get("/v1/projects/abc/metrics").then(), 400)
                .body("errors[0].field", equalTo("project_id"));
        assertProblem(given().auth().oauth2(Tokens.reader()).get("/v1/projects/424242/metrics").then(), 404);
        assertProblem(given().auth().oauth2(Tokens.sensor()).get(path).then(), 403);
    }
}
