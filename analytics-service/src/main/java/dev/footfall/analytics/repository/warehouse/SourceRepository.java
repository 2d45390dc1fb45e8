package dev.footfall.analytics.repository.warehouse;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements of the source generator: set-based, every random value drawn from source.rnd(seed, key, salt), so the
 * output depends only on (scale, seed, as_of), never on row order or plan. Each tenant has a world of its own: every
 * statement reads and writes the rows of one tenant, in that tenant's transaction.
 */
@ApplicationScoped
public class SourceRepository {

    // Cities with their country and timezone; the first ones are drawn more often (a few big markets, a long tail).
    private static final String GEO = """
            geo(ci, country, tz, city, lat, lon) AS (VALUES
                (0, 'US', 'America/New_York', 'New York', 40.71, -74.01), (1, 'US', 'America/Los_Angeles', 'San Francisco', 37.77, -122.42),
                (2, 'GB', 'Europe/London', 'London', 51.51, -0.13), (3, 'DE', 'Europe/Berlin', 'Berlin', 52.52, 13.40),
                (4, 'DE', 'Europe/Berlin', 'Munich', 48.14, 11.58), (5, 'FR', 'Europe/Paris', 'Paris', 48.86, 2.35),
                (6, 'NL', 'Europe/Amsterdam', 'Amsterdam', 52.37, 4.90), (7, 'ES', 'Europe/Madrid', 'Madrid', 40.42, -3.70),
                (8, 'PL', 'Europe/Warsaw', 'Warsaw', 52.23, 21.01), (9, 'JP', 'Asia/Tokyo', 'Tokyo', 35.68, 139.69),
                (10, 'IN', 'Asia/Kolkata', 'Bangalore', 12.97, 77.59), (11, 'AU', 'Australia/Sydney', 'Sydney', -33.87, 151.21))
            """;

    // The tenant's source and everything the warehouse built from it, by DELETE: TRUNCATE would empty every tenant's
    // (row-level security does not apply to it). Replacing the world logs no deletions (see source.log_deletes).
    private static final List<String> SOURCE_TABLES = List.of("source.groups", "source.members", "source.memberships",
            "source.venues", "source.events", "source.rsvps");
    private static final List<String> RESET_TABLES = List.of("source.deletions",
            "wh_bronze_groups", "wh_bronze_members", "wh_bronze_memberships", "wh_bronze_venues", "wh_bronze_events",
            "wh_bronze_rsvps", "wh_keymap_group", "wh_keymap_member", "wh_keymap_venue", "wh_keymap_event",
            "wh_silver_group", "wh_silver_member", "wh_silver_membership", "wh_silver_venue", "wh_silver_event",
            "wh_silver_rsvp", "wh_gold_event_signup", "wh_gold_monthly_active", "wh_gold_group_growth",
            "wh_gold_top_group", "wh_erased_member", "wh_watermark");
    private static final String REPLACING = "SELECT set_config('footfall.source_replacing', $1, true)";

    // $1 seed, $2 groups, $3 members, $4 venues, $5 events, $6 RSVP attempts, $7 as_of, $8 the tenant: every statement
    // gets them all, declared with their types here (a statement need not use each).
    private static final String PARAMS = """
            params AS (SELECT $1::bigint, $2::bigint, $3::bigint, $4::bigint, $5::bigint, $6::bigint, $7::timestamptz,
                              $8::text)
            """;
    private static final String GROUPS = "WITH " + PARAMS + ", " + GEO + """
            INSERT INTO source.groups (tenant, id, name, city, country_code, created_at, topics, updated_at)
            SELECT $8, i, 'Group ' || i, geo.city,
                   CASE WHEN source.rnd($1, i, 2) < 0.02 THEN lower(geo.country) ELSE geo.country END, t.ts,
                   ARRAY(SELECT x FROM unnest(ARRAY['tech', 'hiking', 'books', 'music', 'food', 'languages', 'startups',
                                                    'games']) WITH ORDINALITY u(x, o)
                         WHERE source.rnd($1, i * 10 + o, 4) < 0.3), t.ts
            FROM generate_series(1, $2::bigint) i
            CROSS JOIN LATERAL (SELECT $7::timestamptz - interval '1 day' * (830 + 900 * source.rnd($1, i, 3)) AS ts) t
            JOIN geo ON geo.ci = floor(12 * power(source.rnd($1, i, 1), 1.7))::int
            """;

    private static final String MEMBERS = "WITH " + PARAMS + ", " + GEO + """
            INSERT INTO source.members (tenant, id, name, email, city, country_code, birth_date, joined_at, updated_at)
            SELECT $8, i, 'Member ' || i,
                   CASE WHEN source.rnd($1, i, 31) < 0.01 THEN NULL ELSE 'member' || i || '@example.org' END,
                   geo.city, geo.country,
                   CASE WHEN source.rnd($1, i, 32) < 0.003 THEN date '1890-01-01'
                        WHEN source.rnd($1, i, 32) > 0.997 THEN ($7::timestamptz + interval '400 days')::date
                        ELSE date '1950-01-01' + (18000 * source.rnd($1, i, 33))::int END,
                   t.ts, t.ts
            FROM generate_series(1, $3::bigint) i
            CROSS JOIN LATERAL (SELECT $7::timestamptz - interval '1 day' * (1000 * source.rnd($1, i, 34)) AS ts) t
            JOIN geo ON geo.ci = floor(12 * power(source.rnd($1, i, 30), 1.7))::int
            """;

    // Each member joins 1-4 groups, drawn with a cubic skew: a few large groups, many small ones.
    private static final String MEMBERSHIPS = "WITH " + PARAMS + """
            INSERT INTO source.memberships (tenant, group_id, member_id, role, joined_at, updated_at)
            SELECT $8, x.g, m.id, CASE WHEN source.rnd($1, m.id * 8 + j, 43) < 0.05 THEN 'organizer' ELSE 'member' END,
                   least($7::timestamptz, greatest(m.joined_at, gr.created_at) + interval '1 day' * 60 * source.rnd($1, m.id * 8 + j, 44)),
                   least($7::timestamptz, greatest(m.joined_at, gr.created_at) + interval '1 day' * 60 * source.rnd($1, m.id * 8 + j, 44))
            FROM source.members m
            CROSS JOIN generate_series(1, 4) j
            CROSS JOIN LATERAL (SELECT 1 + floor($2 * power(source.rnd($1, m.id * 8 + j, 42), 3))::bigint AS g) x
            JOIN source.groups gr ON gr.tenant = $8 AND gr.id = x.g
            WHERE m.tenant = $8 AND j <= 1 + floor(4 * power(source.rnd($1, m.id, 41), 2))
            ON CONFLICT DO NOTHING
            """;

    // One admin per group, except about 3 % of groups (a quality finding).
    private static final String ADMINS = "WITH " + PARAMS + """
            INSERT INTO source.memberships (tenant, group_id, member_id, role, joined_at, updated_at)
            SELECT $8, g.id, 1 + (g.id * 7919) % $3, 'admin', g.created_at, g.created_at
            FROM source.groups g
            WHERE g.tenant = $8 AND source.rnd($1, g.id, 45) >= 0.03 AND g.id % 17 <> 3 AND $2 > 0
            ON CONFLICT (tenant, group_id, member_id) DO UPDATE SET role = 'admin'
            """;

    private static final String VENUES = "WITH " + PARAMS + ", " + GEO + """
            INSERT INTO source.venues (tenant, id, name, city, country_code, lat, lon, updated_at)
            SELECT $8, i, 'Venue ' || i, geo.city, geo.country,
                   CASE WHEN source.rnd($1, i, 52) < 0.005 OR i % 97 = 13 THEN 95.5 ELSE geo.lat + (source.rnd($1, i, 53) - 0.5) / 10 END,
                   geo.lon + (source.rnd($1, i, 54) - 0.5) / 10, $7::timestamptz - interval '900 days'
            FROM generate_series(1, $4::bigint) i
            JOIN geo ON geo.ci = floor(12 * power(source.rnd($1, i, 51), 1.7))::int
            """;

    // Events over the two years before as_of and the 90 days after it, in the evening local time of the group's city.
    private static final String EVENTS = "WITH " + PARAMS + ", " + GEO + """
            INSERT INTO source.events (tenant, id, group_id, venue_id, name, starts_at, timezone, duration, rsvp_limit,
                                       status, created_at, updated_at)
            SELECT $8, i, x.g,
                   CASE WHEN source.rnd($1, i, 62) < 0.1 THEN NULL
                        ELSE 1 + floor($4 * source.rnd($1, i, 63))::bigint END,
                   'Event ' || i, s.local_start, s.tz, interval '1 hour' * (1 + floor(3 * source.rnd($1, i, 66))),
                   CASE WHEN source.rnd($1, i, 67) < 0.4 THEN NULL
                        WHEN source.rnd($1, i, 67) < 0.405 THEN 0
                        ELSE 10 + floor(190 * source.rnd($1, i, 68))::int END,
                   CASE WHEN source.rnd($1, i, 69) < 0.03 THEN 'cancelled'
                        WHEN s.local_start AT TIME ZONE 'UTC' < $7::timestamptz THEN 'past' ELSE 'upcoming' END,
                   least($7::timestamptz, s.local_start AT TIME ZONE 'UTC' - interval '30 days'),
                   least($7::timestamptz, s.local_start AT TIME ZONE 'UTC' - interval '30 days')
            FROM generate_series(1, $5::bigint) i
            CROSS JOIN LATERAL (SELECT 1 + floor($2 * power(source.rnd($1, i, 61), 3))::bigint AS g) x
            JOIN source.groups gr ON gr.tenant = $8 AND gr.id = x.g
            JOIN geo ON geo.city = gr.city
            CROSS JOIN LATERAL (
                SELECT (($7::timestamptz AT TIME ZONE 'UTC')::date - 730 + floor(820 * source.rnd($1, i, 64))::int)
                           + interval '18 hours' + interval '30 minutes' * floor(5 * source.rnd($1, i, 65)) AS local_start,
                       CASE WHEN source.rnd($1, i, 60) < 0.005 THEN 'Mars/Olympus_Mons' ELSE geo.tz END AS tz
            ) s
            """;

    // The tenant's memberships and events numbered, for the RSVP draw (temporary tables of the transaction, filled
    // by statements that name the tenant: CREATE TABLE AS cannot take a parameter).
    private static final String WORK_TABLES = """
            CREATE TEMP TABLE gen_ms (n bigint, group_id bigint, member_id bigint) ON COMMIT DROP;
            CREATE TEMP TABLE gen_ev (group_id bigint, ord bigint, id bigint, starts_utc timestamptz,
                                      created_at timestamptz) ON COMMIT DROP;
            CREATE TEMP TABLE gen_evc (group_id bigint, cnt bigint) ON COMMIT DROP
            """;
    private static final List<String> FILL_WORK_TABLES = List.of("""
            INSERT INTO gen_ms (n, group_id, member_id)
            SELECT row_number() OVER (ORDER BY group_id, member_id), group_id, member_id FROM source.memberships
            WHERE tenant = $1
            """, """
            INSERT INTO gen_ev (group_id, ord, id, starts_utc, created_at)
            SELECT e.group_id, row_number() OVER (PARTITION BY e.group_id ORDER BY e.id), e.id,
                   e.starts_at AT TIME ZONE coalesce(tz.name, 'UTC'), e.created_at
            FROM source.events e LEFT JOIN wh_timezone tz ON tz.name = e.timezone
            WHERE e.tenant = $1
            """);
    private static final String INDEX_WORK_TABLES = """
            INSERT INTO gen_evc (group_id, cnt) SELECT group_id, count(*) FROM gen_ev GROUP BY group_id;
            CREATE INDEX ON gen_ms (n);
            CREATE INDEX ON gen_ev (group_id, ord);
            ANALYZE gen_ms, gen_ev, gen_evc
            """;

    // An RSVP is a random membership answering a random event of its group: large groups get most of the answers.
    // Answers come in a burst in the two weeks before the event; a few come after it started, a few are orphans.
    private static final String RSVPS = "WITH " + PARAMS + """
            INSERT INTO source.rsvps (tenant, event_id, member_id, response, guests, responded_at)
            SELECT $8, ev.id, CASE WHEN source.rnd($1, i, 73) < 0.002 THEN $3 + i ELSE ms.member_id END,
                   CASE WHEN source.rnd($1, i, 74) < 0.75 THEN 'yes' WHEN source.rnd($1, i, 74) < 0.9 THEN 'no' ELSE 'waitlist' END,
                   CASE WHEN source.rnd($1, i, 75) < 0.003 THEN -1
                        WHEN source.rnd($1, i, 75) < 0.7 THEN 0 ELSE 1 + floor(3 * source.rnd($1, i, 76))::int END,
                   CASE WHEN source.rnd($1, i, 77) < 0.005 AND ev.starts_utc < $7::timestamptz
                        THEN least($7::timestamptz, ev.starts_utc + interval '1 hour' * (1 + 47 * source.rnd($1, i, 78)))
                        ELSE least($7::timestamptz - interval '1 hour',
                                   ev.starts_utc - interval '1 day' * 14 * power(source.rnd($1, i, 78), 3) - interval '1 minute') END
            FROM generate_series(1, $6::bigint) i
            JOIN gen_ms ms ON ms.n = 1 + floor((SELECT count(*) FROM gen_ms) * source.rnd($1, i, 71))::bigint
            JOIN gen_evc c ON c.group_id = ms.group_id
            JOIN gen_ev ev ON ev.group_id = ms.group_id AND ev.ord = 1 + floor(c.cnt * source.rnd($1, i, 72))::bigint
            ON CONFLICT DO NOTHING
            """;

    // ---- Mutation: about `fraction` of the tenant's RSVPs change, as the product would change them now. ----
    // $1 seed, $2 fraction, $3 the tenant. Changes go to upcoming events (all events when there are none).

    private static final String MUTATE_RSVPS = """
            WITH upcoming AS (
                SELECT e.id FROM source.events e
                WHERE e.tenant = $3 AND (e.starts_at > (now() AT TIME ZONE 'UTC') OR NOT EXISTS (
                    SELECT 1 FROM source.events x WHERE x.tenant = $3 AND x.starts_at > (now() AT TIME ZONE 'UTC')))
            ), p AS (
                SELECT least(1.0, $2::float8 * (SELECT count(*) FROM source.rsvps WHERE tenant = $3)
                                  / greatest(1, (SELECT count(*) FROM source.rsvps r
                                                 JOIN upcoming u ON u.id = r.event_id WHERE r.tenant = $3))) AS p
            )
            UPDATE source.rsvps r SET
                response = CASE r.response WHEN 'yes' THEN 'no' ELSE 'yes' END,
                responded_at = clock_timestamp()
            FROM upcoming u, p
            WHERE r.tenant = $3 AND u.id = r.event_id AND source.rnd($1, r.event_id * 1000003 + r.member_id, 81) < p.p
            """;

    private static final String MUTATE_NEW_RSVPS = """
            INSERT INTO source.rsvps (tenant, event_id, member_id, response, guests, responded_at)
            SELECT $3, e.id, ms.member_id, 'yes', 0, clock_timestamp()
            FROM (SELECT group_id, member_id FROM source.memberships
                  WHERE tenant = $3 AND source.rnd($1, group_id * 1000003 + member_id, 82) < $2::float8 / 2) ms
            CROSS JOIN LATERAL (SELECT id FROM source.events e WHERE e.tenant = $3 AND e.group_id = ms.group_id
                                ORDER BY e.starts_at DESC LIMIT 1) e
            ON CONFLICT DO NOTHING
            """;

    private static final String MUTATE_DELETE_RSVPS = """
            DELETE FROM source.rsvps
            WHERE tenant = $3 AND source.rnd($1, event_id * 1000003 + member_id, 83) < $2::float8 / 20
            """;

    private static final String MUTATE_MEMBERS = """
            UPDATE source.members SET city = coalesce(city, 'Unknown') || '', name = name || ' Jr.',
                updated_at = clock_timestamp()
            WHERE tenant = $3 AND source.rnd($1, id, 84) < $2::float8
            """;

    private static final String MUTATE_EVENTS = """
            UPDATE source.events SET rsvp_limit = coalesce(rsvp_limit, 0) + 5, updated_at = clock_timestamp()
            WHERE tenant = $3 AND source.rnd($1, id, 85) < $2::float8
            """;

    private static final String MUTATE_MEMBERSHIPS = """
            DELETE FROM source.memberships
            WHERE tenant = $3 AND role = 'member'
              AND source.rnd($1, group_id * 1000003 + member_id, 86) < $2::float8 / 10
            """;

    /**
     * Replaces the tenant's source (and resets every warehouse layer built from it, its watermarks and erasures);
     * returns row counts per table.
     */
    public Uni<Map<String, Long>> generate(SqlClient tx, String tenant, long seed, long groups, long members,
            long venues, long events, long rsvpAttempts, OffsetDateTime asOf) {
        Tuple args = Tuple.from(new Object[] {seed, groups, members, venues, events, rsvpAttempts, asOf, tenant});
        Map<String, Long> counts = new LinkedHashMap<>();
        // Each table is analysed once filled, before the next statement reads it: its tenant predicates (the
        // statement's and the policy's) would otherwise be estimated at a row, and a join planned as nested loops
        // over thousands (memberships: 0.8 s became 5.7 s at 250,000 RSVPs).
        return reset(tx, tenant)
                .chain(() -> run(tx, GROUPS, args, "groups", counts))
                .chain(() -> run(tx, MEMBERS, args, "members", counts))
                .chain(() -> tx.query("ANALYZE source.groups, source.members").execute())
                .chain(() -> run(tx, MEMBERSHIPS, args, "memberships", counts))
                .chain(() -> run(tx, ADMINS, args, "admins", counts))
                .chain(() -> run(tx, VENUES, args, "venues", counts))
                .chain(() -> run(tx, EVENTS, args, "events", counts))
                .chain(() -> tx.query("ANALYZE source.memberships, source.venues, source.events").execute())
                .chain(() -> tx.query(WORK_TABLES).execute())
                .chain(() -> each(tx, FILL_WORK_TABLES, Tuple.of(tenant)))
                .chain(() -> tx.query(INDEX_WORK_TABLES).execute())
                .chain(() -> run(tx, RSVPS, args, "rsvps", counts))
                .chain(() -> tx.query("ANALYZE source.rsvps").execute())
                .map(x -> counts);
    }

    private static Uni<Void> reset(SqlClient tx, String tenant) {
        Tuple only = Tuple.of(tenant);
        return tx.preparedQuery(REPLACING).execute(Tuple.of("on"))
                .chain(() -> each(tx, SOURCE_TABLES.stream().map(t -> "DELETE FROM " + t + " WHERE tenant = $1")
                        .toList(), only))
                .chain(() -> tx.preparedQuery(REPLACING).execute(Tuple.of("off")))
                .chain(() -> each(tx, RESET_TABLES.stream().map(t -> "DELETE FROM " + t + " WHERE tenant = $1")
                        .toList(), only));
    }

    private static Uni<Void> each(SqlClient tx, List<String> statements, Tuple args) {
        return Multi.createFrom().iterable(statements)
                .onItem().transformToUniAndConcatenate(sql -> tx.preparedQuery(sql).execute(args))
                .collect().last().replaceWithVoid();
    }

    /** Changes about `fraction` of the tenant's source now (RSVP answers, new and deleted RSVPs, members, events). */
    public Uni<Map<String, Long>> mutate(SqlClient tx, String tenant, long seed, double fraction) {
        Tuple args = Tuple.of(seed, fraction, tenant);
        Map<String, Long> counts = new LinkedHashMap<>();
        return run(tx, MUTATE_RSVPS, args, "rsvps_changed", counts)
                .chain(() -> run(tx, MUTATE_NEW_RSVPS, args, "rsvps_added", counts))
                .chain(() -> run(tx, MUTATE_DELETE_RSVPS, args, "rsvps_deleted", counts))
                .chain(() -> run(tx, MUTATE_MEMBERS, args, "members_changed", counts))
                .chain(() -> run(tx, MUTATE_EVENTS, args, "events_changed", counts))
                .chain(() -> run(tx, MUTATE_MEMBERSHIPS, args, "memberships_deleted", counts))
                .map(x -> counts);
    }

    private static Uni<Void> run(SqlClient tx, String sql, Tuple args, String name, Map<String, Long> counts) {
        return tx.preparedQuery(sql).execute(args).invoke(rows -> counts.put(name, (long) rows.rowCount()))
                .replaceWithVoid();
    }
}
