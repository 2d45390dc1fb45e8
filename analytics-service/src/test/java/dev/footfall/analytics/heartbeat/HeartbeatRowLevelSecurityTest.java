package dev.footfall.analytics.heartbeat;

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
 * The database's own enforcement on the heartbeat tables, without the service's queries: connected as the service's
 * role, a statement that names no tenant sees and changes only the rows of the tenant set for its transaction, none
 * without one, and every tenant's in the scheduled job's system scope.
 */
@QuarkusTest
class HeartbeatRowLevelSecurityTest {

    @Test
    void everyHeartbeatTableCarriesATenantAndHasForcedPolicies() throws SQLException {
        List<String> unprotected = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT t.relname,
                       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant'
                                                              AND NOT a.attisdropped),
                       t.relrowsecurity, t.relforcerowsecurity,
                       (SELECT array_agg(p.polname ORDER BY p.polname) FROM pg_policy p WHERE p.polrelid = t.oid)::text
                FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = 'analytics' AND t.relkind IN ('r', 'p') AND NOT t.relispartition
                  AND t.relname LIKE 'hb\\_%'
                ORDER BY 1""")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
                if (!rs.getBoolean(2) || !rs.getBoolean(3) || !rs.getBoolean(4)
                        || !"{system_jobs,tenant_rows}".equals(rs.getString(5))) {
                    unprotected.add(rs.getString(1));
                }
            }
        }
        assertEquals(List.of("hb_cell_day", "hb_curation_run", "hb_curation_state", "hb_heartbeat",
                "hb_metric_catalog", "hb_metric_day", "hb_stg_cohort", "hb_stg_device", "hb_stg_event",
                "hb_stg_software_version"), tables);
        assertEquals(List.of(), unprotected);
    }

    @Test
    void theTenantLeadsEveryHeartbeatIndex() throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT i.indexrelid::regclass::text
                FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
                WHERE n.nspname = 'analytics' AND t.relkind IN ('r', 'p') AND NOT t.relispartition
                  AND t.relname LIKE 'hb\\_%' AND a.attname <> 'tenant'
                ORDER BY 1""")) {
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
        }
        assertEquals(List.of(), indexes, "indexes not led by the tenant");
    }

    @Test
    void thePoliciesAloneKeepTenantsApart() throws SQLException {
        try (Connection c = TestDatabase.as("analytics"); Statement s = c.createStatement()) {
            // The day's partition, created as the service creates it (a partition has no policies of its own; every
            // statement goes through the parent's).
            s.execute("SELECT analytics.hb_ensure_day_partitions(ARRAY['2019-01-01'::date])");
        }
        TestDatabase.execute("""
                INSERT INTO analytics.hb_stg_cohort (tenant, id, project_id, name)
                VALUES ('rls-a', 9601, 96, 'A'), ('rls-b', 9601, 96, 'B')""", """
                INSERT INTO analytics.hb_heartbeat (tenant, event_id, project_id, device_id, captured_date,
                                                    created_date, metric_values)
                VALUES ('rls-a', 9601, 96, 1, '2019-01-01 10:00+00', '2019-01-01 10:00+00', '{1}'),
                       ('rls-b', 9601, 96, 1, '2019-01-01 10:00+00', '2019-01-01 10:00+00', '{2}'),
                       ('rls-b', 9602, 96, 1, '2019-01-01 11:00+00', '2019-01-01 11:00+00', '{3}')""");
        try (Connection c = TestDatabase.as("analytics"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL search_path = analytics");
            // No tenant set: nothing, not everything.
            assertEquals(0, count(s, "SELECT count(*) FROM hb_stg_cohort WHERE id = 9601"));
            assertEquals(0, count(s, "SELECT count(*) FROM hb_heartbeat WHERE project_id = 96"));
            c.rollback();

            s.execute("SET LOCAL search_path = analytics");
            s.execute("SELECT set_config('footfall.tenant', 'rls-a', true)");
            assertEquals(1, count(s, "SELECT count(*) FROM hb_stg_cohort WHERE id = 9601"));
            assertEquals(0, count(s, "SELECT count(*) FROM hb_stg_cohort WHERE name = 'B'"));
            // An aggregate that forgets the tenant sums the tenant's heartbeats only.
            assertEquals(1, count(s, "SELECT sum(metric_values[1])::int FROM hb_heartbeat WHERE project_id = 96"));
            // A statement that forgets the tenant changes only the tenant's rows...
            assertEquals(1, s.executeUpdate("UPDATE hb_stg_cohort SET name = 'changed' WHERE id = 9601"));
            assertEquals(1, s.executeUpdate("DELETE FROM hb_heartbeat WHERE event_id = 9601"));
            // ...and cannot write another tenant's.
            SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate("""
                    INSERT INTO hb_heartbeat (tenant, event_id, project_id, device_id, captured_date, created_date,
                                              metric_values)
                    VALUES ('rls-b', 9603, 96, 1, '2019-01-01 12:00+00', '2019-01-01 12:00+00', '{4}')"""));
            assertTrue(refused.getMessage().contains("row-level security"), refused.getMessage());
            c.rollback();

            // The system scope of the scheduled job sees every tenant.
            s.execute("SET LOCAL search_path = analytics");
            s.execute("SELECT set_config('footfall.scope', 'system', true)");
            assertEquals(2, count(s, "SELECT count(*) FROM hb_stg_cohort WHERE id = 9601"));
            assertEquals(6, count(s, "SELECT sum(metric_values[1])::int FROM hb_heartbeat WHERE project_id = 96"));
            c.rollback();
        }
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement()) {
            assertEquals(0, count(s, "SELECT count(*) FROM analytics.hb_stg_cohort WHERE name = 'changed'"));
            assertEquals(3, count(s, "SELECT count(*) FROM analytics.hb_heartbeat WHERE project_id = 96"));
        }
    }

    private static int count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
