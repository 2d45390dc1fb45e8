package dev.footfall.analytics;

import dev.footfall.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the catalog says about a family of tables (a schema and a name pattern): which lack a tenant column, which lack
 * row-level security enabled and forced with both policies, and which indexes do not lead with the tenant.
 */
public final class TenantTables {

    private final String schema;
    private final String namePattern;

    private TenantTables(String schema, String namePattern) {
        this.schema = schema;
        this.namePattern = namePattern;
    }

    /** The tables of {@code schema} whose names are LIKE {@code namePattern}. */
    public static TenantTables of(String schema, String namePattern) {
        return new TenantTables(schema, namePattern);
    }

    /** Every table of the family. */
    public List<String> tables() throws SQLException {
        return query("SELECT t.relname FROM pg_class t WHERE " + family() + " ORDER BY 1");
    }

    /** Tables of the family without a tenant column. */
    public List<String> withoutTenant() throws SQLException {
        return query("SELECT t.relname FROM pg_class t WHERE " + family() + """
                  AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant'
                                  AND NOT a.attisdropped)
                ORDER BY 1""");
    }

    /** Tables of the family that are not enabled and forced, or lack the two policies tenant_rows and system_jobs. */
    public List<String> unprotected() throws SQLException {
        return query("SELECT t.relname FROM pg_class t WHERE " + family() + """
                  AND NOT (t.relrowsecurity AND t.relforcerowsecurity
                           AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = t.oid AND p.polname = 'tenant_rows'
                                       AND p.polcmd = '*'
                                       AND pg_get_expr(p.polqual, p.polrelid) LIKE '%current_setting(''footfall.tenant''%'
                                       AND pg_get_expr(p.polwithcheck, p.polrelid)
                                           LIKE '%current_setting(''footfall.tenant''%')
                           AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = t.oid AND p.polname = 'system_jobs'
                                       AND p.polcmd = '*'
                                       AND pg_get_expr(p.polqual, p.polrelid) LIKE '%footfall.scope%'))
                ORDER BY 1""");
    }

    /** Indexes (keys included) of the family whose first column is not the tenant, as table.index. */
    public List<String> indexesNotLedByTenant() throws SQLException {
        return query("""
                SELECT t.relname || '.' || i.relname FROM pg_class t
                JOIN pg_index x ON x.indrelid = t.oid JOIN pg_class i ON i.oid = x.indexrelid
                LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
                WHERE""" + " " + family() + " AND a.attname IS DISTINCT FROM 'tenant' ORDER BY 1");
    }

    /** The first column of the first row of a query, as a number (a count, a sum). */
    public static int number(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private String family() {
        return "t.relnamespace = '" + schema + "'::regnamespace AND t.relkind IN ('r', 'p') AND NOT t.relispartition "
                + "AND t.relname LIKE '" + namePattern + "'";
    }

    private static List<String> query(String sql) throws SQLException {
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
