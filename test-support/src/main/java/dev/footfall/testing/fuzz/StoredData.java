package dev.footfall.testing.fuzz;

import dev.footfall.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a service has stored, as one row count and one order-independent hash of the rows per table of its schemas
 * (partitioned tables through their parent), read as the admin so that row-level security hides nothing. Two equal
 * snapshots mean no row was added, removed or changed in between.
 */
public final class StoredData {

    private final List<String> tables;

    private StoredData(List<String> tables) {
        this.tables = tables;
    }

    /** The tables of {@code schemas}, less {@code ignored} (names without schema) and Flyway's history. */
    public static StoredData of(List<String> schemas, Set<String> ignored) {
        List<String> tables = new ArrayList<>();
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                        + "c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname IN ("
                        + String.join(", ", schemas.stream().map(x -> "'" + x.replace("'", "''") + "'").toList())
                        + ") ORDER BY 1, 2")) {
            while (rs.next()) {
                String table = rs.getString(2);
                if (!table.equals("flyway_schema_history") && !ignored.contains(table)) {
                    tables.add(quote(rs.getString(1)) + "." + quote(table));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list the tables of " + schemas, e);
        }
        return new StoredData(tables);
    }

    public List<String> tables() {
        return tables;
    }

    /** Table → "rows:hash". */
    public Map<String, String> snapshot() {
        Map<String, String> state = new TreeMap<>();
        if (tables.isEmpty()) {
            return state;
        }
        List<String> parts = new ArrayList<>();
        for (String table : tables) {
            parts.add("SELECT '" + table.replace("'", "''") + "', count(*), coalesce(sum(hashtext(t::text)::bigint), 0) FROM "
                    + table + " t");
        }
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(String.join(" UNION ALL ", parts))) {
            while (rs.next()) {
                state.put(rs.getString(1), rs.getLong(2) + ":" + rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the stored data", e);
        }
        return state;
    }

    /** The tables whose rows differ between two snapshots, with both states. */
    public static List<String> differences(Map<String, String> before, Map<String, String> after) {
        List<String> changed = new ArrayList<>();
        for (String table : after.keySet()) {
            if (!after.get(table).equals(before.get(table))) {
                changed.add(table + " (rows:hash " + before.get(table) + " -> " + after.get(table) + ")");
            }
        }
        return changed;
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
