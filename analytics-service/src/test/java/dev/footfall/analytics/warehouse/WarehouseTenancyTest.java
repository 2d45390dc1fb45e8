package dev.footfall.analytics.warehouse;

import static dev.footfall.analytics.warehouse.WarehouseApi.as;
import static dev.footfall.analytics.warehouse.WarehouseApi.awaitRun;
import static dev.footfall.analytics.warehouse.WarehouseApi.start;
import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.analytics.TestEnvironment;
import dev.footfall.analytics.model.warehouse.Retention;
import dev.footfall.analytics.repository.warehouse.WarehouseRunRepository;
import dev.footfall.analytics.service.warehouse.WarehouseCareService;
import dev.footfall.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tenants through the warehouse API: each generates a world of its own (natural ids overlap: both have a member 1),
 * runs at the same time as the other, and gets exactly the silver and gold its world alone gives (a third tenant
 * generating the same world gets the same); another tenant's run is answered like a missing one; erasure, mutation,
 * generation and retention of one tenant leave the other's rows as they were. The steps build on each other.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarehouseTenancyTest extends TestEnvironment {

    private static final String ACME = "wh-acme";
    private static final String GLOBEX = "wh-globex";
    private static final String TWIN = "wh-acme-twin";
    private static final String AS_OF = "2026-11-01T00:00:00Z";
    private static final String OLD_RSVPS = "wh_silver_rsvp r JOIN wh_silver_event e USING (tenant, event_sk) "
            + "WHERE e.starts_at < now() - interval '730 days'";

    private static long acmeRun;
    private static long globexRun;
    private static String acmeGold;
    private static String acmeLayers;

    @Inject
    WarehouseCareService care;

    @Test
    @Order(1)
    void tenantsRunTheirOwnWorldsSideBySide() throws SQLException {
        generate(ACME, 4_000, 7);
        generate(GLOBEX, 6_000, 11);
        // Another writer holds Acme's lock: Acme's run waits its turn, Globex's starts all the same.
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + WarehouseRunRepository.LOCK_KEY + ", hashtext('" + ACME + "'))");
            assertProblem(as(ACME, "admin").post("/v1/warehouse/runs").then(), 409);
            globexRun = start(GLOBEX);
        }
        acmeRun = start(ACME);
        JsonPath acme = awaitRun(ACME, acmeRun);
        JsonPath globex = awaitRun(GLOBEX, globexRun);
        assertEquals("succeeded", acme.getString("status"), acme.prettify());
        assertEquals("succeeded", globex.getString("status"), globex.prettify());
        assertTrue(acme.getBoolean("layers.bronze.first_load"));
        assertEquals(db(ACME).count("source.rsvps"), acme.getLong("layers.bronze.rows.rsvps"));
        assertEquals(db(GLOBEX).count("source.rsvps"), globex.getLong("layers.bronze.rows.rsvps"));
        assertNotEquals(acme.getLong("layers.bronze.rows.rsvps"), globex.getLong("layers.bronze.rows.rsvps"));
        assertEquals(db(ACME).count("source.rsvps"), db(ACME).count("wh_silver_rsvp WHERE is_current"));

        acmeGold = gold(ACME);
        acmeLayers = db(ACME).layersByNaturalKey();
        assertNotEquals(acmeLayers, db(GLOBEX).layersByNaturalKey());
        assertNotEquals(acmeGold, gold(GLOBEX));
    }

    @Test
    @Order(2)
    void aTenantsWarehouseIsWhatItsWorldAloneGives() throws SQLException {
        generate(TWIN, 4_000, 7);
        JsonPath twin = awaitRun(TWIN, start(TWIN));
        assertEquals("succeeded", twin.getString("status"), twin.prettify());
        // Beside other tenants' rows the first load keeps the shared indexes in place (it may not drop theirs).
        assertTrue(twin.getMap("layers.silver.rows").keySet().stream().noneMatch(k -> k.toString().endsWith("(built)")),
                twin.prettify());
        assertEquals(acmeLayers, db(TWIN).layersByNaturalKey());
        assertEquals(acmeGold, gold(TWIN));
        assertEquals(acmeLayers, db(ACME).layersByNaturalKey());
    }

    @Test
    @Order(3)
    void anotherTenantsRunIsAnsweredLikeAMissingOne() {
        long missing = Integer.MAX_VALUE;
        String title = assertProblem(as(GLOBEX, "reader").get("/v1/warehouse/runs/" + missing).then(), 404)
                .body("detail", equalTo("No warehouse run " + missing)).extract().path("title");
        assertProblem(as(GLOBEX, "reader").get("/v1/warehouse/runs/" + acmeRun).then(), 404)
                .body("title", equalTo(title)).body("detail", equalTo("No warehouse run " + acmeRun));
        assertProblem(as(ACME, "reader").get("/v1/warehouse/runs/" + globexRun).then(), 404)
                .body("title", equalTo(title));

        List<Long> acmeRuns = runIds(ACME);
        List<Long> globexRuns = runIds(GLOBEX);
        assertTrue(acmeRuns.contains(acmeRun) && !acmeRuns.contains(globexRun), acmeRuns.toString());
        assertTrue(globexRuns.contains(globexRun) && !globexRuns.contains(acmeRun), globexRuns.toString());
        assertTrue(runIds(TWIN).stream().noneMatch(id -> acmeRuns.contains(id) || globexRuns.contains(id)));
    }

    @Test
    @Order(4)
    void erasureInOneTenantLeavesTheOthersMemberOfTheSameId() throws SQLException {
        long member = commonMemberWithRsvps();
        String globexLayers = db(GLOBEX).layersByNaturalKey();
        String globexGold = gold(GLOBEX);
        String memberRows = "wh_silver_rsvp r JOIN wh_keymap_member k USING (tenant, member_sk) WHERE k.member_id = "
                + member;

        JsonPath erased = as(ACME, "admin").delete("/v1/warehouse/members/" + member).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, erased.getLong("rows.wh_keymap_member"));
        assertTrue(erased.getLong("rows.wh_silver_rsvp") > 0);
        assertEquals(0, db(ACME).count("wh_keymap_member WHERE member_id = " + member));
        assertEquals(0, db(ACME).count("wh_bronze_rsvps WHERE member_id = " + member));
        assertEquals(0, db(ACME).count(memberRows));

        assertEquals(1, db(GLOBEX).count("wh_keymap_member WHERE member_id = " + member));
        assertEquals(1, db(GLOBEX).count("wh_bronze_members WHERE id = " + member));
        assertTrue(db(GLOBEX).count(memberRows) > 0);
        assertEquals(0, db(GLOBEX).count("wh_erased_member"));
        assertEquals(globexLayers, db(GLOBEX).layersByNaturalKey());
        assertEquals(globexGold, gold(GLOBEX));
        // Globex's next run does not lose the member Acme erased.
        assertEquals("succeeded", awaitRun(GLOBEX, start(GLOBEX)).getString("status"));
        assertEquals(1, db(GLOBEX).count("wh_keymap_member WHERE member_id = " + member));

        // An id only Globex has is, to Acme, an id nobody has: the same answer, and Globex's member stays.
        long globexOnly = Long.parseLong(db(GLOBEX).scalar("SELECT max(id) FROM source.members"));
        assertEquals(0, db(ACME).count("source.members WHERE id = " + globexOnly));
        Map<String, Object> nobody = as(ACME, "admin").delete("/v1/warehouse/members/999999999").then()
                .statusCode(200).extract().jsonPath().getMap("rows");
        assertEquals(nobody, as(ACME, "admin").delete("/v1/warehouse/members/" + globexOnly).then().statusCode(200)
                .extract().jsonPath().getMap("rows"));
        assertEquals(1, db(GLOBEX).count("wh_bronze_members WHERE id = " + globexOnly));
        assertEquals(globexLayers, db(GLOBEX).layersByNaturalKey());
    }

    @Test
    @Order(5)
    void mutationAndGenerationChangeTheCallersWorldOnly() throws SQLException {
        String globexSource = db(GLOBEX).sourceDigest();
        String globexLayers = db(GLOBEX).layersByNaturalKey();
        JsonPath mutation = as(ACME, "admin").queryParam("fraction", "0.05").queryParam("seed", 3)
                .post("/v1/warehouse/source/mutate").then().statusCode(200).extract().jsonPath();
        assertTrue(mutation.getLong("rows.rsvps_changed") > 0, mutation.prettify());
        JsonPath run = awaitRun(ACME, start(ACME));
        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertFalse(run.getBoolean("layers.bronze.first_load"));
        assertTrue(run.getLong("layers.bronze.rows.rsvps") > 0);
        // (the source still holds the erased member's RSVPs; bronze and silver do not)
        assertEquals(db(ACME).count("wh_bronze_rsvps"), db(ACME).count("wh_silver_rsvp WHERE is_current"));
        assertEquals(globexSource, db(GLOBEX).sourceDigest());
        assertEquals(globexLayers, db(GLOBEX).layersByNaturalKey());

        // Globex replaces its world: Acme's source and warehouse stay as they are.
        String acmeSource = db(ACME).sourceDigest();
        String acmeNow = db(ACME).layersByNaturalKey();
        generate(GLOBEX, 3_000, 12);
        assertEquals(acmeSource, db(ACME).sourceDigest());
        assertEquals(acmeNow, db(ACME).layersByNaturalKey());
        assertEquals(0, db(GLOBEX).count("wh_silver_rsvp"));
        assertEquals(0, db(GLOBEX).count("wh_watermark"));
        assertEquals(0, db(GLOBEX).count("source.deletions"), "replacing a world logs no deletions");
        JsonPath again = awaitRun(GLOBEX, start(GLOBEX));
        assertEquals("succeeded", again.getString("status"), again.prettify());
        assertTrue(again.getBoolean("layers.bronze.first_load"));
        assertEquals(db(GLOBEX).count("source.rsvps"), db(GLOBEX).count("wh_silver_rsvp WHERE is_current"));
    }

    @Test
    @Order(6)
    void retentionKeepsEachTenantsRowsApart() throws SQLException {
        long acmeOld = db(ACME).count(OLD_RSVPS);
        long globexOld = db(GLOBEX).count(OLD_RSVPS);
        assertTrue(acmeOld > 0 && globexOld > 0, acmeOld + ", " + globexOld);

        JsonPath retention = as(ACME, "admin").post("/v1/warehouse/retention").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(acmeOld, retention.getLong("rows.wh_silver_rsvp"));
        assertEquals(0, db(ACME).count(OLD_RSVPS));
        assertEquals(globexOld, db(GLOBEX).count(OLD_RSVPS));

        // The scheduled retention visits every tenant, each under its own lock: one busy tenant is skipped.
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + WarehouseRunRepository.LOCK_KEY + ", hashtext('" + GLOBEX + "'))");
            Map<String, Retention> busy = care.retainEveryTenant().await().indefinitely();
            assertTrue(busy.containsKey(ACME) && busy.containsKey(TWIN) && !busy.containsKey(GLOBEX), busy.toString());
            assertEquals(0L, busy.get(ACME).rows().get("wh_silver_rsvp"));
            assertEquals(globexOld, db(GLOBEX).count(OLD_RSVPS));
        }
        Map<String, Retention> all = care.retainEveryTenant().await().indefinitely();
        assertEquals(globexOld, all.get(GLOBEX).rows().get("wh_silver_rsvp"));
        assertEquals(0, db(GLOBEX).count(OLD_RSVPS));
        assertEquals(0, db(TWIN).count(OLD_RSVPS));
    }

    /** The tenants of this test leave no rows behind: other tests count on a warehouse of one tenant. */
    @AfterAll
    static void removeTheTenants() throws SQLException {
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement()) {
            s.execute("SET footfall.source_replacing = 'on'");
            List<String> tables = new ArrayList<>();
            try (var rs = s.executeQuery("""
                    SELECT format('%I.%I', table_schema, table_name) FROM information_schema.columns
                    WHERE column_name = 'tenant' AND (table_schema = 'source'
                          OR table_schema = 'analytics' AND table_name LIKE 'wh\\_%')""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                s.execute("DELETE FROM " + table + " WHERE tenant IN ('" + ACME + "', '" + GLOBEX + "', '" + TWIN
                        + "')");
            }
        }
    }

    /** The smallest member id with RSVPs in both Acme's and Globex's worlds. */
    private static long commonMemberWithRsvps() throws SQLException {
        String query = "SELECT DISTINCT member_id FROM source.rsvps r "
                + "WHERE EXISTS (SELECT 1 FROM source.members m WHERE m.id = r.member_id) ORDER BY 1";
        List<String> globex = db(GLOBEX).column(query);
        return db(ACME).column(query).stream().filter(globex::contains).mapToLong(Long::parseLong).min()
                .orElseThrow();
    }

    /** Every gold answer and the quality checks of the tenant, as text. */
    private static String gold(String tenant) {
        StringBuilder out = new StringBuilder();
        for (String table : List.of("event-signups", "monthly-active-members", "group-growth", "top-groups")) {
            out.append(as(tenant, "reader").queryParam("limit", 1000).get("/v1/warehouse/gold/" + table).then()
                    .statusCode(200).extract().body().asString()).append('\n');
        }
        out.append(as(tenant, "reader").get("/v1/warehouse/quality").then().statusCode(200).extract().jsonPath()
                .getList("checks").toString());
        return out.toString();
    }

    private static List<Long> runIds(String tenant) {
        return as(tenant, "reader").queryParam("limit", 500).get("/v1/warehouse/runs").then().statusCode(200)
                .extract().jsonPath().getList("id", Long.class);
    }

    private static void generate(String tenant, long scale, long seed) {
        WarehouseApi.generate(tenant, scale, seed, AS_OF);
    }

    private static WarehouseDb db(String tenant) {
        return WarehouseDb.of(tenant);
    }
}
