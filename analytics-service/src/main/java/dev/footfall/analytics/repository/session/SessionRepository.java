package dev.footfall.analytics.repository.session;

import dev.footfall.analytics.model.session.SessionEventView;
import dev.footfall.analytics.model.session.SessionMetrics;
import dev.footfall.analytics.model.session.SessionRow;
import dev.footfall.analytics.model.session.SessionView;
import dev.footfall.common.db.CustomPlans;
import dev.footfall.common.db.TenantSql;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Every statement of app sessions: the de-duplicating import, the (incremental and full) rebuild, the queries. Each is
 * one tenant's: it names the tenant, and runs in the tenant's transaction (TenantSql).
 */
@ApplicationScoped
public class SessionRepository {

    /**
     * Serializes a tenant's session rebuilds across replicas: a transaction-level lock on (this key,
     * hashtext(tenant)), so tenants rebuild side by side ("sess" in ASCII).
     */
    static final int LOCK_KEY = 0x73657373;

    /** Counts of one stored batch. */
    public record Stored(long inserted, long duplicates) {
    }

    /** One group's figures as read from PostgreSQL. */
    public record GroupFigures(String key, SessionMetrics metrics) {
    }

    // One statement per batch ($13 the tenant): rows the tenant already stored (same content hash, also twice within
    // the batch) are skipped, and the new rows are recorded as (user, span) clusters (rows less than a gap apart) in
    // the same statement, so that a rebuild seeing a cluster sees its rows.
    private static final String INSERT_EVENTS = """
            WITH ins AS (
                INSERT INTO sess_event (tenant, content_hash, anonymous_key, device_key, anonymous_id,
                                        context_device_id, business_zone, app_version, os_name, event_name, received_at,
                                        created_at)
                SELECT $13, u.h, u.ak, u.dk, u.a, u.d, u.z, u.v, u.o, u.e, u.r, u.c
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[])
                     AS u(h, ak, dk, a, d, z, v, o, e, r, c)
                ON CONFLICT (tenant, content_hash) DO NOTHING
                RETURNING anonymous_key, device_key, created_at
            ), breaks AS (
                SELECT anonymous_key, device_key, created_at,
                       CASE WHEN created_at - lag(created_at) OVER w < $12::text::interval THEN 0 ELSE 1 END AS brk
                FROM ins WINDOW w AS (PARTITION BY anonymous_key, device_key ORDER BY created_at)
            ), clusters AS (
                SELECT anonymous_key, device_key, created_at,
                       sum(brk) OVER (PARTITION BY anonymous_key, device_key ORDER BY created_at) AS cluster
                FROM breaks
            ), dirty AS (
                INSERT INTO sess_dirty (tenant, anonymous_key, device_key, min_created_at, max_created_at)
                SELECT $13, anonymous_key, device_key, min(created_at), max(created_at) FROM clusters
                GROUP BY anonymous_key, device_key, cluster
            )
            SELECT count(*) FROM ins
            """;

    // The incremental windows ($2 the tenant): every stored session within a gap of a new cluster is deleted; the
    // clusters and the deleted sessions' spans, merged where they overlap, are re-sessionized. A session left in place
    // is at least a gap away from every event in a window, so re-sessionizing the windows alone gives what a full
    // rebuild would. The clusters' reach (a gap either side) is computed once, as plain values: under row-level
    // security only a leakproof comparison of plain values may be an index condition, and timestamp arithmetic is not
    // leakproof, so written inline the start range would filter every session of the user instead of bounding the
    // primary-key scan.
    private static final String OPEN_WINDOW = """
            WITH d AS (
                DELETE FROM sess_dirty WHERE tenant = $2
                RETURNING anonymous_key, device_key, min_created_at AS lo, max_created_at AS hi,
                          min_created_at - $1::text::interval AS reach_lo,
                          max_created_at + $1::text::interval AS reach_hi
            ), near AS (
                -- A session within a gap of [lo, hi] starts inside [lo - gap, hi + gap], or is the user's last session
                -- starting before that and ending inside it (sessions do not overlap): two primary-key range scans.
                SELECT DISTINCT x.ctid
                FROM d CROSS JOIN LATERAL (
                    SELECT s.ctid, s.ended_at FROM sess_session s
                    WHERE s.tenant = $2 AND s.anonymous_key = d.anonymous_key AND s.device_key = d.device_key
                      AND s.started_at BETWEEN d.reach_lo AND d.reach_hi
                    UNION ALL
                    (SELECT s.ctid, s.ended_at FROM sess_session s
                     WHERE s.tenant = $2 AND s.anonymous_key = d.anonymous_key AND s.device_key = d.device_key
                       AND s.started_at < d.reach_lo
                     ORDER BY s.started_at DESC LIMIT 1)
                ) x
                WHERE x.ended_at >= d.reach_lo
            ), old AS (
                -- by row address: the planner cannot estimate `near` and would otherwise scan every session
                DELETE FROM sess_session s WHERE s.tenant = $2 AND s.ctid = ANY (ARRAY(SELECT ctid FROM near))
                RETURNING s.anonymous_key, s.device_key, s.started_at AS lo, s.ended_at AS hi
            ), spans AS (
                SELECT anonymous_key, device_key, lo, hi FROM d UNION ALL SELECT * FROM old
            ), marked AS (
                SELECT *, CASE WHEN lo <= max(hi) OVER (PARTITION BY anonymous_key, device_key ORDER BY lo, hi
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                               THEN 0 ELSE 1 END AS brk
                FROM spans
            ), grouped AS (
                SELECT *, sum(brk) OVER (PARTITION BY anonymous_key, device_key ORDER BY lo, hi) AS grp FROM marked
            )
            INSERT INTO sess_rebuild_window (anonymous_key, device_key, lo, hi)
            SELECT anonymous_key, device_key, min(lo), max(hi) FROM grouped GROUP BY anonymous_key, device_key, grp
            """;

    // Sessionization of the tenant's events ($4): a break where the gap to the user's previous event is at least $1 (or
    // there is none), a running sum of breaks numbers the sessions, one row per session. Ties in created_at are ordered
    // by load order. City and app version are those of the session's first event that has one, found without a sort
    // per session: every window shares the one ordering of the user's events, in which a running count of non-null
    // values, less that count just before the session's first event, is 1 exactly at the session's first non-null
    // value.
    private static final String SESSIONIZE = """
            INSERT INTO sess_session (tenant, anonymous_key, device_key, started_at, ended_at, events, has_intent,
                                      booked, city, app_version)
            SELECT $4, anonymous_key, device_key, min(created_at), max(created_at), count(*),
                   bool_or(event_name = ANY($2::text[])), bool_or(event_name = ANY($3::text[])),
                   min(business_zone) FILTER (WHERE business_zone IS NOT NULL AND zones - zones_before = 1),
                   min(app_version) FILTER (WHERE app_version IS NOT NULL AND versions - versions_before = 1)
            FROM (
                SELECT x.*, sum(brk) OVER w AS session_no,
                       max(CASE WHEN brk = 1 THEN zones - (business_zone IS NOT NULL)::int END) OVER w AS zones_before,
                       max(CASE WHEN brk = 1 THEN versions - (app_version IS NOT NULL)::int END) OVER w AS versions_before
                FROM (
                    SELECT e.id, e.anonymous_key, e.device_key, e.created_at, e.event_name, e.business_zone, e.app_version,
                           CASE WHEN e.created_at - lag(e.created_at) OVER w < $1::text::interval THEN 0 ELSE 1 END AS brk,
                           count(e.business_zone) OVER w AS zones, count(e.app_version) OVER w AS versions
                    FROM %s
                    WINDOW w AS (PARTITION BY e.anonymous_key, e.device_key ORDER BY e.created_at, e.id)
                ) x
                WINDOW w AS (PARTITION BY anonymous_key, device_key ORDER BY created_at, id)
            ) y
            GROUP BY anonymous_key, device_key, session_no
            """;
    // One index range scan of sess_event per window: the work table has no statistics inside the transaction that
    // filled it, so a plain join may be planned as a scan of every stored event; OFFSET 0 keeps the lateral subquery
    // from being flattened into such a join.
    private static final String SESSIONIZE_WINDOW = SESSIONIZE.formatted("""
            sess_rebuild_window r CROSS JOIN LATERAL (
                SELECT * FROM sess_event s
                WHERE s.tenant = $4 AND s.anonymous_key = r.anonymous_key AND s.device_key = r.device_key
                  AND s.created_at BETWEEN r.lo AND r.hi
                OFFSET 0) e""");
    private static final String SESSIONIZE_ALL = SESSIONIZE.formatted("sess_event e WHERE e.tenant = $4");

    // A tenant alone in sess_session rebuilds as before tenancy: it empties the table (TRUNCATE, its own rows only, as
    // no other tenant's are there and none can come while it holds the table's exclusive lock), fills it without its
    // indexes and builds them after (by one sort each, rather than a B-tree descent per session). Beside other tenants
    // it deletes its own sessions and inserts with the indexes in place. The same indexes as V61 (SessionTenancyTest
    // compares the definitions after a rebuild; SessionIncrementalTest rebuilds twice: a name built differently fails
    // the second drop).
    private static final List<String> DROP_SESSION_INDEXES = List.of(
            "DROP INDEX sess_session_started", "ALTER TABLE sess_session DROP CONSTRAINT sess_session_pkey");
    private static final List<String> CREATE_SESSION_INDEXES = List.of("""
            ALTER TABLE sess_session ADD CONSTRAINT sess_session_pkey
                PRIMARY KEY (tenant, anonymous_key, device_key, started_at)""",
            "CREATE INDEX sess_session_started ON sess_session (tenant, started_at)");
    private static final String OTHERS_HOLD_SESSIONS =
            "SELECT other_tenants_hold_rows($1, ARRAY['sess_session']::regclass[])";

    // The windows of an incremental rebuild: a temporary table of its transaction (dropped at the commit), the
    // session's own, so tenants rebuilding at once never share one.
    private static final String CREATE_WINDOWS = """
            CREATE TEMP TABLE sess_rebuild_window (
                anonymous_key       text        NOT NULL COLLATE "C",
                device_key          text        NOT NULL COLLATE "C",
                lo                  timestamptz NOT NULL,
                hi                  timestamptz NOT NULL,
                PRIMARY KEY (anonymous_key, device_key, lo)
            ) ON COMMIT DROP""";

    // The window statements are costed far above jit_above_cost on a large event log (the planner cannot know how few
    // rows a window holds), and compiling them took longer than running them.
    private static final String NO_JIT = "SET LOCAL jit = off";

    private static final String USERS = """
            SELECT count(*) FROM (SELECT DISTINCT anonymous_key, device_key FROM sess_rebuild_window) u
            """;

    private static final String SESSIONS_OF_USER = """
            WITH s AS (
                SELECT * FROM sess_session
                WHERE tenant = $5 AND anonymous_key = $1 AND started_at >= coalesce($2::timestamptz, '-infinity')
                  AND started_at < coalesce($3::timestamptz, 'infinity')
                ORDER BY started_at, device_key
                LIMIT $4
            )
            SELECT s.device_key, s.started_at, s.ended_at, s.events, s.has_intent, s.booked, s.city, s.app_version,
                   e.event_name, e.created_at, e.received_at, e.anonymous_id, e.context_device_id, e.business_zone,
                   e.app_version AS event_app_version, e.os_name
            FROM s JOIN sess_event e ON e.tenant = $5 AND e.anonymous_key = $1 AND e.device_key = s.device_key
                                    AND e.created_at BETWEEN s.started_at AND s.ended_at
            ORDER BY s.started_at, s.device_key, e.created_at, e.id
            """;

    private static final String FIGURES = """
            SELECT %s AS key, count(*) AS sessions, count(*) FILTER (WHERE has_intent) AS with_intent,
                   count(*) FILTER (WHERE booked) AS booked, count(*) FILTER (WHERE has_intent AND booked) AS intent_booked,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at)) AS median
            FROM sess_session
            WHERE tenant = $3 AND started_at >= $1 AND started_at < $2
            GROUP BY 1 ORDER BY 1 NULLS LAST
            """;
    private static final String FIGURES_ALL = FIGURES.formatted("NULL::text");
    private static final String FIGURES_BY_CITY = FIGURES.formatted("city");
    private static final String FIGURES_BY_VERSION = FIGURES.formatted("app_version");

    private final TenantSql tenantSql;

    SessionRepository(TenantSql tenantSql) {
        this.tenantSql = tenantSql;
    }

    /** Stores a batch of the tenant's rows (a transaction of its own: the import is a log import). */
    public Uni<Stored> insert(String tenant, List<SessionRow> rows, Duration gap) {
        int n = rows.size();
        UUID[] h = new UUID[n];
        String[] ak = new String[n], dk = new String[n], a = new String[n], d = new String[n], z = new String[n],
                v = new String[n], o = new String[n], e = new String[n];
        OffsetDateTime[] r = new OffsetDateTime[n], c = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            SessionRow row = rows.get(i);
            h[i] = row.contentHash();
            a[i] = row.anonymousId();
            d[i] = row.contextDeviceId();
            ak[i] = a[i].toLowerCase(Locale.ROOT);
            dk[i] = d[i].toLowerCase(Locale.ROOT);
            z[i] = row.businessZoned();
            v[i] = row.contextAppVersion();
            o[i] = row.contextOsName();
            e[i] = row.eventName();
            r[i] = row.receivedAt() == null ? null : row.receivedAt().atOffset(ZoneOffset.UTC);
            c[i] = row.createdAt().atOffset(ZoneOffset.UTC);
        }
        return tenantSql.query(tenant, INSERT_EVENTS,
                        Tuple.from(new Object[] {h, ak, dk, a, d, z, v, o, e, r, c, interval(gap), tenant}))
                .map(rows1 -> {
                    long inserted = rows1.iterator().next().getLong(0);
                    return new Stored(inserted, n - inserted);
                });
    }

    /**
     * Rebuilds the tenant's sessions of the users and spans new rows touched; returns {users, sessions written}.
     */
    public Uni<long[]> rebuildTouched(String tenant, Duration gap, List<String> intent, List<String> booking) {
        return tenantSql.transaction(tenant, tx -> lock(tx, tenant)
                .chain(() -> tx.query(NO_JIT).execute())
                // sess_session starts empty: a plan kept from then would scan it whole for the row addresses
                .chain(() -> CustomPlans.forThisTransaction(tx))
                .chain(() -> tx.query(CREATE_WINDOWS).execute())
                .chain(() -> tx.preparedQuery(OPEN_WINDOW).execute(Tuple.of(interval(gap), tenant)))
                .chain(opened -> opened.rowCount() == 0 ? Uni.createFrom().item(new long[] {0, 0})
                        : tx.preparedQuery(SESSIONIZE_WINDOW).execute(sessionizeArgs(gap, intent, booking, tenant))
                                .chain(written -> tx.query(USERS).execute()
                                        .map(users -> new long[] {users.iterator().next().getLong(0),
                                                written.rowCount()}))));
    }

    /**
     * Rebuilds every session of the tenant from its imported events; returns the number of sessions. Whether the
     * tenant is alone in sess_session is asked first from a connection of its own (so that the rebuild never waits to
     * upgrade a lock it holds), then again under the table's lock.
     */
    public Uni<Long> rebuildAll(String tenant, Duration gap, List<String> intent, List<String> booking) {
        return tenantSql.query(tenant, OTHERS_HOLD_SESSIONS, Tuple.of(tenant))
                .map(rows -> !rows.iterator().next().getBoolean(0))
                .chain(maybeAlone -> tenantSql.transaction(tenant, tx -> lock(tx, tenant)
                        .chain(() -> tx.query("SELECT set_config('work_mem', '256MB', true)").execute())
                        .chain(() -> tx.query(NO_JIT).execute())
                        .chain(() -> !maybeAlone ? Uni.createFrom().item(false)
                                : tx.query("LOCK TABLE sess_session IN ACCESS EXCLUSIVE MODE").execute()
                                        .chain(() -> tx.preparedQuery(OTHERS_HOLD_SESSIONS).execute(Tuple.of(tenant)))
                                        .map(rows -> !rows.iterator().next().getBoolean(0)))
                        .chain(alone -> (alone
                                ? tx.query("TRUNCATE sess_session").execute().chain(() -> all(tx, DROP_SESSION_INDEXES))
                                : tx.preparedQuery("DELETE FROM sess_session WHERE tenant = $1")
                                        .execute(Tuple.of(tenant)).replaceWithVoid())
                                .chain(() -> tx.preparedQuery("DELETE FROM sess_dirty WHERE tenant = $1")
                                        .execute(Tuple.of(tenant)))
                                .chain(() -> tx.preparedQuery(SESSIONIZE_ALL)
                                        .execute(sessionizeArgs(gap, intent, booking, tenant)))
                                .call(() -> alone ? all(tx, CREATE_SESSION_INDEXES) : Uni.createFrom().voidItem()))
                        .map(written -> (long) written.rowCount())));
    }

    private static Uni<Void> all(SqlClient tx, List<String> statements) {
        return Multi.createFrom().iterable(statements)
                .onItem().transformToUniAndConcatenate(sql -> tx.query(sql).execute()).collect().last().replaceWithVoid();
    }

    /** The sessions of one anonymous id (lower-cased) starting in [from, to), with their events; at most limit. */
    public Uni<List<SessionView>> sessionsOf(String tenant, String anonymousKey, Instant from, Instant to, int limit) {
        return tenantSql.query(tenant, SESSIONS_OF_USER,
                        Tuple.from(new Object[] {anonymousKey, utc(from), utc(to), limit, tenant}))
                .map(rows -> {
                    Map<String, SessionBuilder> sessions = new LinkedHashMap<>();
                    for (Row row : rows) {
                        String device = row.getString("device_key");
                        Instant started = row.getOffsetDateTime("started_at").toInstant();
                        sessions.computeIfAbsent(device + '\u0000' + started, k -> new SessionBuilder(anonymousKey, row))
                                .events.add(new SessionEventView(row.getString("event_name"),
                                        row.getOffsetDateTime("created_at").toInstant(),
                                        instant(row.getOffsetDateTime("received_at")), row.getString("anonymous_id"),
                                        row.getString("context_device_id"), row.getString("business_zone"),
                                        row.getString("event_app_version"), row.getString("os_name")));
                    }
                    return sessions.values().stream().map(SessionBuilder::build).toList();
                });
    }

    /** Funnel figures over sessions starting in [from, to); groupBy null, "city" or "app_version". */
    public Uni<List<GroupFigures>> figures(String tenant, Instant from, Instant to, String groupBy) {
        String sql = groupBy == null ? FIGURES_ALL : groupBy.equals("city") ? FIGURES_BY_CITY : FIGURES_BY_VERSION;
        return tenantSql.query(tenant, sql, Tuple.of(utc(from), utc(to), tenant)).map(rows -> {
            List<GroupFigures> out = new ArrayList<>();
            for (Row row : rows) {
                long sessions = row.getLong("sessions");
                long withIntent = row.getLong("with_intent");
                long booked = row.getLong("booked");
                long intentBooked = row.getLong("intent_booked");
                out.add(new GroupFigures(row.getString("key"), new SessionMetrics(sessions, withIntent, booked,
                        share(withIntent, sessions), share(booked, sessions), share(intentBooked, withIntent),
                        row.getDouble("median"))));
            }
            return out;
        });
    }

    private static Uni<Void> lock(SqlClient tx, String tenant) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2))").execute(Tuple.of(LOCK_KEY, tenant))
                .replaceWithVoid();
    }

    private static Tuple sessionizeArgs(Duration gap, List<String> intent, List<String> booking, String tenant) {
        return Tuple.of(interval(gap), intent.toArray(String[]::new), booking.toArray(String[]::new), tenant);
    }

    /** An interval parameter as text (cast in SQL): microsecond precision, any length. */
    private static String interval(Duration gap) {
        return gap.toNanos() / 1000 + " microseconds";
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 1_000_000.0 / whole) / 1_000_000.0;
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static final class SessionBuilder {
        private final String anonymousKey;
        private final String device;
        private final Instant started;
        private final Instant ended;
        private final int count;
        private final boolean intent;
        private final boolean booked;
        private final String city;
        private final String version;
        private final List<SessionEventView> events = new ArrayList<>();

        SessionBuilder(String anonymousKey, Row row) {
            this.anonymousKey = anonymousKey;
            this.device = row.getString("device_key");
            this.started = row.getOffsetDateTime("started_at").toInstant();
            this.ended = row.getOffsetDateTime("ended_at").toInstant();
            this.count = row.getInteger("events");
            this.intent = row.getBoolean("has_intent");
            this.booked = row.getBoolean("booked");
            this.city = row.getString("city");
            this.version = row.getString("app_version");
        }

        SessionView build() {
            return new SessionView(anonymousKey, device, started, ended, Duration.between(started, ended).toNanos() / 1e9,
                    count, intent, booked, city, version, events);
        }
    }
}
