package dev.footfall.analytics.repository.warehouse;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The silver and gold statements of a warehouse run, in the order they run. Silver reads the keys bronze changed in
 * this run (wh_changed); gold recomputes only the events, groups and months those changes touch (wh_dirty_*). Every
 * statement is one tenant's: $1 is the tenant, which each names for every table it reads or writes (the work tables
 * are the run's own temporary tables, see {@link #WORK_TABLES}); $2, where used, is the number of top groups.
 */
public final class WarehouseSql {

    private WarehouseSql() {
    }

    /** A named statement; its row count is reported as progress. */
    public record Step(String table, String sql) {

        private static final Pattern PARAM = Pattern.compile("\\$(\\d+)");

        /** How many of the run's arguments ($1 the tenant, $2 the top groups) the statement takes. */
        public int params() {
            Matcher m = PARAM.matcher(sql);
            int n = 0;
            while (m.find()) {
                n = Math.max(n, Integer.parseInt(m.group(1)));
            }
            return n;
        }
    }

    // Cleaning of the bronze row `b` into silver columns, shared by the incremental and the first-load statements.
    static final String GROUP_VALUES = """
            nullif(trim(b.name), ''), nullif(trim(b.city), ''), nullif(upper(trim(b.country_code)), ''),
            date_trunc('minute', b.created_at), b.topics""";
    static final String MEMBER_VALUES = """
            nullif(trim(b.name), ''), nullif(lower(trim(b.email)), ''), nullif(trim(b.city), ''),
            nullif(upper(trim(b.country_code)), ''), extract(year FROM b.birth_date)::int,
            date_trunc('minute', b.joined_at)""";
    static final String MEMBERSHIP_VALUES = "nullif(lower(trim(b.role)), ''), date_trunc('minute', b.joined_at)";
    static final String VENUE_VALUES = """
            nullif(trim(b.name), ''), nullif(trim(b.city), ''), nullif(upper(trim(b.country_code)), ''), b.lat, b.lon""";
    // Local start time -> UTC by the event's own timezone (`tz`, joined by name); an unknown timezone is read as UTC
    // and flagged.
    static final String EVENT_VALUES = """
            nullif(trim(b.name), ''),
            date_trunc('minute', CASE WHEN tz.name IS NOT NULL THEN b.starts_at AT TIME ZONE tz.name
                                      ELSE b.starts_at AT TIME ZONE 'UTC' END),
            b.timezone, tz.name IS NOT NULL, (extract(epoch FROM b.duration) / 60)::int, b.rsvp_limit,
            nullif(lower(trim(b.status)), ''), date_trunc('minute', b.created_at), date_trunc('minute', b.updated_at)""";
    static final String RSVP_VALUES = """
            nullif(lower(trim(b.response)), '') AS response, b.guests AS guests,
            date_trunc('minute', b.responded_at) AS responded_at""";
    // Sign-up counts over current versions `r`: yes answers plus their guests (negative guests count as none).
    static final String SIGNUP_COUNTS = """
            count(*) FILTER (WHERE r.response = 'yes')::int AS yes, count(*) FILTER (WHERE r.response = 'no')::int AS no,
            count(*) FILTER (WHERE r.response = 'waitlist')::int AS waitlist,
            coalesce(sum(greatest(r.guests, 0)) FILTER (WHERE r.response = 'yes'), 0)::int AS guests""";

    // Gold sign-ups of events `e` (group `g`) from the counts `x`; the sign-up rate is over a positive RSVP limit.
    static final String SIGNUP_INSERT = """
            INSERT INTO wh_gold_event_signup (tenant, event_sk, group_sk, country_code, event_name, starts_at, status,
                rsvp_limit, yes_count, no_count, waitlist_count, guests, signups, signup_rate)
            SELECT $1, e.event_sk, e.group_sk, g.country_code, e.event_name, e.starts_at, e.status, e.rsvp_limit,
                   x.yes, x.no, x.waitlist, x.guests, x.yes + x.guests,
                   CASE WHEN e.rsvp_limit > 0 THEN round(((x.yes + x.guests)::numeric / e.rsvp_limit), 4)::float8 END""";

    static final List<Step> KEYMAPS = List.of(
            new Step("wh_keymap_group", """
                    INSERT INTO wh_keymap_group (tenant, group_id)
                    SELECT $1, id FROM (
                        SELECT key1 AS id FROM wh_changed WHERE table_name IN ('groups', 'memberships') AND op = 'U'
                        UNION SELECT b.group_id FROM wh_changed c
                              JOIN wh_bronze_events b ON b.tenant = $1 AND b.id = c.key1
                              WHERE c.table_name = 'events' AND c.op = 'U' AND b.group_id IS NOT NULL) x
                    ON CONFLICT (tenant, group_id) DO NOTHING
                    """),
            new Step("wh_keymap_member", """
                    INSERT INTO wh_keymap_member (tenant, member_id)
                    SELECT $1, id FROM (
                        SELECT key1 AS id FROM wh_changed WHERE table_name = 'members' AND op = 'U'
                        UNION SELECT key2 FROM wh_changed WHERE table_name IN ('memberships', 'rsvps') AND op = 'U') x
                    ON CONFLICT (tenant, member_id) DO NOTHING
                    """),
            new Step("wh_keymap_venue", """
                    INSERT INTO wh_keymap_venue (tenant, venue_id)
                    SELECT $1, id FROM (
                        SELECT key1 AS id FROM wh_changed WHERE table_name = 'venues' AND op = 'U'
                        UNION SELECT b.venue_id FROM wh_changed c
                              JOIN wh_bronze_events b ON b.tenant = $1 AND b.id = c.key1
                              WHERE c.table_name = 'events' AND c.op = 'U' AND b.venue_id IS NOT NULL) x
                    ON CONFLICT (tenant, venue_id) DO NOTHING
                    """),
            new Step("wh_keymap_event", """
                    INSERT INTO wh_keymap_event (tenant, event_id)
                    SELECT $1, key1 FROM wh_changed WHERE table_name IN ('events', 'rsvps') AND op = 'U'
                    ON CONFLICT (tenant, event_id) DO NOTHING
                    """));

    static final List<Step> SILVER = List.of(
            new Step("wh_silver_group", """
                    INSERT INTO wh_silver_group AS t (tenant, group_sk, group_name, city, country_code, created_at,
                                                      topics)
                    SELECT $1, k.group_sk, %s
                    FROM wh_changed c JOIN wh_bronze_groups b ON b.tenant = $1 AND b.id = c.key1
                    JOIN wh_keymap_group k ON k.tenant = $1 AND k.group_id = b.id
                    WHERE c.table_name = 'groups' AND c.op = 'U'
                    ON CONFLICT (tenant, group_sk) DO UPDATE SET group_name = EXCLUDED.group_name, city = EXCLUDED.city,
                        country_code = EXCLUDED.country_code, created_at = EXCLUDED.created_at, topics = EXCLUDED.topics
                    """.formatted(GROUP_VALUES)),
            new Step("wh_silver_group (deleted)", """
                    DELETE FROM wh_silver_group t USING wh_changed c, wh_keymap_group k
                    WHERE c.table_name = 'groups' AND c.op = 'D' AND k.tenant = $1 AND k.group_id = c.key1
                      AND t.tenant = $1 AND t.group_sk = k.group_sk
                    """),
            // Monthly active members are counted by the member's current country (ZZ when unknown), and only members
            // in silver count: the months of a member who enters or leaves silver or changes country are recomputed,
            // read before silver changes. A renamed member moves nothing (most member changes are such edits).
            new Step("wh_dirty_month (members)", """
                    INSERT INTO wh_dirty_month (month)
                    SELECT DISTINCT date_trunc('month', r.valid_from)::date
                    FROM wh_changed c JOIN wh_keymap_member k ON k.tenant = $1 AND k.member_id = c.key1
                    LEFT JOIN wh_bronze_members b ON b.tenant = $1 AND b.id = c.key1
                    LEFT JOIN wh_silver_member m ON m.tenant = $1 AND m.member_sk = k.member_sk
                    JOIN wh_silver_rsvp r ON r.tenant = $1 AND r.member_sk = k.member_sk
                    WHERE c.table_name = 'members'
                      AND CASE WHEN b.id IS NOT NULL THEN coalesce(nullif(upper(trim(b.country_code)), ''), 'ZZ') END
                          IS DISTINCT FROM CASE WHEN m.member_sk IS NOT NULL THEN coalesce(m.country_code, 'ZZ') END
                    ON CONFLICT DO NOTHING
                    """),
            new Step("wh_silver_member", """
                    INSERT INTO wh_silver_member AS t (tenant, member_sk, member_name, email, city, country_code,
                                                       birth_year, joined_at)
                    SELECT $1, k.member_sk, %s
                    FROM wh_changed c JOIN wh_bronze_members b ON b.tenant = $1 AND b.id = c.key1
                    JOIN wh_keymap_member k ON k.tenant = $1 AND k.member_id = b.id
                    WHERE c.table_name = 'members' AND c.op = 'U'
                    ON CONFLICT (tenant, member_sk) DO UPDATE SET member_name = EXCLUDED.member_name,
                        email = EXCLUDED.email, city = EXCLUDED.city, country_code = EXCLUDED.country_code,
                        birth_year = EXCLUDED.birth_year, joined_at = EXCLUDED.joined_at
                    """.formatted(MEMBER_VALUES)),
            new Step("wh_silver_member (deleted)", """
                    DELETE FROM wh_silver_member t USING wh_changed c, wh_keymap_member k
                    WHERE c.table_name = 'members' AND c.op = 'D' AND k.tenant = $1 AND k.member_id = c.key1
                      AND t.tenant = $1 AND t.member_sk = k.member_sk
                    """),
            new Step("wh_silver_membership", """
                    INSERT INTO wh_silver_membership AS t (tenant, group_sk, member_sk, role, joined_at)
                    SELECT $1, kg.group_sk, km.member_sk, %s
                    FROM wh_changed c
                    JOIN wh_bronze_memberships b ON b.tenant = $1 AND b.group_id = c.key1 AND b.member_id = c.key2
                    JOIN wh_keymap_group kg ON kg.tenant = $1 AND kg.group_id = b.group_id
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_id = b.member_id
                    WHERE c.table_name = 'memberships' AND c.op = 'U'
                    ON CONFLICT (tenant, group_sk, member_sk) DO UPDATE SET role = EXCLUDED.role,
                        joined_at = EXCLUDED.joined_at
                    """.formatted(MEMBERSHIP_VALUES)),
            new Step("wh_silver_membership (deleted)", """
                    DELETE FROM wh_silver_membership t USING wh_changed c, wh_keymap_group kg, wh_keymap_member km
                    WHERE c.table_name = 'memberships' AND c.op = 'D' AND kg.tenant = $1 AND kg.group_id = c.key1
                      AND km.tenant = $1 AND km.member_id = c.key2
                      AND t.tenant = $1 AND t.group_sk = kg.group_sk AND t.member_sk = km.member_sk
                    """),
            new Step("wh_silver_venue", """
                    INSERT INTO wh_silver_venue AS t (tenant, venue_sk, venue_name, city, country_code, lat, lon)
                    SELECT $1, k.venue_sk, %s
                    FROM wh_changed c JOIN wh_bronze_venues b ON b.tenant = $1 AND b.id = c.key1
                    JOIN wh_keymap_venue k ON k.tenant = $1 AND k.venue_id = b.id
                    WHERE c.table_name = 'venues' AND c.op = 'U'
                    ON CONFLICT (tenant, venue_sk) DO UPDATE SET venue_name = EXCLUDED.venue_name, city = EXCLUDED.city,
                        country_code = EXCLUDED.country_code, lat = EXCLUDED.lat, lon = EXCLUDED.lon
                    """.formatted(VENUE_VALUES)),
            new Step("wh_silver_venue (deleted)", """
                    DELETE FROM wh_silver_venue t USING wh_changed c, wh_keymap_venue k
                    WHERE c.table_name = 'venues' AND c.op = 'D' AND k.tenant = $1 AND k.venue_id = c.key1
                      AND t.tenant = $1 AND t.venue_sk = k.venue_sk
                    """),
            new Step("wh_silver_event", """
                    INSERT INTO wh_silver_event AS t (tenant, event_sk, group_sk, venue_sk, event_name, starts_at,
                                                      local_timezone, timezone_valid, duration_minutes, rsvp_limit,
                                                      status, created_at, updated_at)
                    SELECT $1, k.event_sk, kg.group_sk, kv.venue_sk, %s
                    FROM wh_changed c JOIN wh_bronze_events b ON b.tenant = $1 AND b.id = c.key1
                    JOIN wh_keymap_event k ON k.tenant = $1 AND k.event_id = b.id
                    LEFT JOIN wh_keymap_group kg ON kg.tenant = $1 AND kg.group_id = b.group_id
                    LEFT JOIN wh_keymap_venue kv ON kv.tenant = $1 AND kv.venue_id = b.venue_id
                    LEFT JOIN wh_timezone tz ON tz.name = b.timezone
                    WHERE c.table_name = 'events' AND c.op = 'U'
                    ON CONFLICT (tenant, event_sk) DO UPDATE SET group_sk = EXCLUDED.group_sk,
                        venue_sk = EXCLUDED.venue_sk, event_name = EXCLUDED.event_name, starts_at = EXCLUDED.starts_at,
                        local_timezone = EXCLUDED.local_timezone, timezone_valid = EXCLUDED.timezone_valid,
                        duration_minutes = EXCLUDED.duration_minutes, rsvp_limit = EXCLUDED.rsvp_limit,
                        status = EXCLUDED.status, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
                    """.formatted(EVENT_VALUES)),
            new Step("wh_silver_event (deleted)", """
                    DELETE FROM wh_silver_event t USING wh_changed c, wh_keymap_event k
                    WHERE c.table_name = 'events' AND c.op = 'D' AND k.tenant = $1 AND k.event_id = c.key1
                      AND t.tenant = $1 AND t.event_sk = k.event_sk
                    """),
            // The changed RSVPs, keyed and cleaned once for the two SCD2 steps (analysed before they run).
            new Step("wh_rsvp_change", """
                    INSERT INTO wh_rsvp_change (event_sk, member_sk, current_sk, response, guests, responded_at)
                    SELECT ke.event_sk, km.member_sk, cur.rsvp_version_sk, %s
                    -- one probe of bronze's primary key per changed RSVP (the two-column join is estimated at a
                    -- few rows and was planned as a scan of every RSVP of each member)
                    FROM wh_changed c CROSS JOIN LATERAL (SELECT * FROM wh_bronze_rsvps b
                                                          WHERE b.tenant = $1 AND b.event_id = c.key1
                                                            AND b.member_id = c.key2 OFFSET 0) b
                    JOIN wh_keymap_event ke ON ke.tenant = $1 AND ke.event_id = b.event_id
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_id = b.member_id
                    -- one probe of the partial unique index per RSVP (OFFSET 0: never flattened into a hash join
                    -- over every version, which the two-column estimate of a few rows would otherwise choose)
                    LEFT JOIN LATERAL (SELECT r.rsvp_version_sk FROM wh_silver_rsvp r
                                       WHERE r.tenant = $1 AND r.event_sk = ke.event_sk AND r.member_sk = km.member_sk
                                         AND r.is_current
                                       OFFSET 0) cur ON true
                    WHERE c.table_name = 'rsvps' AND c.op = 'U'
                    """.formatted(RSVP_VALUES)));

    /** SCD2 steps over wh_rsvp_change (after it is analysed). */
    static final List<Step> SILVER_RSVP = List.of(
            // SCD type 2: a changed RSVP closes its current version at the new version's valid_from ...
            new Step("wh_silver_rsvp (closed)", """
                    UPDATE wh_silver_rsvp r SET valid_to = greatest(w.responded_at, r.valid_from), is_current = false
                    FROM wh_rsvp_change w
                    WHERE r.tenant = $1 AND r.rsvp_version_sk = w.current_sk
                      -- the versions by primary-key probes: a hash join read every version to close a few thousand
                      AND r.rsvp_version_sk = ANY (ARRAY(SELECT current_sk FROM wh_rsvp_change WHERE current_sk IS NOT NULL))
                    """),
            // ... and the new version becomes current.
            new Step("wh_silver_rsvp", """
                    INSERT INTO wh_silver_rsvp (tenant, event_sk, member_sk, response, guests, responded_at, valid_from,
                                                is_current)
                    SELECT $1, event_sk, member_sk, response, guests, responded_at, responded_at, true
                    FROM wh_rsvp_change
                    """),
            // A deleted RSVP ends its history at the deletion.
            new Step("wh_silver_rsvp (deleted)", """
                    UPDATE wh_silver_rsvp r SET valid_to = greatest(date_trunc('minute', c.at), r.valid_from), is_current = false
                    FROM wh_changed c JOIN wh_keymap_event ke ON ke.tenant = $1 AND ke.event_id = c.key1
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_id = c.key2
                    WHERE c.table_name = 'rsvps' AND c.op = 'D'
                      AND r.tenant = $1 AND r.event_sk = ke.event_sk AND r.member_sk = km.member_sk AND r.is_current
                    """));

    /** What gold must recompute: events, groups and months touched by this run's changes. */
    static final List<Step> DIRTY = List.of(
            new Step("wh_dirty_event", """
                    INSERT INTO wh_dirty_event (event_sk)
                    SELECT k.event_sk FROM wh_changed c JOIN wh_keymap_event k ON k.tenant = $1 AND k.event_id = c.key1
                    WHERE c.table_name IN ('events', 'rsvps')
                    UNION
                    SELECT e.event_sk FROM wh_changed c JOIN wh_keymap_group k ON k.tenant = $1 AND k.group_id = c.key1
                    JOIN wh_silver_event e ON e.tenant = $1 AND e.group_sk = k.group_sk
                    WHERE c.table_name = 'groups'
                    ON CONFLICT DO NOTHING
                    """),
            new Step("wh_dirty_group", """
                    INSERT INTO wh_dirty_group (group_sk)
                    SELECT k.group_sk FROM wh_changed c JOIN wh_keymap_group k ON k.tenant = $1 AND k.group_id = c.key1
                    WHERE c.table_name IN ('groups', 'memberships')
                    ON CONFLICT DO NOTHING
                    """),
            new Step("wh_dirty_month", """
                    INSERT INTO wh_dirty_month (month)
                    SELECT DISTINCT date_trunc('month', w.responded_at)::date FROM wh_rsvp_change w
                    WHERE w.responded_at IS NOT NULL
                    ON CONFLICT DO NOTHING
                    """));

    static final Step TOP_GROUP_REMOVED = new Step("wh_gold_top_group (removed)",
            "DELETE FROM wh_gold_top_group WHERE tenant = $1");

    // Attendance: sign-ups of the group's past events that were not cancelled; ranked within the group's country.
    static final Step TOP_GROUP = new Step("wh_gold_top_group", """
                    INSERT INTO wh_gold_top_group (tenant, country_code, rank, group_sk, group_name, events, attendance)
                    SELECT $1, country_code, rank, group_sk, group_name, events, attendance FROM (
                        SELECT g.country_code, g.group_sk, g.group_name, count(*)::int AS events, sum(s.signups) AS attendance,
                               row_number() OVER (PARTITION BY g.country_code ORDER BY sum(s.signups) DESC, g.group_sk) AS rank
                        FROM wh_gold_event_signup s JOIN wh_silver_group g ON g.tenant = $1 AND g.group_sk = s.group_sk
                        WHERE s.tenant = $1 AND s.starts_at < now() AND s.status IS DISTINCT FROM 'cancelled'
                          AND g.country_code IS NOT NULL
                        GROUP BY g.country_code, g.group_sk, g.group_name
                    ) x WHERE rank <= $2
                    """);

    static final List<Step> GOLD = List.of(
            new Step("wh_gold_event_signup (removed)", """
                    DELETE FROM wh_gold_event_signup g USING wh_dirty_event d
                    WHERE g.tenant = $1 AND g.event_sk = d.event_sk
                    """),
            new Step("wh_gold_event_signup", """
                    %s
                    FROM wh_dirty_event d JOIN wh_silver_event e ON e.tenant = $1 AND e.event_sk = d.event_sk
                    LEFT JOIN wh_silver_group g ON g.tenant = $1 AND g.group_sk = e.group_sk
                    CROSS JOIN LATERAL (
                        SELECT %s FROM wh_silver_rsvp r WHERE r.tenant = $1 AND r.event_sk = e.event_sk AND r.is_current
                    ) x
                    """.formatted(SIGNUP_INSERT, SIGNUP_COUNTS)),
            new Step("wh_gold_monthly_active (removed)", """
                    DELETE FROM wh_gold_monthly_active g USING wh_dirty_month d
                    WHERE g.tenant = $1 AND g.month = d.month
                    """),
            // Active in a month: answered (any response, any version of the history) in that month; by the member's
            // country (ZZ when unknown). The month's bounds are computed first, as timestamps (OFFSET 0: not pulled
            // into the join): under row-level security only a leakproof comparison of plain values may be an index
            // condition, and date arithmetic or a date-to-timestamp comparison is not leakproof, so written inline
            // the month would filter every version of the tenant instead of reading an index range.
            new Step("wh_gold_monthly_active", """
                    INSERT INTO wh_gold_monthly_active (tenant, month, country_code, active_members)
                    SELECT $1, d.month, coalesce(m.country_code, 'ZZ'), count(DISTINCT r.member_sk)
                    FROM (SELECT month, month::timestamptz AS lo, (month + interval '1 month')::timestamptz AS hi
                          FROM wh_dirty_month OFFSET 0) d
                    JOIN wh_silver_rsvp r ON r.tenant = $1 AND r.valid_from >= d.lo AND r.valid_from < d.hi
                    JOIN wh_silver_member m ON m.tenant = $1 AND m.member_sk = r.member_sk
                    GROUP BY d.month, coalesce(m.country_code, 'ZZ')
                    """),
            new Step("wh_gold_group_growth (removed)", """
                    DELETE FROM wh_gold_group_growth g USING wh_dirty_group d
                    WHERE g.tenant = $1 AND g.group_sk = d.group_sk
                    """),
            new Step("wh_gold_group_growth", """
                    INSERT INTO wh_gold_group_growth (tenant, group_sk, month, new_members, total_members)
                    SELECT $1, group_sk, month, n, sum(n) OVER (PARTITION BY group_sk ORDER BY month)
                    FROM (SELECT ms.group_sk, date_trunc('month', ms.joined_at)::date AS month, count(*)::int AS n
                          FROM wh_dirty_group d
                          JOIN wh_silver_membership ms ON ms.tenant = $1 AND ms.group_sk = d.group_sk
                          WHERE ms.joined_at IS NOT NULL
                          GROUP BY 1, 2) x
                    """),
            TOP_GROUP_REMOVED,
            TOP_GROUP);

    /** Silver: surrogate keys first, then the cleaned rows. */
    public static List<Step> silverAll() {
        return java.util.stream.Stream.of(KEYMAPS, SILVER, SILVER_RSVP).flatMap(List::stream).toList();
    }

    /** Gold: what changed, then the recomputation of what it touches. */
    public static List<Step> goldAll() {
        return java.util.stream.Stream.concat(DIRTY.stream(), GOLD.stream()).toList();
    }

    /** Gold recomputation of what is already marked dirty (erasure marks it itself). */
    public static List<Step> goldRecompute() {
        return GOLD;
    }

    /**
     * The work tables of one run (or erasure), created by its transaction and dropped at its end: what bronze changed
     * (`wh_changed`), the changed RSVP versions keyed and cleaned (`wh_rsvp_change`), and what gold must recompute
     * (`wh_dirty_*`). Temporary tables are the session's own, so runs of several tenants at once never see each
     * other's, and need neither a tenant nor emptying (a full run left over a million rows in wh_changed).
     */
    static final String CREATE_WORK = """
            CREATE TEMP TABLE wh_changed (
                table_name text   NOT NULL,
                op         char   NOT NULL,
                key1       bigint NOT NULL,
                key2       bigint,
                at         timestamptz
            ) ON COMMIT DROP;
            CREATE INDEX ON wh_changed (table_name, op);
            CREATE TEMP TABLE wh_rsvp_change (
                event_sk     bigint      NOT NULL,
                member_sk    bigint      NOT NULL,
                current_sk   bigint,
                response     text,
                guests       integer,
                responded_at timestamptz
            ) ON COMMIT DROP;
            CREATE TEMP TABLE wh_dirty_event (event_sk bigint PRIMARY KEY) ON COMMIT DROP;
            CREATE TEMP TABLE wh_dirty_group (group_sk bigint PRIMARY KEY) ON COMMIT DROP;
            CREATE TEMP TABLE wh_dirty_month (month date PRIMARY KEY) ON COMMIT DROP
            """;

    /** Work tables refilled by every run: their statistics are refreshed whenever they were written. */
    public static final java.util.Set<String> WORK_TABLES = java.util.Set.of("wh_changed", "wh_dirty_event",
            "wh_dirty_group", "wh_dirty_month", "wh_rsvp_change");
}
