package dev.footfall.analytics.session;

import static io.restassured.RestAssured.given;

import dev.footfall.testing.Tokens;
import io.restassured.path.json.JsonPath;
import java.util.List;

/** Helpers for tests of app sessions. */
final class SessionApi {

    static final String HEADER = "anonymous_id;business_zoned;context_app_version;context_device_id;context_os_name;"
            + "event_name;received_at;created_at";

    private SessionApi() {
    }

    static String csv(List<String> rows) {
        return HEADER + "\n" + String.join("\n", rows) + "\n";
    }

    static String row(String anonymousId, String city, String version, String device, String event, String createdAt) {
        return String.join(";", anonymousId, city, version, device, "iOS", event, createdAt, createdAt);
    }

    static JsonPath upload(String csv) {
        return upload("default", csv);
    }

    static JsonPath upload(String tenant, String csv) {
        return given().auth().oauth2(Tokens.forRole("admin", tenant)).contentType("text/csv").body(csv)
                .post("/v1/sessions/events").then().statusCode(200).extract().jsonPath();
    }

    static JsonPath sessionsOf(String anonymousId) {
        return sessionsOf("default", anonymousId);
    }

    static JsonPath sessionsOf(String tenant, String anonymousId) {
        return given().auth().oauth2(Tokens.forRole("reader", tenant)).queryParam("anonymous_id", anonymousId)
                .queryParam("limit", 1000).get("/v1/sessions").then().statusCode(200).extract().jsonPath();
    }
}
