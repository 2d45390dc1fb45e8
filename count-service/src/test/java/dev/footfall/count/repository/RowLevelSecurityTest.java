package dev.footfall.count.repository;

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
 * The database's own enforcement, without the services' queries: connected as the services' roles, a statement that
 * names no tenant sees and changes only the rows of the tenant set for its transaction, none without one, and another
 * service's tables not at all (only what that service publishes).
 */
@QuarkusTest
class RowLevelSecurityTest {

    @Test
    void everyTableWithATenantColumnHasForcedPolicies() throws SQLException {
        List<String> unprotected = new ArrayList<>();
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT n.nspname || '.' || t.relname, t.relrowsecurity, t.relforcerowsecurity,
                       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = t.oid)
                FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname IN ('count', 'ingest') AND t.relkind IN ('r', 'p') AND NOT t.relispartition
                  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant')
                ORDER BY 1""")) {
            int tables = 0;
            while (rs.next()) {
                tables++;
                if (!rs.getBoolean(2) || !rs.getBoolean(3) || rs.getInt(4) < 2) {
                    unprotected.add(rs.getString(1));
                }
            }
            assertTrue(tables >= 11, "count's 8 tables and ingest's 3 carry a tenant, found " + tables);
        }
        assertEquals(List.of(), unprotected);
    }

    @Test
    void thePoliciesAloneKeepTenantsApart() throws SQLException {
        TestDatabase.execute(
                "INSERT INTO count.space (tenant, space_id, name) VALUES ('rls-a', 'rls-room', 'A'), ('rls-b', 'rls-room', 'B')");
        try (Connection c = TestDatabase.as("count"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // No tenant set: nothing, not everything.
            assertEquals(0, count(s, "SELECT count(*) FROM count.space WHERE space_id = 'rls-room'"));
            c.rollback();

            s.execute("SELECT set_config('footfall.tenant', 'rls-a', true)");
            assertEquals(1, count(s, "SELECT count(*) FROM count.space WHERE space_id = 'rls-room'"));
            assertEquals(1, count(s, "SELECT count(*) FROM count.space WHERE name = 'A'"));
            assertEquals(0, count(s, "SELECT count(*) FROM count.space WHERE name = 'B'"));
            // A statement that forgets the tenant changes only the tenant's rows...
            assertEquals(1, s.executeUpdate("UPDATE count.space SET name = 'changed' WHERE space_id = 'rls-room'"));
            // ...and cannot write another tenant's.
            SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(
                    "INSERT INTO count.space (tenant, space_id, name) VALUES ('rls-b', 'rls-other', 'sneaky')"));
            assertTrue(refused.getMessage().contains("row-level security"), refused.getMessage());
            c.rollback();

            // The system scope of the scheduled jobs sees every tenant.
            s.execute("SELECT set_config('footfall.scope', 'system', true)");
            assertEquals(2, count(s, "SELECT count(*) FROM count.space WHERE space_id = 'rls-room'"));
            c.rollback();
        }
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement()) {
            assertEquals(0, count(s, "SELECT count(*) FROM count.space WHERE name = 'changed'"));
        }
    }

    @Test
    void aServiceReadsOnlyWhatTheOtherPublishes() throws SQLException {
        try (Connection c = TestDatabase.as("count"); Statement s = c.createStatement()) {
            for (String table : List.of("ingest.event", "ingest.event_key", "ingest.event_outbox", "ingest.realtime_state")) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1 FROM " + table));
                assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
            }
            s.executeQuery("SELECT count(*) FROM ingest.logged_event").close();
            s.executeQuery("SELECT count(*) FROM ingest.queued_event").close();
        }
        try (Connection c = TestDatabase.as("ingest"); Statement s = c.createStatement()) {
            for (String table : List.of("count.space", "count.placement", "count.doorway_link", "count.space_event")) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1 FROM " + table));
                assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
            }
            s.executeQuery("SELECT count(*) FROM count.sensor_placement").close();
        }
        // A service that is published nothing reads nothing.
        try (Connection c = TestDatabase.as("holiday"); Statement s = c.createStatement()) {
            for (String query : List.of("SELECT * FROM ingest.take_appends(1)", "SELECT 1 FROM ingest.logged_event",
                    "SELECT 1 FROM count.sensor_placement")) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery(query));
                assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
            }
        }
    }

    private static int count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
