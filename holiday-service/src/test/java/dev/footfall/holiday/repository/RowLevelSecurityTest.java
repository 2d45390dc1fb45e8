package dev.footfall.holiday.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database's own enforcement, without the service's queries: connected as the service's role, a statement that
 * names no tenant sees and changes only the locations and holiday versions of the tenant set for its transaction, and
 * none without one.
 */
@QuarkusTest
class RowLevelSecurityTest {

    private static final String ID = "6b1f4c1e-0000-4000-8000-00000000a11a";

    @Test
    void everyTableWithATenantColumnHasForcedPolicies() throws SQLException {
        List<String> unprotected = new ArrayList<>();
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT t.relname, t.relrowsecurity, t.relforcerowsecurity,
                       (SELECT array_agg(p.polname ORDER BY p.polname)::text FROM pg_policy p WHERE p.polrelid = t.oid)
                FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = 'holiday' AND t.relkind IN ('r', 'p') AND NOT t.relispartition
                  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant')
                ORDER BY 1""")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
                if (!rs.getBoolean(2) || !rs.getBoolean(3) || !"{system_jobs,tenant_rows}".equals(rs.getString(4))) {
                    unprotected.add(rs.getString(1) + " " + rs.getString(4));
                }
            }
            assertEquals(List.of("holiday", "holiday_version", "holiday_year", "location"), tables);
        }
        assertEquals(List.of(), unprotected);
    }

    @Test
    void thePoliciesAloneKeepTenantsApart() throws SQLException {
        TestDatabase.execute("INSERT INTO holiday.location (tenant, location_id, country_code) "
                        + "VALUES ('rls-a', '" + ID + "', 'GB'), ('rls-b', '" + ID + "', 'NL')",
                "INSERT INTO holiday.holiday_version (tenant, location_id, version, valid_from, content_hash, "
                        + "provider, changed_years) VALUES "
                        + "('rls-a', '" + ID + "', 1, now(), repeat('a', 64), 'offline', '{2026}'), "
                        + "('rls-b', '" + ID + "', 1, now(), repeat('b', 64), 'offline', '{2026}')");
        try (Connection c = TestDatabase.as("holiday"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // No tenant set: nothing, not everything.
            assertEquals(0, count(s, "SELECT count(*) FROM holiday.location WHERE location_id = '" + ID + "'"));
            assertEquals(0, count(s, "SELECT count(*) FROM holiday.holiday_version WHERE location_id = '" + ID + "'"));
            c.rollback();

            s.execute("SELECT set_config('footfall.tenant', 'rls-a', true)");
            assertEquals(1, count(s, "SELECT count(*) FROM holiday.location WHERE location_id = '" + ID + "'"));
            assertEquals(0, count(s, "SELECT count(*) FROM holiday.location WHERE country_code = 'NL'"));
            assertEquals(1, count(s, "SELECT count(*) FROM holiday.location l JOIN holiday.holiday_version v "
                    + "ON v.location_id = l.location_id WHERE l.location_id = '" + ID + "'"));
            // A statement that forgets the tenant changes only the tenant's rows...
            assertEquals(1, s.executeUpdate("UPDATE holiday.location SET active = false "
                    + "WHERE location_id = '" + ID + "'"));
            assertEquals(1, s.executeUpdate("UPDATE holiday.holiday_version SET valid_to = now() "
                    + "WHERE location_id = '" + ID + "'"));
            // ...and cannot write another tenant's.
            SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(
                    "INSERT INTO holiday.location (tenant, location_id, country_code) "
                            + "VALUES ('rls-b', gen_random_uuid(), 'DE')"));
            assertTrue(refused.getMessage().contains("row-level security"), refused.getMessage());
            c.rollback();

            // The system scope of the scheduled jobs sees every tenant.
            s.execute("SELECT set_config('footfall.scope', 'system', true)");
            assertEquals(2, count(s, "SELECT count(*) FROM holiday.location WHERE location_id = '" + ID + "'"));
            assertEquals(2, count(s, "SELECT count(*) FROM holiday.holiday_version WHERE location_id = '" + ID + "'"));
            c.rollback();
        }
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement()) {
            assertEquals(0, count(s, "SELECT count(*) FROM holiday.location WHERE NOT active AND location_id = '" + ID
                    + "'"));
            assertEquals(0, count(s, "SELECT count(*) FROM holiday.holiday_version WHERE valid_to IS NOT NULL "
                    + "AND location_id = '" + ID + "'"));
        }
    }

    private static int count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
