package dev.footfall.analytics.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.analytics.TenantTables;
import dev.footfall.analytics.TestEnvironment;
import dev.footfall.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database's own enforcement for app sessions: every sess_ table carries the tenant, leads its keys with it and
 * has forced policies (the rebuild's window table is its transaction's own temporary table); connected as the
 * service's role, a statement that names no tenant sees only the rows of the tenant set for its transaction.
 */
@QuarkusTest
class SessionRowLevelSecurityTest extends TestEnvironment {

    @Test
    void everySessionTableCarriesTheTenantUnderForcedPolicies() throws SQLException {
        TenantTables sessions = TenantTables.of("analytics", "sess\\_%");
        assertEquals(List.of("sess_dirty", "sess_event", "sess_session"), sessions.tables());
        assertEquals(List.of(), sessions.withoutTenant());
        assertEquals(List.of(), sessions.unprotected());
        assertEquals(List.of(), sessions.indexesNotLedByTenant());
    }

    @Test
    void thePoliciesAloneKeepTenantsApart() throws SQLException {
        TestDatabase.execute("""
                INSERT INTO analytics.sess_session (tenant, anonymous_key, device_key, started_at, ended_at, events,
                                                    has_intent, booked)
                VALUES ('rls-a', 'rls-user', 'd', '1999-01-01Z', '1999-01-01Z', 1, false, false),
                       ('rls-b', 'rls-user', 'd', '1999-01-01Z', '1999-01-01Z', 3, false, false)""");
        try (Connection c = TestDatabase.as("analytics"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            String events = "SELECT coalesce(sum(events), 0) FROM analytics.sess_session WHERE anonymous_key = 'rls-user'";
            assertEquals(0, TenantTables.number(s, events));
            c.rollback();

            s.execute("SELECT set_config('footfall.tenant', 'rls-b', true)");
            assertEquals(3, TenantTables.number(s, events));
            assertEquals(1, s.executeUpdate("DELETE FROM analytics.sess_session WHERE anonymous_key = 'rls-user'"));
            SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate("""
                    INSERT INTO analytics.sess_dirty (tenant, anonymous_key, device_key, min_created_at, max_created_at)
                    VALUES ('rls-a', 'rls-user', 'd', now(), now())"""));
            assertTrue(refused.getMessage().contains("row-level security"), refused.getMessage());
            c.rollback();

            s.execute("SELECT set_config('footfall.scope', 'system', true)");
            assertEquals(4, TenantTables.number(s, events));
            c.rollback();
        }
        TestDatabase.execute("DELETE FROM analytics.sess_session WHERE anonymous_key = 'rls-user'");
    }
}
