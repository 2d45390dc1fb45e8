package dev.footfall.analytics.repository.session;

import dev.footfall.analytics.model.session.SessionEventView;
import dev.footfall.analytics.model.session.SessionMetrics;
import dev.footfall.analytics.model.session.SessionRow;
import dev.footfall.analytics.model.session.SessionView;
import dev.footfall.common.db.CustomPlans;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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

/** Every statement of app sessions: the de-duplicating import, the (incremental and full) rebuild, the queries. */
@ApplicationScoped
public class SessionRepository {

    /** Serializes session rebuilds across replicas ("sess-reb" in ASCII); a transaction-level lock. */
    static final long LOCK_KEY = 0x736573732d726562L;

    /** Counts of one stored batch. */
    public record Stored(long inserted, long duplicates) {
    }

    /** One group's figures as read from PostgreSQL. */
    public record GroupFigures(String key, SessionMetrics metrics) {
    }

    // One statement per batch: rows already stored (same content hash, also twice within the batch) are skipped, and the
    // new rows are recorded as (user, span) clusters (rows less than a gap apart) in the same statement, so that a rebuild
    // seeing a cluster sees its rows.
    private static final String INSERT_EVENTS = """
            WITH ins AS (
                INSERT INTO sess_event (content_hash, anonymous_key, device_key, anonymous_id, context_device_id,
                                        business_zone, app_version, os_name, event_name, received_at, created_at)
                SELECT u.h, u.ak, u.dk, u.a, u.d, u.z, u.v, u.o, u.e, u.r, u.c
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[])
                     AS u(h, ak, dk, a, d, z, v, o, e, r, c)
                ON CONFLICT (content_hash) DO NOTHING
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
                INSERT INTO sess_dirty (anonymous_key, device_key, min_created_at, max_created_at)
                SELECT anonymous_key, device_key, min(created_at), max(created_at) FROM clusters GROUP BY 1, 2, cluster
            )
            SELECT count(*) FROM ins
            """;

    // The incremental windows: every stored session within a gap of a new cluster is deleted; the clusters and the deleted
    // sessions' spans, merged where they overlap, are re-sessionized. A session left in place is at least a gap away from
    // every event in a window, so re-sessionizing the windows alone gives what a full rebuild would.
    private static final String OPEN_WINDOW = """
            WITH d AS (
                DELETE FROM sess_dirty RETURNING anonymous_key, device_key, min_created_at AS lo, max_created_at AS hi
            ), near AS (
                -- A session within a gap of [lo, hi] starts inside [lo - gap, hi + gap], or is the user's last session
                -- starting before that and ending inside it (sessions do not overlap): two primary-key range scans.
                SELECT DISTINCT x.ctid
                FROM d CROSS JOIN LATERAL (
                    SELECT s.ctid, s.ended_at FROM sess_session s
                    WHERE s.anonymous_key = d.anonymous_key AND s.device_key = d.device_key
                      AND s.started_at BETWEEN d.lo - $1::text::interval AND d.hi + $1::text::interval
                    UNION ALL
                    (SELECT s.ctid, s.ended_at FROM sess_session s
                     WHERE s.anonymous_key = d.anonymous_key AND s.device_key = d.device_key
                       AND s.started_at < d.lo - $1::text::interval
                     ORDER BY s.started_at DESC LIMIT 1)
                ) x
                WHERE x.ended_at >= d.lo - $1::text::interval
            ), old AS (
                -- by row address: the planner cannot estimate `near` and would otherwise scan every session
                DELETE FROM sess_session s WHERE s.ctid = ANY (ARRAY(SELECT ctid FROM near))
                RETURNING s.anonymous_key, s.device_key, s.started_at AS lo, s.ended_at AS hi
            ), spans AS (
                SELECT * FROM d UNION ALL SELECT * FROM old
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

    // Sessionization: a break where the gap to the user's previous event is at least $1 (or there is none), a running
    // sum of breaks numbers the sessions, one row per session. Ties in created_at are ordered by load order. City and
    // app version are those of the session's first event that has one, found without a sort per session: every window
    // shares the one ordering of the user's events, in which a running count of non-null values, less that count just
    // before the session's first event, is 1 exactly at the session's first non-null value.
    private static final String SESSIONIZE = """
            INSERT INTO sess_session (anonymous_key, device_key, started_at, ended_at, events, has_intent, booked,
                                      city, app_version)
            SELECT anonymous_key, device_key, min(created_at), max(created_at), count(*),
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
                WHERE s.anonymous_key = r.anonymous_key AND s.device_key = r.device_key
                  AND s.created_at BETWEEN r.lo AND r.hi
                OFFSET 0) e""");
    private static final String SESSIONIZE_ALL = SESSIONIZE.formatted("sess_event e");

    // The full rebuild fills the emptied table without its indexes and builds them after (by one sort each, rather than
    // a B-tree descent per session); TRUNCATE already holds the table's exclusive lock until the commit. The same
    // indexes as V4__sessions.sql (SessionIncrementalTest rebuilds twice: a name built differently fails the second
    // drop).
    private static final List<String> DROP_SESSION_INDEXES = List.of(
            "DROP INDEX sess_session_started", "ALTER TABLE sess_session DROP CONSTRAINT sess_session_pkey");
    private static final List<String> CREATE_SESSION_INDEXES = List.of(
            "ALTER TABLE sess_session ADD CONSTRAINT sess_session_pkey PRIMARY KEY (anonymous_key, device_key, started_at)",
            "CREATE INDEX sess_session_started ON sess_session (started_at)");

    // The window statements are costed far above jit_above_cost on a large event log (the planner cannot know how few
    // rows a window holds), and compiling them took longer than running them.
    private static final String NO_JIT = "SET LOCAL jit = off";

    private static final String USERS_AND_CLEAR = """
            WITH gone AS (DELETE FROM sess_rebuild_window RETURNING anonymous_key, device_key)
            SELECT count(*) FROM (SELECT DISTINCT anonymous_key, device_key FROM gone) u
            """;

    private static final String SESSIONS_OF_USER = """
            WITH s AS (
                SELECT * FROM sess_session
                WHERE anonymous_key = $1 AND started_at >= coalesce($2::timestamptz, '-infinity') AND started_at < coalesce($3::timestamptz, 'infinity')
                ORDER BY started_at, device_key
                LIMIT $4
            )
            SELECT s.device_key, s.started_at, s.ended_at, s.events, s.has_intent, s.booked, s.city, s.app_version,
                   e.event_name, e.created_at, e.received_at, e.anonymous_id, e.context_device_id, e.business_zone,
                   e.app_version AS event_app_version, e.os_name
            FROM s JOIN sess_event e ON e.anonymous_key = $1 AND e.device_key = s.device_key
                                    AND e.created_at BETWEEN s.started_at AND s.ended_at
            ORDER BY s.started_at, s.device_key, e.created_at, e.id
            """;

    private static final String FIGURES = """
            SELECT %s AS key, count(*) AS sessions, count(*) FILTER (WHERE has_intent) AS with_intent,
                   count(*) FILTER (WHERE booked) AS booked, count(*) FILTER (WHERE has_intent AND booked) AS intent_booked,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at)) AS median
            FROM sess_session
            WHERE started_at >= $1 AND started_at < $2
            GROUP BY 1 ORDER BY 1 NULLS LAST
            """;
    private static final String FIGURES_ALL = FIGURES.formatted("NULL::text");
    private static final String FIGURES_BY_CITY = FIGURES.formatted("city");
    private static final String FIGURES_BY_VERSION = FIGURES.formatted("app_version");

    private final Pool pool;

    SessionRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Stored> insert(List<SessionRow> rows, Duration gap) {
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
        return pool.preparedQuery(INSERT_EVENTS)
                .execute(Tuple.from(new Object[] {h, ak, dk, a, d, z, v, o, e, r, c, interval(gap)}))
                .map(rows1 -> {
                    long inserted = rows1.iterator().next().getLong(0);
                    return new Stored(inserted, n - inserted);
                });
    }

    /** Rebuilds the sessions of the users and spans new rows touched; returns {users, sessions written}. */
    public Uni<long[]> rebuildTouched(Duration gap, List<String> intent, List<String> booking) {
        return pool.withTransaction(tx -> lock(tx)
                .chain(() -> tx.query(NO_JIT).execute())
                // sess_session starts empty: a plan kept from then would scan it whole for the row addresses
                .chain(() -> CustomPlans.forThisTransaction(tx))
                .chain(() -> tx.preparedQuery(OPEN_WINDOW).execute(Tuple.of(interval(gap))))
                .chain(opened -> opened.rowCount() == 0 ? Uni.createFrom().item(new long[] {0, 0})
                        : tx.preparedQuery(SESSIONIZE_WINDOW).execute(sessionizeArgs(gap, intent, booking))
                                .chain(written -> tx.query(USERS_AND_CLEAR).execute()
                                        .map(users -> new long[] {users.iterator().next().getLong(0),
                                                written.rowCount()}))));
    }

    /** Rebuilds every session from every imported event; returns the number of sessions. */
    public Uni<Long> rebuildAll(Duration gap, List<String> intent, List<String> booking) {
        return pool.withTransaction(tx -> lock(tx)
                .chain(() -> tx.query("SELECT set_config('work_mem', '256MB', true)").execute())
                .chain(() -> tx.query(NO_JIT).execute())
                .chain(() -> tx.query("TRUNCATE sess_session").execute())
                .chain(() -> tx.query("DELETE FROM sess_dirty").execute())
                .chain(() -> all(tx, DROP_SESSION_INDEXES))
                .chain(() -> tx.preparedQuery(SESSIONIZE_ALL).execute(sessionizeArgs(gap, intent, booking)))
                .call(() -> all(tx, CREATE_SESSION_INDEXES))
                .map(written -> (long) written.rowCount()));
    }

    private static Uni<Void> all(SqlClient tx, List<String> statements) {
        return Multi.createFrom().iterable(statements)
                .onItem().transformToUniAndConcatenate(sql -> tx.query(sql).execute()).collect().last().replaceWithVoid();
    }

    public Uni<Long> countSessions() {
        return pool.query("SELECT count(*) FROM sess_session").execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /** The sessions of one anonymous id (lower-cased) starting in [from, to), with their events; at most limit. */
    public Uni<List<SessionView>> sessionsOf(String anonymousKey, Instant from, Instant to, int limit) {
        return pool.preparedQuery(SESSIONS_OF_USER)
                .execute(Tuple.of(anonymousKey, utc(from), utc(to), limit))
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
    public Uni<List<GroupFigures>> figures(Instant from, Instant to, String groupBy) {
        String sql = groupBy == null ? FIGURES_ALL : groupBy.equals("city") ? FIGURES_BY_CITY : FIGURES_BY_VERSION;
        return pool.preparedQuery(sql).execute(Tuple.of(utc(from), utc(to))).map(rows -> {
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

    private static Uni<Void> lock(SqlClient tx) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK_KEY)).replaceWithVoid();
    }

    private static Tuple sessionizeArgs(Duration gap, List<String> intent, List<String> booking) {
        return Tuple.of(interval(gap), intent.toArray(String[]::new), booking.toArray(String[]::new));
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
