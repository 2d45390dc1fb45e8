package dev.footfall.analytics.session;

import static dev.footfall.analytics.session.SessionApi.csv;
import static dev.footfall.analytics.session.SessionApi.row;
import static dev.footfall.analytics.session.SessionApi.sessionsOf;
import static dev.footfall.analytics.session.SessionApi.upload;
import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.analytics.TestEnvironment;
import dev.footfall.analytics.service.session.SessionSampleGenerator;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SessionImportTest extends TestEnvironment {

    @Test
    void badRowsAreReportedByLineWhileGoodRowsAreStoredAndReuploadAddsNothing() {
        String file = csv(List.of(
                row("imp-1", "berlin", "3.12.0", "DEV-1", "Application Opened", "2024-05-01 10:00:00.000"),
                row("imp-1", "berlin", "3.12.0", "DEV-1", "Scooter Selected - User", "2024-05-01 10:01:00"),
                "imp-1;berlin;3.12.0;DEV-1;iOS;Ride Started - Successful;x;not-a-time",
                row("IMP-1", "berlin", "3.12.0", "dev-1", "Ride Started - Successful", "2024-05-01T10:03:00Z"),
                "imp-1;berlin;only three fields",
                "",
                row("imp-1", "berlin", "3.12.0", "DEV-1", "Scooter Selected - User", "2024-05-01 10:01:00"),
                row("imp-1", "berlin", "3.12.0", "DEV-1", "Application Opened", "2024-05-01 10:18:00"),
                row("imp-1", "berlin", "3.12.0", "DEV-1", "Ride Started - Failed", "2024-05-01 10:19:00"),
                row("imp-1", "paris", "3.11.0", "DEV-2", "Qr Scanner - Scanned Succeeded", "2024-05-01 10:05:00")));
        JsonPath first = upload(file);
        assertEquals(9, first.getInt("rows"));
        assertEquals(6, first.getInt("inserted"));
        assertEquals(1, first.getInt("duplicates"));
        assertEquals(2, first.getInt("rejected"));
        assertEquals(List.of(4, 6), first.getList("errors.line"));
        assertTrue(first.getString("errors[0].message").startsWith("created_at:"));
        assertTrue(first.getString("note").startsWith("Log import, not a transaction"));

        JsonPath again = upload(file);
        assertEquals(0, again.getInt("inserted"));
        assertEquals(7, again.getInt("duplicates"));
        assertEquals(0, again.getInt("users_rebuilt"));

        JsonPath sessions = sessionsOf("IMP-1");
        // DEV-1: 10:00-10:03 (selection, successful start), 10:18-10:19 (the failed start books nothing); DEV-2: 10:05.
        assertEquals(3, sessions.getList("sessions").size());
        assertEquals("dev-1", sessions.getString("sessions[0].device_id"));
        assertEquals("2024-05-01T10:00:00Z", sessions.getString("sessions[0].started_at"));
        assertEquals("2024-05-01T10:03:00Z", sessions.getString("sessions[0].ended_at"));
        assertEquals(3, sessions.getInt("sessions[0].event_count"));
        assertEquals(3, sessions.getList("sessions[0].events").size());
        assertEquals("IMP-1", sessions.getString("sessions[0].events[2].anonymous_id"));
        assertTrue(sessions.getBoolean("sessions[0].has_intent"));
        assertTrue(sessions.getBoolean("sessions[0].booked"));
        assertEquals("dev-2", sessions.getString("sessions[1].device_id"));
        assertTrue(sessions.getBoolean("sessions[1].has_intent"));
        assertFalse(sessions.getBoolean("sessions[1].booked"));
        assertEquals("2024-05-01T10:18:00Z", sessions.getString("sessions[2].started_at"));
        assertFalse(sessions.getBoolean("sessions[2].has_intent"));
        assertFalse(sessions.getBoolean("sessions[2].booked"));
    }

    @Test
    void summaryCountsSessionsStartingInTheRangeOverallAndPerGroup() {
        upload(csv(List.of(
                row("sum-1", "oslo", "1.0", "d1", "Application Opened", "2023-01-10 08:00:00"),
                row("sum-1", "oslo", "1.0", "d1", "Scooter Selected - Auto", "2023-01-10 08:01:00"),
                row("sum-1", "oslo", "1.0", "d1", "Rating Screen", "2023-01-10 08:02:00"),
                row("sum-2", "oslo", "1.1", "d2", "Application Opened", "2023-01-10 09:00:00"),
                row("sum-2", "oslo", "1.1", "d2", "Qr Scanner - Scanned Succeeded", "2023-01-10 09:04:00"),
                row("sum-3", "riga", "1.1", "d3", "Ride Done - Successful", "2023-01-10 10:00:00"),
                row("sum-3", "riga", "1.1", "d3", "Application Opened", "2023-01-11 10:00:00"))));
        JsonPath all = given().auth().oauth2(Tokens.reader()).queryParam("from", "2023-01-10T00:00:00Z")
                .queryParam("to", "2023-01-11T00:00:00Z").get("/v1/sessions/summary").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(3, all.getInt("sessions"));
        assertEquals(2, all.getInt("with_intent"));
        assertEquals(2, all.getInt("booked"));
        assertEquals(0.666667, all.getDouble("intent_share"), 1e-9);
        assertEquals(0.666667, all.getDouble("booked_share"), 1e-9);
        assertEquals(0.5, all.getDouble("conversion"), 1e-9);
        assertEquals(120.0, all.getDouble("median_session_seconds"), 1e-9);

        JsonPath byCity = given().auth().oauth2(Tokens.reader()).queryParam("from", "2023-01-10T00:00:00Z")
                .queryParam("to", "2023-01-12T00:00:00Z").queryParam("group_by", "city").get("/v1/sessions/summary")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> groups = byCity.getList("groups");
        assertEquals(2, groups.size());
        assertEquals("oslo", groups.get(0).get("key"));
        assertEquals(2, groups.get(0).get("sessions"));
        assertEquals(0.5, ((Number) groups.get(0).get("conversion")).doubleValue());
        assertEquals("riga", groups.get(1).get("key"));
        assertEquals(2, groups.get(1).get("sessions"));
        assertEquals(0.0, ((Number) groups.get(1).get("median_session_seconds")).doubleValue());
    }

    @Test
    void aLargeFileIsStreamedPastTheJsonBodyLimit() {
        StringWriter file = new StringWriter();
        SessionSampleGenerator.write(60_000, 7, file);
        String text = file.toString();
        assertTrue(text.length() > 2 * 1024 * 1024);
        JsonPath first = upload(text);
        assertEquals(60_000, first.getInt("rows"));
        assertTrue(first.getInt("rejected") > 0, "the sample holds a few broken rows");
        assertTrue(first.getInt("duplicates") > 0, "the sample holds re-sent rows");
        assertEquals(60_000, first.getInt("inserted") + first.getInt("duplicates") + first.getInt("rejected"));
        assertTrue(first.getInt("sessions_written") > 1000);
        assertEquals(0, upload(text).getInt("inserted"));
    }

    @Test
    void badRequestsAreProblems() {
        assertProblem(given().auth().oauth2(Tokens.admin()).contentType("text/csv").body("a;b;c\n1;2;3\n")
                .post("/v1/sessions/events").then(), 400).body("detail", containsString("anonymous_id"));
        assertProblem(given().auth().oauth2(Tokens.admin()).contentType("text/csv").body("")
                .post("/v1/sessions/events").then(), 400);
        assertProblem(given().auth().oauth2(Tokens.reader()).contentType("text/csv").body(SessionApi.HEADER)
                .post("/v1/sessions/events").then(), 403);
        assertProblem(given().auth().oauth2(Tokens.reader()).get("/v1/sessions").then(), 400);
        assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("from", "2023-01-10T00:00:00Z")
                .get("/v1/sessions/summary").then(), 400);
        assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("from", "2023-01-10T00:00:00Z")
                .queryParam("to", "2023-01-11T00:00:00Z").queryParam("group_by", "planet")
                .get("/v1/sessions/summary").then(), 400);
    }
}
