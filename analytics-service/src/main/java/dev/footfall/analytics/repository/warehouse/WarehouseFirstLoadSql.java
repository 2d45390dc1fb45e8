package dev.footfall.analytics.repository.warehouse;

import dev.footfall.analytics.repository.warehouse.WarehouseSql.Step;
import java.util.List;

/**
 * The silver and gold statements of a first load: every layer is empty (see {@link #IS_FIRST_LOAD}), so silver reads
 * bronze whole instead of the change list, and every statement is a plain INSERT … SELECT in one pass over its
 * source: no key probes, no ON CONFLICT, no dirty sets, no closing of versions (bronze holds one version per RSVP, so
 * the history starts with one current version each). Cleaning expressions are shared with {@link WarehouseSql}, so both
 * paths write the same rows (WarehouseTest compares them).
 */
public final class WarehouseFirstLoadSql {

    private WarehouseFirstLoadSql() {
    }

    /**
     * True when no watermark has moved and every bronze, key map, silver and gold table is empty: only then may a run
     * insert without looking at what is there. A run on any other state takes the incremental path.
     */
    static final String IS_FIRST_LOAD = """
            SELECT NOT EXISTS (SELECT 1 FROM wh_watermark WHERE changed_upto IS NOT NULL OR deleted_upto IS NOT NULL)
               AND NOT EXISTS (SELECT 1 FROM wh_bronze_groups) AND NOT EXISTS (SELECT 1 FROM wh_bronze_members)
               AND NOT EXISTS (SELECT 1 FROM wh_bronze_memberships) AND NOT EXISTS (SELECT 1 FROM wh_bronze_venues)
               AND NOT EXISTS (SELECT 1 FROM wh_bronze_events) AND NOT EXISTS (SELECT 1 FROM wh_bronze_rsvps)
               AND NOT EXISTS (SELECT 1 FROM wh_keymap_group) AND NOT EXISTS (SELECT 1 FROM wh_keymap_member)
               AND NOT EXISTS (SELECT 1 FROM wh_keymap_venue) AND NOT EXISTS (SELECT 1 FROM wh_keymap_event)
               AND NOT EXISTS (SELECT 1 FROM wh_silver_group) AND NOT EXISTS (SELECT 1 FROM wh_silver_member)
               AND NOT EXISTS (SELECT 1 FROM wh_silver_membership) AND NOT EXISTS (SELECT 1 FROM wh_silver_venue)
               AND NOT EXISTS (SELECT 1 FROM wh_silver_event) AND NOT EXISTS (SELECT 1 FROM wh_silver_rsvp)
               AND NOT EXISTS (SELECT 1 FROM wh_gold_event_signup) AND NOT EXISTS (SELECT 1 FROM wh_gold_monthly_active)
               AND NOT EXISTS (SELECT 1 FROM wh_gold_group_growth)
            """;

    // Surrogate keys: every natural key bronze holds or references (as the incremental key maps take them from the
    // changed rows), numbered in key order.
    public static final List<Step> KEYMAPS = List.of(
            new Step("wh_keymap_group", """
                    INSERT INTO wh_keymap_group (group_id)
                    SELECT id FROM wh_bronze_groups UNION SELECT group_id FROM wh_bronze_memberships
                    UNION SELECT group_id FROM wh_bronze_events WHERE group_id IS NOT NULL
                    ORDER BY 1
                    """),
            new Step("wh_keymap_member", """
                    INSERT INTO wh_keymap_member (member_id)
                    SELECT id FROM wh_bronze_members UNION SELECT member_id FROM wh_bronze_memberships
                    UNION SELECT member_id FROM wh_bronze_rsvps
                    ORDER BY 1
                    """),
            new Step("wh_keymap_venue", """
                    INSERT INTO wh_keymap_venue (venue_id)
                    SELECT id FROM wh_bronze_venues UNION SELECT venue_id FROM wh_bronze_events WHERE venue_id IS NOT NULL
                    ORDER BY 1
                    """),
            new Step("wh_keymap_event", """
                    INSERT INTO wh_keymap_event (event_id)
                    SELECT id FROM wh_bronze_events UNION SELECT event_id FROM wh_bronze_rsvps
                    ORDER BY 1
                    """));

    public static final List<Step> SILVER = List.of(
            new Step("wh_silver_group", """
                    INSERT INTO wh_silver_group (group_sk, group_name, city, country_code, created_at, topics)
                    SELECT k.group_sk, %s
                    FROM wh_bronze_groups b JOIN wh_keymap_group k ON k.group_id = b.id
                    """.formatted(WarehouseSql.GROUP_VALUES)),
            new Step("wh_silver_member", """
                    INSERT INTO wh_silver_member (member_sk, member_name, email, city, country_code, birth_year, joined_at)
                    SELECT k.member_sk, %s
                    FROM wh_bronze_members b JOIN wh_keymap_member k ON k.member_id = b.id
                    """.formatted(WarehouseSql.MEMBER_VALUES)),
            new Step("wh_silver_membership", """
                    INSERT INTO wh_silver_membership (group_sk, member_sk, role, joined_at)
                    SELECT kg.group_sk, km.member_sk, %s
                    FROM wh_bronze_memberships b JOIN wh_keymap_group kg ON kg.group_id = b.group_id
                    JOIN wh_keymap_member km ON km.member_id = b.member_id
                    """.formatted(WarehouseSql.MEMBERSHIP_VALUES)),
            new Step("wh_silver_venue", """
                    INSERT INTO wh_silver_venue (venue_sk, venue_name, city, country_code, lat, lon)
                    SELECT k.venue_sk, %s
                    FROM wh_bronze_venues b JOIN wh_keymap_venue k ON k.venue_id = b.id
                    """.formatted(WarehouseSql.VENUE_VALUES)),
            new Step("wh_silver_event", """
                    INSERT INTO wh_silver_event (event_sk, group_sk, venue_sk, event_name, starts_at, local_timezone,
                                                 timezone_valid, duration_minutes, rsvp_limit, status, created_at, updated_at)
                    SELECT k.event_sk, kg.group_sk, kv.venue_sk, %s
                    FROM wh_bronze_events b JOIN wh_keymap_event k ON k.event_id = b.id
                    LEFT JOIN wh_keymap_group kg ON kg.group_id = b.group_id
                    LEFT JOIN wh_keymap_venue kv ON kv.venue_id = b.venue_id
                    LEFT JOIN wh_timezone tz ON tz.name = b.timezone
                    """.formatted(WarehouseSql.EVENT_VALUES)),
            // The first version of every RSVP, current; stored in (event, member) order, so that an event's versions
            // share pages for the per-event gold statements of later runs.
            new Step("wh_silver_rsvp", """
                    INSERT INTO wh_silver_rsvp (event_sk, member_sk, response, guests, responded_at, valid_from, is_current)
                    SELECT ke.event_sk, km.member_sk, x.response, x.guests, x.responded_at, x.responded_at, true
                    FROM wh_bronze_rsvps b JOIN wh_keymap_event ke ON ke.event_id = b.event_id
                    JOIN wh_keymap_member km ON km.member_id = b.member_id
                    CROSS JOIN LATERAL (SELECT %s) x
                    ORDER BY 1, 2
                    """.formatted(WarehouseSql.RSVP_VALUES)));

    // Gold from silver, one pass per table (the incremental statements recompute per dirty key).
    public static final List<Step> GOLD = List.of(
            new Step("wh_gold_event_signup", """
                    %s
                    FROM wh_silver_event e
                    LEFT JOIN wh_silver_group g ON g.group_sk = e.group_sk
                    LEFT JOIN (SELECT r.event_sk, %s FROM wh_silver_rsvp r WHERE r.is_current GROUP BY r.event_sk) c
                           ON c.event_sk = e.event_sk
                    CROSS JOIN LATERAL (SELECT coalesce(c.yes, 0) AS yes, coalesce(c.no, 0) AS no,
                                               coalesce(c.waitlist, 0) AS waitlist, coalesce(c.guests, 0) AS guests) x
                    """.formatted(WarehouseSql.SIGNUP_INSERT, WarehouseSql.SIGNUP_COUNTS)),
            // Distinct (month, member) first by hashing, then counted per country: no sort of every version.
            new Step("wh_gold_monthly_active", """
                    INSERT INTO wh_gold_monthly_active (month, country_code, active_members)
                    SELECT a.month, coalesce(m.country_code, 'ZZ'), count(*)
                    FROM (SELECT DISTINCT date_trunc('month', r.valid_from)::date AS month, r.member_sk
                          FROM wh_silver_rsvp r) a
                    JOIN wh_silver_member m ON m.member_sk = a.member_sk
                    GROUP BY 1, 2
                    """),
            new Step("wh_gold_group_growth", """
                    INSERT INTO wh_gold_group_growth (group_sk, month, new_members, total_members)
                    SELECT group_sk, month, n, sum(n) OVER (PARTITION BY group_sk ORDER BY month)
                    FROM (SELECT ms.group_sk, date_trunc('month', ms.joined_at)::date AS month, count(*)::int AS n
                          FROM wh_silver_membership ms
                          WHERE ms.joined_at IS NOT NULL
                          GROUP BY 1, 2) x
                    """),
            WarehouseSql.TOP_GROUP_REMOVED,
            WarehouseSql.TOP_GROUP);
}
