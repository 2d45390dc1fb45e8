package dev.footfall.count.counting;

import static io.restassured.RestAssured.given;

import dev.footfall.testing.Tokens;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;

/** Sets up topology through count-service's API and in the reference model alike, and asks for counts. */
final class CountingFixture {

    final ReferenceModel model = new ReferenceModel();
    private final String prefix;

    CountingFixture(String prefix) {
        this.prefix = prefix;
    }

    String id(String name) {
        return prefix + "-" + name;
    }

    void space(String name, String zone, String dailyReset, String parent) {
        String body = "{\"name\":\"" + name + "\",\"timezone\":\"" + zone + "\""
                + (dailyReset == null ? "" : ",\"daily_reset\":\"" + dailyReset + "\"")
                + (parent == null ? "" : ",\"parent_id\":\"" + id(parent) + "\"") + "}";
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body)
                .put("/v1/spaces/" + id(name)).then().statusCode(201);
        model.space(id(name), zone, dailyReset);
    }

    /** {@code spaceDirs}: space name, direction, ... */
    void link(String doorway, Instant from, Object... spaceDirs) {
        StringBuilder spaces = new StringBuilder();
        Object[] ids = new Object[spaceDirs.length];
        for (int i = 0; i < spaceDirs.length; i += 2) {
            spaces.append(i == 0 ? "" : ",").append("{\"space_id\":\"").append(id((String) spaceDirs[i]))
                    .append("\",\"direction\":").append(spaceDirs[i + 1]).append("}");
            ids[i] = id((String) spaceDirs[i]);
            ids[i + 1] = spaceDirs[i + 1];
        }
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"" + doorway + "\",\"spaces\":[" + spaces + "],\"effective_from\":\"" + from + "\"}")
                .put("/v1/doorways/" + id(doorway)).then().statusCode(org.hamcrest.Matchers.anyOf(
                        org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
        model.link(id(doorway), from, ids);
    }

    void place(String dpu, String doorway, Instant at) {
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"doorway_id\":" + (doorway == null ? "null" : "\"" + id(doorway) + "\"")
                        + ",\"installed_at\":\"" + at + "\"}")
                .post("/v1/dpus/" + id(dpu) + "/placements").then().statusCode(201);
        model.place(id(dpu), doorway == null ? null : id(doorway), at);
    }

    EventLog.Event event(String dpu, String ts, int direction) {
        return new EventLog.Event(id(dpu), Instant.parse(ts), direction);
    }

    /** Appends a batch (arrival order = list order), in the service's log and the model. */
    void arrive(List<EventLog.Event> events) {
        EventLog.append(events);
        events.forEach(model::arrive);
    }

    Integer countAt(String space, Instant at) {
        return given().auth().oauth2(Tokens.reader()).get("/v1/spaces/" + id(space) + "/count?at=" + at)
                .then().statusCode(200).extract().path("count");
    }

    Integer expected(String space, Instant at) {
        return model.countAsOf(id(space), at);
    }
}
