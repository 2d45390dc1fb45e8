package dev.footfall.analytics.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.analytics.TenantTables;
import dev.footfall.analytics.TestEnvironment;
import dev.footfall.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database's own enforcement for the source and the warehouse, without the service's queries: every table holding
 * tenant data carries the tenant, leads its keys with it and has forced policies; connected as the service's role, a
 * statement that names no tenant sees and changes only the rows of the tenant set for its transaction, and none
 * without one.
 */
@QuarkusTest
class WarehouseRowLevelSecurityTest extends TestEnvironment {

    /** The IANA zone names: configuration, the same for every tenant, holding no tenant's data. */
    private static final List<String> SHARED = List.of("wh_timezone");

    @Test
    void everySourceAndWarehouseTableCarriesTheTenantUnderForcedPolicies() throws SQLException {
        TenantTables source = TenantTables.of("source", "%");
        TenantTables warehouse = TenantTables.of("analytics", "wh\\_%");
        assertEquals(List.of("deletions", "events", "groups", "members", "memberships", "rsvps", "venues"),
                source.tables());
        assertEquals(List.of(), source.withoutTenant());
        assertEquals(List.of(), source.unprotected());
        assertEquals(List.of(), source.indexesNotLedByTenant());

        List<String> tables = warehouse.tables();
        assertTrue(tables.size() >= 24, "bronze, key maps, silver, gold, runs, watermarks, erasures: " + tables);
        assertEquals(SHARED, warehouse.withoutTenant());
        assertEquals(SHARED, warehouse.unprotected());
        assertEquals(List.of("wh_timezone.wh_timezone_pkey"), warehouse.indexesNotLedByTenant());
        // The work tables of a run are its transaction's own temporary tables, not shared ones.
        for (String work : List.of("wh_changed", "wh_dirty_event", "wh_dirty_group", "wh_dirty_month",
                "wh_rsvp_change")) {
            assertFalse(tables.contains(work), work);
        }
    }

    @Test
    void thePoliciesAloneKeepTenantsApart() throws SQLException {
        TestDatabase.execute("""
                INSERT INTO source.members (tenant, id, name) VALUES ('rls-a', 990001, 'A'), ('rls-b', 990001, 'B')""",
                """
                INSERT INTO analytics.wh_gold_monthly_active (tenant, month, country_code, active_members)
                VALUES ('rls-a', '1999-01-01', 'ZZ', 1), ('rls-b', '1999-01-01', 'ZZ', 2)""");
        try (Connection c = TestDatabase.as("analytics"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // No tenant set: nothing, not everything.
            assertEquals(0, TenantTables.number(s, "SELECT count(*) FROM source.members WHERE id = 990001"));
            assertEquals(0, TenantTables.number(s, "SELECT count(*) FROM analytics.wh_gold_monthly_active WHERE month = '1999-01-01'"));
            c.rollback();

            s.execute("SELECT set_config('footfall.tenant', 'rls-a', true)");
            assertEquals(1, TenantTables.number(s, "SELECT count(*) FROM source.members WHERE id = 990001"));
            assertEquals(0, TenantTables.number(s, "SELECT count(*) FROM source.members WHERE name = 'B'"));
            assertEquals(1, TenantTables.number(s, "SELECT sum(active_members) FROM analytics.wh_gold_monthly_active "
                    + "WHERE month = '1999-01-01'"));
            // A statement that forgets the tenant changes only the tenant's rows...
            assertEquals(1, s.executeUpdate("UPDATE source.members SET name = 'changed' WHERE id = 990001"));
            assertEquals(1, s.executeUpdate("DELETE FROM analytics.wh_gold_monthly_active WHERE month = '1999-01-01'"));
            // ...and cannot write another tenant's.
            SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(
                    "INSERT INTO source.members (tenant, id, name) VALUES ('rls-b', 990002, 'sneaky')"));
            assertTrue(refused.getMessage().contains("row-level security"), refused.getMessage());
            c.rollback();

            // The system scope of the scheduled jobs sees every tenant.
            s.execute("SELECT set_config('footfall.scope', 'system', true)");
            assertEquals(2, TenantTables.number(s, "SELECT count(*) FROM source.members WHERE id = 990001"));
            c.rollback();
        }
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement()) {
            assertEquals(0, TenantTables.number(s, "SELECT count(*) FROM source.members WHERE name = 'changed'"));
            assertEquals(2, TenantTables.number(s, "SELECT count(*) FROM analytics.wh_gold_monthly_active WHERE month = '1999-01-01'"));
            s.execute("DELETE FROM source.members WHERE id = 990001");
            s.execute("DELETE FROM source.deletions WHERE key1 = 990001");
            s.execute("DELETE FROM analytics.wh_gold_monthly_active WHERE month = '1999-01-01'");
        }
    }

    @Test
    void theSourcesDeletionLogCarriesTheDeletingTenant() throws SQLException {
        TestDatabase.execute("""
                INSERT INTO source.rsvps (tenant, event_id, member_id, response)
                VALUES ('rls-a', 990001, 1, 'yes'), ('rls-a', 990001, 2, 'yes'), ('rls-b', 990001, 1, 'yes')""");
        try (Connection c = TestDatabase.as("analytics"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT set_config('footfall.tenant', 'rls-a', true)");
            assertEquals(1, s.executeUpdate("DELETE FROM source.rsvps WHERE event_id = 990001 AND member_id = 1"));
            // The generator replacing a world logs nothing.
            s.execute("SELECT set_config('footfall.source_replacing', 'on', true)");
            assertEquals(1, s.executeUpdate("DELETE FROM source.rsvps WHERE event_id = 990001"));
            c.commit();
        }
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement()) {
            assertEquals(List.of("rls-a:1"), strings(s, """
                    SELECT tenant || ':' || key2 FROM source.deletions WHERE table_name = 'rsvps' AND key1 = 990001"""));
            assertEquals(List.of("rls-b"), strings(s, "SELECT tenant FROM source.rsvps WHERE event_id = 990001"));
            s.execute("DELETE FROM source.rsvps WHERE event_id = 990001");
            s.execute("DELETE FROM source.deletions WHERE key1 = 990001");
        }
    }

    @Test
    void theOneQuestionAboutOtherTenantsIsAnsweredYesOrNoAndLeavesTheScopeAsItWas() throws SQLException {
        TestDatabase.execute("INSERT INTO analytics.wh_erased_member (tenant, member_hash) VALUES ('rls-b', '\\x01')");
        try (Connection c = TestDatabase.as("analytics"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL search_path = analytics");
            s.execute("SELECT set_config('footfall.tenant', 'rls-a', true)");
            String probe = "SELECT other_tenants_hold_rows('%s', ARRAY['wh_erased_member']::regclass[])::int";
            assertEquals(1, TenantTables.number(s, probe.formatted("rls-a")));
            assertEquals(0, TenantTables.number(s, probe.formatted("rls-b")));
            // The system scope ended with the function: the policies admit the tenant's rows only again.
            assertEquals(0, TenantTables.number(s, "SELECT count(*) FROM wh_erased_member WHERE member_hash = '\\x01'"));
            c.rollback();
        }
        TestDatabase.execute("DELETE FROM analytics.wh_erased_member WHERE tenant = 'rls-b'");
    }

    private static List<String> strings(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
