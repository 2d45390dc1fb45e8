package dev.footfall.ingest.realtime;

import dev.footfall.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;

/** Plays count-service in ingest-service's tests: writes topology rows and notifies, as count-service does. */
final class Topologies {

    private Topologies() {
    }

    /** A space {@code space} behind doorway {@code door} (+1 enters) with sensor {@code dpu} on it since 2000. */
    static void singleDoor(String space, String door, String dpu, String zone, String dailyReset) {
        singleDoor("default", space, door, dpu, zone, dailyReset);
    }

    /** The same, for a tenant. */
    static void singleDoor(String tenant, String space, String door, String dpu, String zone, String dailyReset) {
        sql("""
                INSERT INTO count.space (tenant, space_id, name, timezone, daily_reset) VALUES ('%s', '%s', '%s', '%s', %s)"""
                        .formatted(tenant, space, space, zone, dailyReset == null ? "NULL" : "'" + dailyReset + "'"),
                "INSERT INTO count.doorway (tenant, doorway_id, name) VALUES ('%s', '%s', '%s')".formatted(tenant, door, door),
                """
                INSERT INTO count.doorway_link (tenant, doorway_id, space_id, direction, valid_from)
                VALUES ('%s', '%s', '%s', 1, '2000-01-01Z')""".formatted(tenant, door, space),
                """
                INSERT INTO count.placement (tenant, dpu_id, doorway_id, installed_at)
                VALUES ('%s', '%s', '%s', '2000-01-01Z')""".formatted(tenant, dpu, door),
                "NOTIFY footfall_topology");
    }

    static void sql(String... statements) {
        TestDatabase.execute(statements);
    }

    static String queryString(String sql) {
        try (Connection c = TestDatabase.admin(); var rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
