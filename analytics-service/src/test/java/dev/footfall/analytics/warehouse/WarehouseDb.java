package dev.footfall.analytics.warehouse;

import dev.footfall.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes one tenant's source and warehouse rows as the service's role, with the tenant set for the session:
 * the row-level security policies scope every statement to that tenant, so tests inspect a tenant's rows with the
 * plain queries they would write for one warehouse (and prove the policies do their part while at it).
 */
final class WarehouseDb {

    private final String tenant;

    private WarehouseDb(String tenant) {
        this.tenant = tenant;
    }

    static WarehouseDb of(String tenant) {
        return new WarehouseDb(tenant);
    }

    String scalar(String sql) throws SQLException {
        List<String> values = column(sql);
        return values.isEmpty() ? null : values.get(0);
    }

    List<String> column(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    long count(String from) throws SQLException {
        return Long.parseLong(scalar("SELECT count(*) FROM " + from));
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Silver and gold with surrogate keys replaced by natural ones, as one digest per table. */
    String layersByNaturalKey() throws SQLException {
        return String.join(",", column("""
                SELECT k || ':' || md5(string_agg(t, '|' ORDER BY t)) FROM (
                    SELECT 'g' AS k, row(kg.group_id, g.group_name, g.city, g.country_code, g.created_at, g.topics)::text AS t
                    FROM wh_silver_group g JOIN wh_keymap_group kg USING (tenant, group_sk)
                    UNION ALL SELECT 'm', row(km.member_id, m.member_name, m.email, m.city, m.country_code, m.birth_year,
                                              m.joined_at)::text
                    FROM wh_silver_member m JOIN wh_keymap_member km USING (tenant, member_sk)
                    UNION ALL SELECT 'ms', row(kg.group_id, km.member_id, ms.role, ms.joined_at)::text
                    FROM wh_silver_membership ms JOIN wh_keymap_group kg USING (tenant, group_sk)
                    JOIN wh_keymap_member km USING (tenant, member_sk)
                    UNION ALL SELECT 'v', row(kv.venue_id, v.venue_name, v.city, v.country_code, v.lat, v.lon)::text
                    FROM wh_silver_venue v JOIN wh_keymap_venue kv USING (tenant, venue_sk)
                    UNION ALL SELECT 'e', row(ke.event_id, kg.group_id, kv.venue_id, e.event_name, e.starts_at,
                                              e.local_timezone, e.timezone_valid, e.duration_minutes, e.rsvp_limit,
                                              e.status, e.created_at, e.updated_at)::text
                    FROM wh_silver_event e JOIN wh_keymap_event ke USING (tenant, event_sk)
                    LEFT JOIN wh_keymap_group kg ON kg.tenant = e.tenant AND kg.group_sk = e.group_sk
                    LEFT JOIN wh_keymap_venue kv ON kv.tenant = e.tenant AND kv.venue_sk = e.venue_sk
                    UNION ALL SELECT 'r', row(ke.event_id, km.member_id, r.response, r.guests, r.responded_at,
                                              r.valid_from, r.valid_to, r.is_current)::text
                    FROM wh_silver_rsvp r JOIN wh_keymap_event ke USING (tenant, event_sk)
                    JOIN wh_keymap_member km USING (tenant, member_sk)
                    UNION ALL SELECT 'es', row(ke.event_id, kg.group_id, s.country_code, s.event_name, s.starts_at,
                                               s.status, s.rsvp_limit, s.yes_count, s.no_count, s.waitlist_count,
                                               s.guests, s.signups, s.signup_rate)::text
                    FROM wh_gold_event_signup s JOIN wh_keymap_event ke USING (tenant, event_sk)
                    LEFT JOIN wh_keymap_group kg ON kg.tenant = s.tenant AND kg.group_sk = s.group_sk
                    UNION ALL SELECT 'ma', row(month, country_code, active_members)::text FROM wh_gold_monthly_active
                    UNION ALL SELECT 'gg', row(kg.group_id, gg.month, gg.new_members, gg.total_members)::text
                    FROM wh_gold_group_growth gg JOIN wh_keymap_group kg USING (tenant, group_sk)
                    UNION ALL SELECT 'tg', row(t.country_code, t.rank, kg.group_id, t.group_name, t.events,
                                               t.attendance)::text
                    FROM wh_gold_top_group t JOIN wh_keymap_group kg USING (tenant, group_sk)
                ) x GROUP BY k ORDER BY k"""));
    }

    /** The tenant's source, as one digest. */
    String sourceDigest() throws SQLException {
        return scalar("""
                SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
                    SELECT 'g' || row(g.*)::text AS t FROM source.groups g
                    UNION ALL SELECT 'm' || row(m.*)::text FROM source.members m
                    UNION ALL SELECT 'ms' || row(ms.*)::text FROM source.memberships ms
                    UNION ALL SELECT 'v' || row(v.*)::text FROM source.venues v
                    UNION ALL SELECT 'e' || row(e.*)::text FROM source.events e
                    UNION ALL SELECT 'r' || row(r.*)::text FROM source.rsvps r
                    UNION ALL SELECT 'd' || row(d.table_name, d.key1, d.key2)::text FROM source.deletions d) x""");
    }

    private Connection connect() throws SQLException {
        Connection c = TestDatabase.as("analytics");
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path = analytics; SET TimeZone = 'UTC'");
            s.execute("SELECT set_config('footfall.tenant', '" + tenant.replace("'", "''") + "', false)");
        }
        return c;
    }
}
