package dev.footfall.analytics.warehouse;

import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.analytics.TestEnvironment;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The warehouse end to end on a generated community of about 20,000 RSVPs: a full run, incremental runs after a 1 %
 * mutation (gold recomputed incrementally equals gold computed from scratch), SCD2 history, quality checks, GDPR
 * erasure searched for in every layer, and retention. The steps build on each other, so they run in order.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarehouseTest extends TestEnvironment {

    private static final String AS_OF = "2026-11-01T00:00:00Z";
    /** The default tenant's rows (the tokens' tenant): row-level security scopes every query below to them. */
    private static final WarehouseDb DB = WarehouseDb.of("default");

    @Test
    @Order(1)
    void generatorIsDeterministicAndAFullRunLoadsEveryLayer() throws SQLException {
        JsonPath first = generate(20_000, 1);
        String digest = scalar("SELECT md5(string_agg(r::text, ',' ORDER BY event_id, member_id)) FROM source.rsvps r");
        JsonPath again = generate(20_000, 1);
        assertEquals(first.getMap("rows"), again.getMap("rows"));
        assertEquals(digest, scalar("SELECT md5(string_agg(r::text, ',' ORDER BY event_id, member_id)) FROM source.rsvps r"));
        long rsvps = first.getLong("rows.rsvps");
        assertTrue(rsvps > 15_000 && rsvps < 25_000, "about 20,000 RSVPs: " + rsvps);
        // Skew: the largest group has far more members than the median one.
        long largest = Long.parseLong(scalar("SELECT max(n) FROM (SELECT count(*) n FROM source.memberships GROUP BY group_id) x"));
        long median = Long.parseLong(scalar("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n) FROM "
                + "(SELECT count(*) n FROM source.memberships GROUP BY group_id) x"));
        assertTrue(largest > 5 * median, largest + " vs " + median);

        JsonPath run = runToEnd();
        assertEquals("succeeded", run.getString("status"));
        assertTrue(run.getBoolean("layers.bronze.first_load"));
        assertEquals(rsvps, run.getLong("layers.bronze.rows.rsvps"));
        assertEquals(count("source.rsvps"), count("wh_bronze_rsvps"));
        assertEquals(count("source.members"), count("wh_silver_member"));
        assertEquals(count("source.rsvps"), count("wh_silver_rsvp WHERE is_current"));
        assertEquals(0, count("wh_silver_rsvp WHERE valid_from <> date_trunc('minute', valid_from)"));
        assertEquals("0", scalar("SELECT count(*) FROM wh_silver_member WHERE birth_year IS NULL"));
        assertGoldEqualsRecomputation();

        JsonPath signups = given().auth().oauth2(Tokens.reader()).queryParam("country", "us").queryParam("limit", 5)
                .get("/v1/warehouse/gold/event-signups").then().statusCode(200).extract().jsonPath();
        assertEquals(5, signups.getList("items").size());
        assertTrue(signups.getLong("total") > 5);
        assertEquals("US", signups.getString("items[0].country_code"));
        JsonPath top = given().auth().oauth2(Tokens.reader()).queryParam("country", "US")
                .get("/v1/warehouse/gold/top-groups").then().statusCode(200).extract().jsonPath();
        assertEquals(1, top.getInt("items[0].rank"));
        assertTrue(top.getLong("items[0].attendance") >= top.getLong("items[1].attendance"));
        JsonPath active = given().auth().oauth2(Tokens.reader()).queryParam("from", "2026-01").queryParam("to", "2026-07")
                .get("/v1/warehouse/gold/monthly-active-members").then().statusCode(200).extract().jsonPath();
        assertTrue(active.getList("items").size() > 6);
        JsonPath growth = given().auth().oauth2(Tokens.reader()).queryParam("group_id", 1)
                .get("/v1/warehouse/gold/group-growth").then().statusCode(200).extract().jsonPath();
        assertFalse(growth.getList("items").isEmpty());
        assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("country", "USA")
                .get("/v1/warehouse/gold/top-groups").then(), 400);
        assertProblem(given().auth().oauth2(Tokens.reader()).get("/v1/warehouse/runs/999999").then(), 404);
        assertProblem(given().auth().oauth2(Tokens.reader()).post("/v1/warehouse/runs").then(), 403);
    }

    @Test
    @Order(2)
    void qualityChecksFindTheGeneratedDirtyRows() {
        JsonPath quality = given().auth().oauth2(Tokens.reader()).get("/v1/warehouse/quality").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> checks = quality.getList("checks");
        assertTrue(checks.size() >= 10);
        for (String name : List.of("member_email_missing", "member_birth_year_out_of_range", "rsvp_guests_out_of_range",
                "event_rsvp_limit_invalid", "event_timezone_unknown", "venue_coordinates_out_of_range",
                "groups_without_admin", "rsvp_after_event_start", "rsvp_orphan_member")) {
            Map<String, Object> check = checks.stream().filter(c -> c.get("name").equals(name)).findFirst().orElseThrow();
            assertTrue(((Number) check.get("violations")).longValue() > 0, name);
            assertFalse(((List<?>) check.get("sample_keys")).isEmpty(), name);
            assertNotNull(check.get("description"));
        }
    }

    @Test
    @Order(3)
    void aOnePercentChangeIsLoadedIncrementallyAndGoldStaysExact() throws SQLException {
        JsonPath mutation = given().auth().oauth2(Tokens.admin()).queryParam("fraction", "0.01").queryParam("seed", 5)
                .post("/v1/warehouse/source/mutate").then().statusCode(200).extract().jsonPath();
        long changed = mutation.getLong("rows.rsvps_changed");
        long added = mutation.getLong("rows.rsvps_added");
        long deleted = mutation.getLong("rows.rsvps_deleted");
        assertTrue(changed > 50 && deleted > 0, mutation.prettify());
        JsonPath run = runToEnd();
        assertEquals("succeeded", run.getString("status"));
        assertFalse(run.getBoolean("layers.bronze.first_load"));
        assertEquals(changed + added, run.getLong("layers.bronze.rows.rsvps"));
        assertEquals(deleted, run.getLong("layers.bronze.rows.'rsvps (deleted)'"));
        assertEquals(count("source.rsvps"), count("wh_bronze_rsvps"));
        assertEquals(count("source.rsvps"), count("wh_silver_rsvp WHERE is_current"));
        assertTrue(count("wh_silver_rsvp WHERE NOT is_current") >= changed + deleted);
        assertGoldEqualsRecomputation();

        JsonPath idle = runToEnd();
        assertEquals(0, idle.getLong("layers.bronze.rows.rsvps"));
        assertEquals(0, idle.getLong("layers.silver.rows.wh_silver_rsvp"));
    }

    @Test
    @Order(4)
    void memberChangesRecomputeMonthlyActiveOnlyWhenCountryOrPresenceChanges() throws SQLException {
        // Renames only: no month of monthly active members is recomputed.
        long renamed = count("source.members WHERE id % 97 = 0");
        execute("UPDATE source.members SET name = name || ' Sr.', updated_at = clock_timestamp() WHERE id % 97 = 0");
        JsonPath rename = runToEnd();
        assertEquals("succeeded", rename.getString("status"));
        assertEquals(renamed, rename.getLong("layers.bronze.rows.members"));
        assertEquals(0, rename.getLong("layers.gold.rows.wh_gold_monthly_active"));
        assertGoldEqualsRecomputation();

        // A member moving country, a member deleted, and the member of orphan RSVPs arriving: their months are.
        String moved = scalar("SELECT min(member_id) FROM source.rsvps WHERE member_id IN (SELECT id FROM source.members)");
        execute("UPDATE source.members SET country_code = CASE WHEN country_code = 'JP' THEN 'AU' ELSE 'JP' END, "
                + "updated_at = clock_timestamp() WHERE id = " + moved);
        String arriving = scalar("SELECT min(member_id) FROM source.rsvps WHERE member_id NOT IN (SELECT id FROM source.members)");
        assertNotNull(arriving, "the generator plants RSVPs of unknown members");
        execute("DELETE FROM source.members WHERE id = (SELECT max(member_id) FROM source.rsvps "
                + "WHERE member_id IN (SELECT id FROM source.members))");
        execute("INSERT INTO source.members (tenant, id, name, country_code) VALUES ('default', " + arriving
                + ", 'Late Member', 'FR')");
        JsonPath moves = runToEnd();
        assertEquals("succeeded", moves.getString("status"));
        assertEquals(1, moves.getLong("layers.bronze.rows.'members (deleted)'"));
        assertTrue(moves.getLong("layers.gold.rows.wh_gold_monthly_active") > 0);
        assertGoldEqualsRecomputation();
    }

    @Test
    @Order(5)
    void yesNoYesKeepsThreeVersionsOfTheRsvp() throws SQLException {
        String[] key = scalar("SELECT event_id || ',' || member_id FROM source.rsvps WHERE response = 'yes' "
                + "AND member_id IN (SELECT id FROM source.members) ORDER BY event_id DESC, member_id LIMIT 1").split(",");
        long event = Long.parseLong(key[0]);
        long member = Long.parseLong(key[1]);
        for (String response : List.of("no", "yes")) {
            execute("UPDATE source.rsvps SET response = '" + response + "', responded_at = clock_timestamp() + interval '"
                    + (response.equals("no") ? 1 : 3) + " minutes' WHERE event_id = " + event + " AND member_id = " + member);
            assertEquals("succeeded", runToEnd().getString("status"));
        }
        List<String> history = column("""
                SELECT r.response || ':' || r.is_current || ':' || (r.valid_to IS NULL)
                FROM wh_silver_rsvp r JOIN wh_keymap_event ke USING (event_sk) JOIN wh_keymap_member km USING (member_sk)
                WHERE ke.event_id = %d AND km.member_id = %d ORDER BY r.valid_from, r.rsvp_version_sk""".formatted(event, member));
        assertEquals(List.of("yes:false:false", "no:false:false", "yes:true:true"), history);
    }

    @Test
    @Order(6)
    void erasureRemovesTheMemberFromEveryLayerAndGoldStaysConsistent() throws SQLException {
        long member = Long.parseLong(scalar("""
                SELECT m.id FROM source.members m
                WHERE EXISTS (SELECT 1 FROM source.rsvps r WHERE r.member_id = m.id)
                  AND EXISTS (SELECT 1 FROM source.memberships ms WHERE ms.member_id = m.id) AND m.email IS NOT NULL
                ORDER BY (SELECT count(*) FROM source.rsvps r WHERE r.member_id = m.id) DESC, m.id LIMIT 1"""));
        String email = scalar("SELECT email FROM source.members WHERE id = " + member);
        String name = scalar("SELECT name FROM source.members WHERE id = " + member);
        long sk = Long.parseLong(scalar("SELECT member_sk FROM wh_keymap_member WHERE member_id = " + member));

        JsonPath erased = given().auth().oauth2(Tokens.admin()).delete("/v1/warehouse/members/" + member).then()
                .statusCode(200).extract().jsonPath();
        assertTrue(erased.getLong("rows.wh_silver_rsvp") > 0);
        assertEquals(1, erased.getLong("rows.wh_keymap_member"));
        assertNothingOf(member, sk, email, name);
        assertGoldEqualsRecomputation();

        // The source still holds the member; a change there does not bring them back.
        execute("UPDATE source.members SET city = 'Elsewhere', updated_at = clock_timestamp() WHERE id = " + member);
        execute("UPDATE source.rsvps SET guests = 2, responded_at = clock_timestamp() WHERE member_id = " + member);
        assertEquals("succeeded", runToEnd().getString("status"));
        assertNothingOf(member, sk, email, name);
        assertGoldEqualsRecomputation();
        assertProblem(given().auth().oauth2(Tokens.reader()).delete("/v1/warehouse/members/" + member).then(), 403);
    }

    @Test
    @Order(7)
    void retentionRemovesOldRsvpDetailButKeepsTheAggregates() throws SQLException {
        long oldSignups = count("wh_gold_event_signup WHERE starts_at < now() - interval '730 days'");
        assertTrue(oldSignups > 0);
        JsonPath retention = given().auth().oauth2(Tokens.admin()).post("/v1/warehouse/retention").then()
                .statusCode(200).extract().jsonPath();
        assertTrue(retention.getLong("rows.wh_silver_rsvp") > 0);
        assertEquals(0, count("wh_silver_rsvp r JOIN wh_silver_event e USING (event_sk) "
                + "WHERE e.starts_at < now() - interval '730 days'"));
        assertEquals(oldSignups, count("wh_gold_event_signup WHERE starts_at < now() - interval '730 days'"));
    }

    @Test
    @Order(8)
    void aFirstLoadWritesWhatTheIncrementalPathWritesFromScratch() throws SQLException {
        emptyTheLayers();
        String indexes = """
                SELECT string_agg(indexdef, ';' ORDER BY indexname) FROM pg_indexes
                WHERE schemaname = 'analytics' AND tablename LIKE 'wh\\_%'""";
        String before = scalar(indexes);
        JsonPath first = runToEnd();
        assertEquals("succeeded", first.getString("status"));
        assertTrue(first.getBoolean("layers.bronze.first_load"));
        // The first load dropped the large tables' indexes and built them again, as they were.
        assertTrue(first.getMap("layers.silver.rows").containsKey("wh_silver_rsvp_current (built)"));
        assertEquals(before, scalar(indexes));
        String firstLoad = DB.layersByNaturalKey();
        assertGoldEqualsRecomputation();

        // A moved watermark (older than every source row) sends the same load down the incremental statements.
        emptyTheLayers();
        execute("UPDATE wh_watermark SET changed_upto = '1900-01-01Z'");
        JsonPath incremental = runToEnd();
        assertEquals("succeeded", incremental.getString("status"));
        assertFalse(incremental.getBoolean("layers.bronze.first_load"));
        assertEquals(first.getLong("layers.bronze.rows.rsvps"), incremental.getLong("layers.bronze.rows.rsvps"));
        assertEquals(firstLoad, DB.layersByNaturalKey());
    }

    /** Empties the tenant's bronze, key maps, silver and gold (its source and erasure list stay). */
    private static void emptyTheLayers() throws SQLException {
        for (String table : List.of("wh_bronze_groups", "wh_bronze_members", "wh_bronze_memberships",
                "wh_bronze_venues", "wh_bronze_events", "wh_bronze_rsvps", "wh_keymap_group", "wh_keymap_member",
                "wh_keymap_venue", "wh_keymap_event", "wh_silver_group", "wh_silver_member", "wh_silver_membership",
                "wh_silver_venue", "wh_silver_event", "wh_silver_rsvp", "wh_gold_event_signup",
                "wh_gold_monthly_active", "wh_gold_group_growth", "wh_gold_top_group")) {
            execute("DELETE FROM " + table);
        }
        execute("UPDATE wh_watermark SET changed_upto = NULL, deleted_upto = NULL");
    }

    /** Searches bronze, the key map, silver and gold for the member's id, surrogate key, e-mail and name. */
    private static void assertNothingOf(long member, long sk, String email, String name) throws SQLException {
        for (String where : List.of("wh_bronze_members WHERE id = " + member,
                "wh_bronze_memberships WHERE member_id = " + member, "wh_bronze_rsvps WHERE member_id = " + member,
                "wh_keymap_member WHERE member_id = " + member + " OR member_sk = " + sk,
                "wh_silver_member WHERE member_sk = " + sk, "wh_silver_membership WHERE member_sk = " + sk,
                "wh_silver_rsvp WHERE member_sk = " + sk)) {
            assertEquals(0, count(where), where);
        }
        for (String table : column("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'analytics' AND table_name LIKE 'wh\\_%' AND table_type = 'BASE TABLE'""")) {
            assertEquals(0, count(table + " t WHERE t::text LIKE '%" + email + "%' OR t::text LIKE '%" + name + ",%' "
                    + "OR t::text LIKE '%" + name + ")%'"), "in " + table);
        }
    }

    /** Gold as kept incrementally equals gold computed from scratch from silver. */
    private static void assertGoldEqualsRecomputation() throws SQLException {
        assertEquals(0, count("""
                (SELECT event_sk, yes_count, no_count, waitlist_count, guests, signups FROM wh_gold_event_signup
                 EXCEPT
                 SELECT e.event_sk, count(*) FILTER (WHERE r.response = 'yes'), count(*) FILTER (WHERE r.response = 'no'),
                        count(*) FILTER (WHERE r.response = 'waitlist'),
                        coalesce(sum(greatest(r.guests, 0)) FILTER (WHERE r.response = 'yes'), 0),
                        count(*) FILTER (WHERE r.response = 'yes') + coalesce(sum(greatest(r.guests, 0)) FILTER (WHERE r.response = 'yes'), 0)
                 FROM wh_silver_event e LEFT JOIN wh_silver_rsvp r ON r.event_sk = e.event_sk AND r.is_current
                 GROUP BY e.event_sk) x"""));
        assertEquals(count("wh_silver_event"), count("wh_gold_event_signup"));
        String recomputedActive = """
                SELECT date_trunc('month', r.valid_from AT TIME ZONE 'UTC')::date AS month, coalesce(m.country_code, 'ZZ') AS c,
                       count(DISTINCT r.member_sk) AS n
                FROM wh_silver_rsvp r JOIN wh_silver_member m USING (member_sk) GROUP BY 1, 2""";
        assertEquals(0, count("(SELECT month, country_code, active_members FROM wh_gold_monthly_active EXCEPT "
                + recomputedActive + ") x"));
        assertEquals(0, count("(" + recomputedActive + " EXCEPT SELECT month, country_code, active_members "
                + "FROM wh_gold_monthly_active) x"));
        String recomputedGrowth = """
                SELECT group_sk, month, n, sum(n) OVER (PARTITION BY group_sk ORDER BY month)
                FROM (SELECT group_sk, date_trunc('month', joined_at AT TIME ZONE 'UTC')::date AS month, count(*) AS n
                      FROM wh_silver_membership WHERE joined_at IS NOT NULL GROUP BY 1, 2) x""";
        assertEquals(0, count("(SELECT group_sk, month, new_members, total_members FROM wh_gold_group_growth EXCEPT "
                + recomputedGrowth + ") x"));
        assertEquals(0, count("(" + recomputedGrowth + " EXCEPT SELECT group_sk, month, new_members, total_members "
                + "FROM wh_gold_group_growth) x"));
    }

    private static JsonPath generate(long scale, long seed) {
        return WarehouseApi.generate("default", scale, seed, AS_OF);
    }

    static JsonPath runToEnd() {
        return WarehouseApi.runToEnd("default");
    }

    private static String scalar(String sql) throws SQLException {
        return DB.scalar(sql);
    }

    private static List<String> column(String sql) throws SQLException {
        return DB.column(sql);
    }

    private static long count(String from) throws SQLException {
        return DB.count(from);
    }

    private static void execute(String sql) throws SQLException {
        DB.execute(sql);
    }
}
