package dev.footfall.analytics.heartbeat;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.footfall.common.security.Tenant;
import dev.footfall.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;

/** Small helpers for tests that stage their own heartbeats (each in a project of its own), as a tenant. */
final class HeartbeatApi {

    private HeartbeatApi() {
    }

    static void stage(String what, ObjectNode... items) {
        stage(Tenant.DEFAULT, what, items);
    }

    static void stage(String tenant, String what, ObjectNode... items) {
        given().auth().oauth2(Tokens.forRole("admin", tenant)).contentType(ContentType.JSON)
                .body(HeartbeatSample.array(List.of(items))).post("/v1/heartbeats/" + what).then().statusCode(200);
    }

    static JsonPath curate() {
        return curate(Tenant.DEFAULT);
    }

    static JsonPath curate(String tenant) {
        return given().auth().oauth2(Tokens.forRole("admin", tenant)).post("/v1/heartbeats/curation").then()
                .statusCode(200).extract().jsonPath();
    }

    static ObjectNode heartbeat(long id, long project, Instant captured, Instant created, Long version, long device,
            ObjectNode metrics) {
        return HeartbeatSample.object("id", id, "project_id", project, "captured_date", captured.toString(),
                "created_date", created.toString(), "type", "heartbeat", "software_version_id", version,
                "device_id", device, "event_info", HeartbeatSample.object("metrics", metrics));
    }

    static JsonPath percentiles(long project, String metric, String groupBy, String from, String to) {
        return percentiles(Tenant.DEFAULT, project, metric, groupBy, from, to);
    }

    static JsonPath percentiles(String tenant, long project, String metric, String groupBy, String from, String to) {
        return given().auth().oauth2(Tokens.forRole("reader", tenant)).queryParam("group_by", groupBy)
                .queryParam("from", from).queryParam("to", to).queryParam("p", "50")
                .get("/v1/projects/" + project + "/metrics/" + metric + "/percentiles").then().statusCode(200)
                .extract().jsonPath();
    }
}
