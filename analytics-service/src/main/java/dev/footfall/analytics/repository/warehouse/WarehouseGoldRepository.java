package dev.footfall.analytics.repository.warehouse;

import dev.footfall.analytics.model.warehouse.EventSignup;
import dev.footfall.analytics.model.warehouse.GoldPage;
import dev.footfall.analytics.model.warehouse.GroupGrowth;
import dev.footfall.analytics.model.warehouse.MonthlyActive;
import dev.footfall.analytics.model.warehouse.TopGroup;
import dev.footfall.common.db.TenantSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads of a tenant's gold tables, with natural keys joined back from the tenant's key maps; $1 is the tenant, filters
 * are bound parameters.
 */
@ApplicationScoped
public class WarehouseGoldRepository {

    private static final String SIGNUPS = """
            SELECT ke.event_id, kg.group_id, g.country_code, g.event_name, g.starts_at, g.status, g.rsvp_limit, g.yes_count,
                   g.no_count, g.waitlist_count, g.guests, g.signups, g.signup_rate, count(*) OVER () AS total
            FROM wh_gold_event_signup g JOIN wh_keymap_event ke ON ke.tenant = $1 AND ke.event_sk = g.event_sk
            LEFT JOIN wh_keymap_group kg ON kg.tenant = $1 AND kg.group_sk = g.group_sk
            WHERE g.tenant = $1 AND ($2::text IS NULL OR g.country_code = $2)
              AND ($3::bigint IS NULL OR kg.group_id = $3)
              AND g.starts_at >= coalesce($4::timestamptz, '-infinity')
              AND g.starts_at < coalesce($5::timestamptz, 'infinity')
            ORDER BY g.starts_at DESC NULLS LAST, ke.event_id
            LIMIT $6 OFFSET $7
            """;

    private static final String MONTHLY_ACTIVE = """
            SELECT month, country_code, active_members, count(*) OVER () AS total
            FROM wh_gold_monthly_active
            WHERE tenant = $1 AND ($2::text IS NULL OR country_code = $2) AND month >= coalesce($3::date, '-infinity')
              AND month < coalesce($4::date, 'infinity')
            ORDER BY month, country_code
            LIMIT $5 OFFSET $6
            """;

    private static final String GROWTH = """
            SELECT kg.group_id, s.group_name, s.country_code, g.month, g.new_members, g.total_members,
                   count(*) OVER () AS total
            FROM wh_gold_group_growth g JOIN wh_keymap_group kg ON kg.tenant = $1 AND kg.group_sk = g.group_sk
            LEFT JOIN wh_silver_group s ON s.tenant = $1 AND s.group_sk = g.group_sk
            WHERE g.tenant = $1 AND ($2::bigint IS NULL OR kg.group_id = $2)
              AND ($3::text IS NULL OR s.country_code = $3)
              AND g.month >= coalesce($4::date, '-infinity') AND g.month < coalesce($5::date, 'infinity')
            ORDER BY kg.group_id, g.month
            LIMIT $6 OFFSET $7
            """;

    private static final String TOP_GROUPS = """
            SELECT t.country_code, t.rank, kg.group_id, t.group_name, t.events, t.attendance, count(*) OVER () AS total
            FROM wh_gold_top_group t JOIN wh_keymap_group kg ON kg.tenant = $1 AND kg.group_sk = t.group_sk
            WHERE t.tenant = $1 AND ($2::text IS NULL OR t.country_code = $2) AND t.rank <= $3
            ORDER BY t.country_code, t.rank
            LIMIT $4 OFFSET $5
            """;

    private final TenantSql tenantSql;

    WarehouseGoldRepository(TenantSql tenantSql) {
        this.tenantSql = tenantSql;
    }

    public Uni<GoldPage<EventSignup>> signups(String tenant, String country, Long groupId, Instant from, Instant to,
            int limit, int offset) {
        Tuple args = Tuple.from(new Object[] {tenant, country, groupId, utc(from), utc(to), limit, offset});
        return page(tenant, SIGNUPS, args, limit, offset, r -> new EventSignup(r.getLong("event_id"),
                        r.getLong("group_id"), r.getString("country_code"), r.getString("event_name"),
                        instant(r.getOffsetDateTime("starts_at")), r.getString("status"), r.getInteger("rsvp_limit"),
                        r.getInteger("yes_count"), r.getInteger("no_count"), r.getInteger("waitlist_count"),
                        r.getInteger("guests"), r.getInteger("signups"), r.getDouble("signup_rate")));
    }

    public Uni<GoldPage<MonthlyActive>> monthlyActive(String tenant, String country, LocalDate from, LocalDate to,
            int limit, int offset) {
        return page(tenant, MONTHLY_ACTIVE, Tuple.from(new Object[] {tenant, country, from, to, limit, offset}), limit,
                offset, r -> new MonthlyActive(month(r.getLocalDate("month")), r.getString("country_code"),
                        r.getInteger("active_members")));
    }

    public Uni<GoldPage<GroupGrowth>> growth(String tenant, Long groupId, String country, LocalDate from, LocalDate to,
            int limit, int offset) {
        return page(tenant, GROWTH, Tuple.from(new Object[] {tenant, groupId, country, from, to, limit, offset}), limit,
                offset, r -> new GroupGrowth(r.getLong("group_id"), r.getString("group_name"),
                        r.getString("country_code"), month(r.getLocalDate("month")), r.getInteger("new_members"),
                        r.getInteger("total_members")));
    }

    public Uni<GoldPage<TopGroup>> topGroups(String tenant, String country, int top, int limit, int offset) {
        return page(tenant, TOP_GROUPS, Tuple.of(tenant, country, top, limit, offset), limit, offset,
                r -> new TopGroup(r.getString("country_code"), r.getInteger("rank"), r.getLong("group_id"),
                        r.getString("group_name"), r.getInteger("events"), r.getLong("attendance")));
    }

    private <T> Uni<GoldPage<T>> page(String tenant, String sql, Tuple args, int limit, int offset,
            Function<Row, T> map) {
        return tenantSql.query(tenant, sql, args).map(rows -> toPage(rows, limit, offset, map));
    }

    private static <T> GoldPage<T> toPage(RowSet<Row> rows, int limit, int offset, Function<Row, T> map) {
        List<T> items = new ArrayList<>();
        long total = 0;
        for (Row r : rows) {
            total = r.getLong("total");
            items.add(map.apply(r));
        }
        return new GoldPage<>(limit, offset, total, items);
    }

    private static String month(LocalDate d) {
        return d.toString().substring(0, 7);
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
