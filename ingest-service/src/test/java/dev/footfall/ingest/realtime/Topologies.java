package dev.footfall.ingest.realtime;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plays count-service in ingest-service's tests: writes topology rows and notifies, as count-service does. */
final class Topologies {

    private Topologies() {
    }

    /** A space {@code space} behind doorway {@code door} (+1 enters) with sensor {@code dpu} on it since 2000. */
    static void singleDoor(String space, String door, String dpu, String zone, String dailyReset) {
        sql("INSERT INTO count.space (space_id, tenant, name, timezone, daily_reset) VALUES ('%s', 'default', '%s', '%s', %s)"
                .formatted(space, space, zone, dailyReset == null ? "NULL" : "'" + dailyReset + "'"),
                "INSERT INTO count.doorway (doorway_id, tenant, name) VALUES ('%s', 'default', '%s')".formatted(door, door),
                "INSERT INTO count.doorway_link (doorway_id, space_id, direction, valid_from) VALUES ('%s', '%s', 1, '2000-01-01Z')"
                        .formatted(door, space),
                "INSERT INTO count.placement (dpu_id, doorway_id, installed_at) VALUES ('%s', '%s', '2000-01-01Z')"
                        .formatted(dpu, door),
                "NOTIFY footfall_topology");
    }

    static void sql(String... statements) {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            for (String s : statements) {
                c.createStatement().execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String queryString(String sql) {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                var rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
