package dev.footfall.analytics.warehouse;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.testing.CrossTenantTestBase;
import dev.footfall.testing.TestDatabase;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Every warehouse and app-session operation of the document, called by tenant B's admin with tenant A's ids: A has a
 * generated world, a finished run and uploaded sessions. The heartbeat operations are left to the heartbeat part of
 * issue 19 (their tenancy is not this part's); once it lands, one matrix covers the whole document.
 */
@QuarkusTest
class WarehouseAndSessionCrossTenantTest extends CrossTenantTestBase {

    private static final String RIDER = "xt-a-rider-7f3c";
    private static final String AS_OF = "2026-11-01T00:00:00Z";

    @Override
    protected Map<String, String> setUpTenantA() {
        WarehouseApi.generate(TENANT_A, 1_000, 77, AS_OF);
        JsonPath run = WarehouseApi.runToEnd(TENANT_A);
        assertEquals("succeeded", run.getString("status"), run.prettify());
        given().auth().oauth2(Tokens.forRole("admin", TENANT_A)).contentType("text/csv")
                .body("anonymous_id;business_zoned;context_app_version;context_device_id;context_os_name;event_name;"
                        + "received_at;created_at\n"
                        + RIDER + ";xt-a-city-7f3c;1.0;xt-a-device-7f3c;iOS;Application Opened;2024-05-01 10:00:00;"
                        + "2024-05-01 10:00:00\n")
                .post("/v1/sessions/events").then().statusCode(200);
        // {id} is a run id in /runs/{id} and a member id in /members/{id}: A has both of this number.
        return ids("id", String.valueOf(run.getLong("id")));
    }

    @Override
    protected Set<String> markers() {
        // The generated world's names and e-mails are A's alone while B, reading first, has none. (Not the rider's id:
        // the sessions list repeats the id it was asked for.)
        return Set.of("xt-a-city-7f3c", "xt-a-device-7f3c", "Group 1", "Member 1", "Event 1", "@example.org");
    }

    @Override
    protected Map<String, String> queryParams(String operation) {
        return switch (operation) {
            case "GET /v1/sessions" -> Map.of("anonymous_id", RIDER);
            case "GET /v1/sessions/summary" -> Map.of("from", "2024-05-01T00:00:00Z", "to", "2024-05-02T00:00:00Z");
            case "GET /v1/sessions/sample.csv" -> Map.of("rows", "10");
            default -> Map.of();
        };
    }

    @Override
    protected Map<String, String> excluded() {
        Map<String, String> heartbeats = new LinkedHashMap<>();
        try {
            JsonNode paths = new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200)
                    .extract().asString()).path("paths");
            for (Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
                String path = names.next();
                if (path.startsWith("/v1/heartbeats") || path.startsWith("/v1/projects")) {
                    for (String method : List.of("get", "put", "post", "patch", "delete")) {
                        if (paths.path(path).has(method)) {
                            heartbeats.put(method.toUpperCase() + " " + path, "heartbeats: the other part of issue 19");
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return heartbeats;
    }

    @Override
    protected Set<String> volatileFields() {
        return Set.of("checked_at");
    }

    /**
     * Once B's run (the matrix started one) has ended, neither tenant leaves rows: other tests count on a warehouse of
     * one tenant. (The application has stopped by now: the database is asked.)
     */
    @AfterAll
    static void removeTheTenants() throws SQLException, InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement()) {
            while (System.currentTimeMillis() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM analytics.wh_run "
                        + "WHERE tenant IN ('xt-a', 'xt-b') AND status = 'running'")) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(200);
            }
        }
        TestDatabase.execute("SET footfall.source_replacing = 'on'", """
                DO $$
                DECLARE
                    t text;
                BEGIN
                    FOR t IN SELECT format('%I.%I', table_schema, table_name) FROM information_schema.columns
                             WHERE column_name = 'tenant' AND (table_schema = 'source' OR table_schema = 'analytics'
                                   AND (table_name LIKE 'wh\\_%' OR table_name LIKE 'sess\\_%')) LOOP
                        EXECUTE format('DELETE FROM %s WHERE tenant IN (''xt-a'', ''xt-b'')', t);
                    END LOOP;
                END $$""");
    }
}
