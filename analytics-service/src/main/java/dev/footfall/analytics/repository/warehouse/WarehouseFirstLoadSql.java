package dev.footfall.analytics.repository.warehouse;

import dev.footfall.analytics.repository.warehouse.WarehouseSql.Step;
import java.util.List;

/**
 * The silver and gold statements of a first load: every layer of the tenant is empty (see {@link #IS_FIRST_LOAD}), so
 * silver reads the tenant's bronze whole instead of the change list, and every statement is a plain INSERT … SELECT
 * in one pass over its source: no key probes, no ON CONFLICT, no dirty sets, no closing of versions (bronze holds one
 * version per RSVP, so the history starts with one current version each). Cleaning expressions are shared with
 * {@link WarehouseSql}, so both paths write the same rows (WarehouseTest compares them). $1 is the tenant.
 */
public final class WarehouseFirstLoadSql {

    private WarehouseFirstLoadSql() {
    }

    /**
     * True when no watermark of the tenant has moved and every bronze, key map, silver and gold table holds none of
     * its rows: only then may a run insert without looking at what is there. A run on any other state takes the
     * incremental path.
     */
    static final String IS_FIRST_LOAD = """
            SELECT NOT EXISTS (SELECT 1 FROM wh_watermark
                               WHERE tenant = $1 AND (changed_upto IS NOT NULL OR deleted_upto IS NOT NULL))
               AND NOT EXISTS (SELECT 1 FROM wh_bronze_groups WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_bronze_members WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_bronze_memberships WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_bronze_venues WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_bronze_events WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_bronze_rsvps WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_keymap_group WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_keymap_member WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_keymap_venue WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_keymap_event WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_silver_group WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_silver_member WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_silver_membership WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_silver_venue WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_silver_event WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_silver_rsvp WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_gold_event_signup WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_gold_monthly_active WHERE tenant = $1)
               AND NOT EXISTS (SELECT 1 FROM wh_gold_group_growth WHERE tenant = $1)
            """;

    // Surrogate keys: every natural key the tenant's bronze holds or references (as the incremental key maps take them
    // from the changed rows), numbered in key order.
    public static final List<Step> KEYMAPS = List.of(
            new Step("wh_keymap_group", """
                    INSERT INTO wh_keymap_group (tenant, group_id)
                    SELECT $1, id FROM (
                        SELECT id FROM wh_bronze_groups WHERE tenant = $1
                        UNION SELECT group_id FROM wh_bronze_memberships WHERE tenant = $1
                        UNION SELECT group_id FROM wh_bronze_events WHERE tenant = $1 AND group_id IS NOT NULL) x
                    ORDER BY id
                    """),
            new Step("wh_keymap_member", """
                    INSERT INTO wh_keymap_member (tenant, member_id)
                    SELECT $1, id FROM (
                        SELECT id FROM wh_bronze_members WHERE tenant = $1
                        UNION SELECT member_id FROM wh_bronze_memberships WHERE tenant = $1
                        UNION SELECT member_id FROM wh_bronze_rsvps WHERE tenant = $1) x
                    ORDER BY id
                    """),
            new Step("wh_keymap_venue", """
                    INSERT INTO wh_keymap_venue (tenant, venue_id)
                    SELECT $1, id FROM (
                        SELECT id FROM wh_bronze_venues WHERE tenant = $1
                        UNION SELECT venue_id FROM wh_bronze_events WHERE tenant = $1 AND venue_id IS NOT NULL) x
                    ORDER BY id
                    """),
            new Step("wh_keymap_event", """
                    INSERT INTO wh_keymap_event (tenant, event_id)
                    SELECT $1, id FROM (
                        SELECT id FROM wh_bronze_events WHERE tenant = $1
                        UNION SELECT event_id FROM wh_bronze_rsvps WHERE tenant = $1) x
                    ORDER BY id
                    """));

    public static final List<Step> SILVER = List.of(
            new Step("wh_silver_group", """
                    INSERT INTO wh_silver_group (tenant, group_sk, group_name, city, country_code, created_at, topics)
                    SELECT $1, k.group_sk, %s
                    FROM wh_bronze_groups b JOIN wh_keymap_group k ON k.tenant = $1 AND k.group_id = b.id
                    WHERE b.tenant = $1
                    """.formatted(WarehouseSql.GROUP_VALUES)),
            new Step("wh_silver_member", """
                    INSERT INTO wh_silver_member (tenant, member_sk, member_name, email, city, country_code, birth_year,
                                                  joined_at)
                    SELECT $1, k.member_sk, %s
                    FROM wh_bronze_members b JOIN wh_keymap_member k ON k.tenant = $1 AND k.member_id = b.id
                    WHERE b.tenant = $1
                    """.formatted(WarehouseSql.MEMBER_VALUES)),
            new Step("wh_silver_membership", """
                    INSERT INTO wh_silver_membership (tenant, group_sk, member_sk, role, joined_at)
                    SELECT $1, kg.group_sk, km.member_sk, %s
                    FROM wh_bronze_memberships b JOIN wh_keymap_group kg ON kg.tenant = $1 AND kg.group_id = b.group_id
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_id = b.member_id
                    WHERE b.tenant = $1
                    """.formatted(WarehouseSql.MEMBERSHIP_VALUES)),
            new Step("wh_silver_venue", """
                    INSERT INTO wh_silver_venue (tenant, venue_sk, venue_name, city, country_code, lat, lon)
                    SELECT $1, k.venue_sk, %s
                    FROM wh_bronze_venues b JOIN wh_keymap_venue k ON k.tenant = $1 AND k.venue_id = b.id
                    WHERE b.tenant = $1
                    """.formatted(WarehouseSql.VENUE_VALUES)),
            new Step("wh_silver_event", """
                    INSERT INTO wh_silver_event (tenant, event_sk, group_sk, venue_sk, event_name, starts_at,
                                                 local_timezone, timezone_valid, duration_minutes, rsvp_limit, status,
                                                 created_at, updated_at)
                    SELECT $1, k.event_sk, kg.group_sk, kv.venue_sk, %s
                    FROM wh_bronze_events b JOIN wh_keymap_event k ON k.tenant = $1 AND k.event_id = b.id
                    LEFT JOIN wh_keymap_group kg ON kg.tenant = $1 AND kg.group_id = b.group_id
                    LEFT JOIN wh_keymap_venue kv ON kv.tenant = $1 AND kv.venue_id = b.venue_id
                    LEFT JOIN wh_timezone tz ON tz.name = b.timezone
                    WHERE b.tenant = $1
                    """.formatted(WarehouseSql.EVENT_VALUES)),
            // The first version of every RSVP, current; stored in (event, member) order, so that an event's versions
            // share pages for the per-event gold statements of later runs.
            new Step("wh_silver_rsvp", """
                    INSERT INTO wh_silver_rsvp (tenant, event_sk, member_sk, response, guests, responded_at, valid_from,
                                                is_current)
                    SELECT $1, ke.event_sk, km.member_sk, x.response, x.guests, x.responded_at, x.responded_at, true
                    FROM wh_bronze_rsvps b JOIN wh_keymap_event ke ON ke.tenant = $1 AND ke.event_id = b.event_id
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_id = b.member_id
                    CROSS JOIN LATERAL (SELECT %s) x
                    WHERE b.tenant = $1
                    ORDER BY ke.event_sk, km.member_sk
                    """.formatted(WarehouseSql.RSVP_VALUES)));

    // Gold from silver, one pass per table (the incremental statements recompute per dirty key).
    public static final List<Step> GOLD = List.of(
            new Step("wh_gold_event_signup", """
                    %s
                    FROM wh_silver_event e
                    LEFT JOIN wh_silver_group g ON g.tenant = $1 AND g.group_sk = e.group_sk
                    LEFT JOIN (SELECT r.event_sk, %s FROM wh_silver_rsvp r
                               WHERE r.tenant = $1 AND r.is_current GROUP BY r.event_sk) c
                           ON c.event_sk = e.event_sk
                    CROSS JOIN LATERAL (SELECT coalesce(c.yes, 0) AS yes, coalesce(c.no, 0) AS no,
                                               coalesce(c.waitlist, 0) AS waitlist, coalesce(c.guests, 0) AS guests) x
                    WHERE e.tenant = $1
                    """.formatted(WarehouseSql.SIGNUP_INSERT, WarehouseSql.SIGNUP_COUNTS)),
            // Distinct (month, member) first by hashing, then counted per country: no sort of every version.
            new Step("wh_gold_monthly_active", """
                    INSERT INTO wh_gold_monthly_active (tenant, month, country_code, active_members)
                    SELECT $1, a.month, coalesce(m.country_code, 'ZZ'), count(*)
                    FROM (SELECT DISTINCT date_trunc('month', r.valid_from)::date AS month, r.member_sk
                          FROM wh_silver_rsvp r WHERE r.tenant = $1) a
                    JOIN wh_silver_member m ON m.tenant = $1 AND m.member_sk = a.member_sk
                    GROUP BY a.month, coalesce(m.country_code, 'ZZ')
                    """),
            new Step("wh_gold_group_growth", """
                    INSERT INTO wh_gold_group_growth (tenant, group_sk, month, new_members, total_members)
                    SELECT $1, group_sk, month, n, sum(n) OVER (PARTITION BY group_sk ORDER BY month)
                    FROM (SELECT ms.group_sk, date_trunc('month', ms.joined_at)::date AS month, count(*)::int AS n
                          FROM wh_silver_membership ms
                          WHERE ms.tenant = $1 AND ms.joined_at IS NOT NULL
                          GROUP BY 1, 2) x
                    """),
            WarehouseSql.TOP_GROUP_REMOVED,
            WarehouseSql.TOP_GROUP);
}
