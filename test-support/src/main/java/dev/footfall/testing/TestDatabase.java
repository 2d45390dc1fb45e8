package dev.footfall.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * JDBC connections to the test run's database (see {@link FootfallTestResource}): as the admin, a superuser that row-level
 * security does not bind, for writing fixtures and checking stored rows; or as a service's own role, as the application
 * connects, where the policies apply.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    /** The admin: sees and writes every tenant's rows. */
    public static Connection admin() {
        return connect("footfall.test.db.admin");
    }

    /** A service's role ({@code ingest}, {@code count}, {@code holiday}, {@code analytics}). */
    public static Connection as(String service) {
        return connect("footfall.test.db." + service);
    }

    public static String role(String service) {
        return ConfigProvider.getConfig().getValue("footfall.test.db." + service + ".user", String.class);
    }

    /** Runs statements as the admin. */
    public static void execute(String... statements) {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect(String prefix) {
        Config config = ConfigProvider.getConfig();
        try {
            return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                    config.getValue(prefix + ".user", String.class),
                    config.getOptionalValue(prefix + ".password", String.class).orElse(""));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
