package dev.footfall.analytics.session;

import static dev.footfall.analytics.session.SessionApi.csv;
import static dev.footfall.analytics.session.SessionApi.row;
import static dev.footfall.analytics.session.SessionApi.sessionsOf;
import static dev.footfall.analytics.session.SessionApi.upload;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.analytics.TestEnvironment;
import dev.footfall.testing.TestDatabase;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two tenants upload the app's events with the same user and device ids (and one row in common): each stores, sees and
 * counts its own only, and a full rebuild in one leaves the other's sessions as they were.
 */
@QuarkusTest
class SessionTenancyTest extends TestEnvironment {

    private static final String ACME = "sess-acme";
    private static final String GLOBEX = "sess-globex";
    private static final String FROM = "2021-03-01T00:00:00Z";
    private static final String TO = "2021-03-02T00:00:00Z";

    @Test
    void uploadsSessionsSummariesAndRebuildsAreEachTenantsOwn() throws SQLException {
        String shared = row("ten-1", "berlin", "3.0", "DEV-1", "Application Opened", "2021-03-01 08:00:00");
        JsonPath acme = upload(ACME, csv(List.of(shared,
                row("ten-1", "berlin", "3.0", "DEV-1", "Scooter Selected - User", "2021-03-01 08:01:00"),
                row("ten-1", "berlin", "3.0", "DEV-1", "Ride Started - Successful", "2021-03-01 08:02:00"),
                row("ten-2", "berlin", "3.0", "DEV-9", "Application Opened", "2021-03-01 09:00:00"))));
        assertEquals(4, acme.getInt("inserted"));
        // The row Acme stored is new to Globex: content de-duplication is per tenant.
        JsonPath globex = upload(GLOBEX, csv(List.of(shared,
                row("TEN-1", "paris", "4.0", "dev-1", "Application Opened", "2021-03-01 08:30:00"),
                row("ten-1", "paris", "4.0", "dev-1", "Qr Scanner - Scanned Succeeded", "2021-03-01 08:31:00"))));
        assertEquals(3, globex.getInt("inserted"));
        assertEquals(0, globex.getInt("duplicates"));

        // Acme: one session 08:00-08:02, booked. Globex: its own 08:00 row, then 08:30-08:31 (half an hour later: a
        // session of its own), not booked.
        JsonPath acmeSessions = sessionsOf(ACME, "ten-1");
        assertEquals(1, acmeSessions.getList("sessions").size());
        assertEquals("2021-03-01T08:02:00Z", acmeSessions.getString("sessions[0].ended_at"));
        assertTrue(acmeSessions.getBoolean("sessions[0].booked"));
        JsonPath globexSessions = sessionsOf(GLOBEX, "ten-1");
        assertEquals(List.of("2021-03-01T08:00:00Z", "2021-03-01T08:30:00Z"),
                globexSessions.getList("sessions.started_at"));
        assertFalse(globexSessions.getBoolean("sessions[1].booked"));
        assertEquals("paris", globexSessions.getString("sessions[1].city"));
        assertEquals(0, sessionsOf(GLOBEX, "ten-2").getList("sessions").size());

        JsonPath acmeSummary = summary(ACME, null);
        assertEquals(2, acmeSummary.getInt("sessions"));
        assertEquals(1, acmeSummary.getInt("booked"));
        JsonPath globexSummary = summary(GLOBEX, "city");
        assertEquals(List.of("berlin", "paris"), globexSummary.getList("groups.key"));
        assertEquals(0, summary(GLOBEX, null).getInt("booked"));

        // A full rebuild in Acme (beside Globex's sessions: its own are deleted and rebuilt, the indexes stay).
        String indexes = indexDefinitions();
        String globexBefore = sessionsOf(GLOBEX, "ten-1").prettify();
        JsonPath rebuilt = given().auth().oauth2(Tokens.forRole("admin", ACME)).post("/v1/sessions/rebuild").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(2, rebuilt.getInt("sessions"));
        assertEquals(acmeSessions.prettify(), sessionsOf(ACME, "ten-1").prettify());
        assertEquals(globexBefore, sessionsOf(GLOBEX, "ten-1").prettify());
        assertEquals(indexes, indexDefinitions());
        assertEquals(2, summary(GLOBEX, null).getInt("sessions"));
    }

    @AfterAll
    static void removeTheTenants() {
        for (String table : List.of("sess_event", "sess_session", "sess_dirty")) {
            TestDatabase.execute("DELETE FROM analytics." + table + " WHERE tenant IN ('" + ACME + "', '" + GLOBEX
                    + "')");
        }
    }

    private static JsonPath summary(String tenant, String groupBy) {
        var request = given().auth().oauth2(Tokens.forRole("reader", tenant)).queryParam("from", FROM)
                .queryParam("to", TO);
        if (groupBy != null) {
            request.queryParam("group_by", groupBy);
        }
        return request.get("/v1/sessions/summary").then().statusCode(200).extract().jsonPath();
    }

    private static String indexDefinitions() throws SQLException {
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT string_agg(indexdef, ';' ORDER BY indexname) FROM pg_indexes
                WHERE schemaname = 'analytics' AND tablename = 'sess_session'""")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
