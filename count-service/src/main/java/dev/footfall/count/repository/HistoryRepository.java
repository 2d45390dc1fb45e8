package dev.footfall.count.repository;

import static dev.footfall.count.repository.TopologyRepository.instant;
import static dev.footfall.count.repository.TopologyRepository.utc;

import dev.footfall.common.db.CustomPlans;
import dev.footfall.common.db.TenantSql;
import dev.footfall.common.time.DailyReset;
import dev.footfall.count.model.SpaceRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The count history: contributions of events to spaces ({@code space_event}) with the count after each, and the
 * statements that keep it reconciled. Writers hold the history lock (a transaction-level advisory lock), so only one
 * transaction at a time, in any replica, folds history.
 */
@ApplicationScoped
public class HistoryRepository {

    /** Key of the advisory lock that serializes every writer of the history. */
    static final long HISTORY_LOCK = 0x466f6f7466616c6cL;

    /** Before any event: a refold from here recomputes a whole history. */
    public static final Instant BEGINNING = Instant.parse("0001-01-01T00:00:00Z");

    private static final String LOCK = "SELECT pg_advisory_xact_lock($1)";
    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1)";
    /** ingest-service publishes its queue and log to this service (see its migration V3__tenancy). */
    private static final String LOG_EXISTS = "SELECT to_regprocedure('ingest.take_appends(integer)') IS NOT NULL";
    /** By the outbox's key, like the take, so appends already taken (dead rows until a vacuum) are not read again. */
    private static final String QUEUED_WORK = """
            SELECT (SELECT append_id FROM ingest.queued_append ORDER BY append_id LIMIT 1) IS NOT NULL
                   OR EXISTS (SELECT 1 FROM refold)
            """;
    private static final String QUEUED_REFOLDS = "SELECT EXISTS (SELECT 1 FROM refold)";

    /** Where an event counts: the placement of its sensor at its time, and that doorway's links at its time. */
    static final String ATTRIBUTION = """
            JOIN placement p ON p.tenant = e.tenant AND p.dpu_id = e.dpu_id AND p.doorway_id IS NOT NULL
                 AND p.installed_at <= e.ts AND (p.removed_at IS NULL OR e.ts < p.removed_at)
            JOIN doorway_link l ON l.tenant = p.tenant AND l.doorway_id = p.doorway_id
                 AND l.valid_from <= e.ts AND (l.valid_to IS NULL OR e.ts < l.valid_to)
            """;

    /**
     * Takes whole appends from ingest-service's queue, oldest first, until at least {@code $1} events are taken or
     * none is left (its published {@code take_appends}), and returns their events' contributions by space and key
     * order, next to how many events were taken (every row carries it; one row with a null space when none is
     * attributed). An event counts only for spaces of its own tenant: attribution joins on the tenant. The folder
     * inserts the contributions with their counts, so each contribution is written once.
     */
    private static final String CONSUME = """
            WITH taken AS (
                SELECT * FROM ingest.take_appends($1)
            ), taken_events AS (
                SELECT taken.tenant, u.seq, u.dpu_id, u.ts, u.direction
                FROM taken, unnest(taken.seq, taken.dpu_id, taken.ts, taken.direction) AS u(seq, dpu_id, ts, direction)
            ), attributed AS (
                SELECT e.tenant, l.space_id, e.ts, e.seq, e.dpu_id, e.direction * l.direction AS delta
                FROM taken_events e
            """ + ATTRIBUTION + """
            ), counted AS (SELECT coalesce(sum(events), 0)::int AS n FROM taken)
            SELECT counted.n, a.tenant, a.space_id, a.ts, a.seq, a.dpu_id, a.delta
            FROM counted LEFT JOIN attributed a ON true
            ORDER BY a.tenant, a.space_id, a.ts, a.seq
            """;
    /** The sequence numbers of the tenant's events still queued, for the statements that leave them to the reconciler. */
    private static final String QUEUED = """
            WITH still_queued AS MATERIALIZED (SELECT seq FROM ingest.queued_event WHERE tenant = $1)
            """;
    private static final String INSERT_CONTRIBUTIONS = """
            INSERT INTO space_event (tenant, space_id, ts, seq, dpu_id, delta, count_after)
            SELECT $1, $2, u.ts, u.seq, u.dpu_id, u.delta, u.c
            FROM unnest($3::timestamptz[], $4::bigint[], $5::text[], $6::smallint[], $7::int[]) AS u(ts, seq, dpu_id, delta, c)
            ON CONFLICT DO NOTHING
            """;

    private static final String REMOVE_CONTRIBUTIONS = """
            WITH removed AS (
                DELETE FROM space_event WHERE tenant = $1 AND dpu_id = ANY($2) AND ts >= $3 RETURNING space_id, ts
            )
            INSERT INTO refold (tenant, space_id, from_ts) SELECT $1, space_id, min(ts) FROM removed GROUP BY space_id
            ON CONFLICT (tenant, space_id) DO UPDATE SET from_ts = LEAST(refold.from_ts, EXCLUDED.from_ts)
            """;
    /** Re-derives contributions from the raw log; events still queued are left to the reconciler. */
    private static final String ADD_CONTRIBUTIONS = QUEUED + """
            , added AS (
                INSERT INTO space_event (tenant, space_id, ts, seq, dpu_id, delta)
                SELECT e.tenant, l.space_id, e.ts, e.seq, e.dpu_id, e.direction * l.direction FROM ingest.logged_event e
            """ + ATTRIBUTION + """
                WHERE e.tenant = $1 AND e.dpu_id = ANY($2) AND e.ts >= $3 AND e.ts < $4
                  AND NOT EXISTS (SELECT 1 FROM still_queued q WHERE q.seq = e.seq)
                ON CONFLICT DO NOTHING
                RETURNING space_id, ts
            ), queued AS (
                INSERT INTO refold (tenant, space_id, from_ts) SELECT $1, space_id, min(ts) FROM added GROUP BY space_id
                ON CONFLICT (tenant, space_id) DO UPDATE SET from_ts = LEAST(refold.from_ts, EXCLUDED.from_ts)
            )
            SELECT count(*) FROM added
            """;
    private static final String REMOVE_SPACE_WINDOW = """
            DELETE FROM space_event WHERE tenant = $1 AND space_id = $2 AND ts >= $3 AND ts < $4
            """;
    private static final String ADD_SPACE_WINDOW = QUEUED + """
            INSERT INTO space_event (tenant, space_id, ts, seq, dpu_id, delta)
            SELECT e.tenant, l.space_id, e.ts, e.seq, e.dpu_id, e.direction * l.direction FROM ingest.logged_event e
            """ + ATTRIBUTION + """
            WHERE e.tenant = $1 AND l.space_id = $2 AND e.ts >= $3 AND e.ts < $4
              AND NOT EXISTS (SELECT 1 FROM still_queued q WHERE q.seq = e.seq)
            ON CONFLICT DO NOTHING
            """;
    private static final String REQUEST_REFOLD = """
            INSERT INTO refold (tenant, space_id, from_ts) VALUES ($1, $2, $3)
            ON CONFLICT (tenant, space_id) DO UPDATE SET from_ts = LEAST(refold.from_ts, EXCLUDED.from_ts)
            """;
    private static final String TAKE_REFOLDS = "DELETE FROM refold RETURNING tenant, space_id, from_ts";

    private static final String RESETS = """
            SELECT s.tenant, s.space_id, s.timezone, s.daily_reset
            FROM space s JOIN unnest($1::varchar[], $2::varchar[]) AS k(tenant, space_id) USING (tenant, space_id)
            """;
    /** The offset in force at a contribution (e): the last offset at or before its key; 0 when none. */
    private static final String OFFSET_AT = """
            coalesce((SELECT o.count_offset FROM space_offset o WHERE o.tenant = e.tenant AND o.space_id = e.space_id
                      AND (o.ts, o.seq) <= (e.ts, e.seq) ORDER BY o.ts DESC, o.seq DESC LIMIT 1), 0)""";
    private static final String PRIOR = """
            SELECT e.ts, e.seq, e.count_after + """ + OFFSET_AT + """
             AS count_after FROM (SELECT tenant, space_id, ts, seq, count_after FROM space_event
                                  WHERE tenant = $1 AND space_id = $2 AND ts < $3
                                  ORDER BY ts DESC, seq DESC LIMIT 1) e
            """;
    /** The offset in force before {@code ts} (the base of a fold from there), and every offset from there on. */
    private static final String OFFSETS_FROM = """
            SELECT NULL::timestamptz AS ts, NULL::bigint AS seq, coalesce((SELECT count_offset FROM space_offset
                WHERE tenant = $1 AND space_id = $2 AND ts < $3 ORDER BY ts DESC, seq DESC LIMIT 1), 0) AS count_offset
            UNION ALL
            (SELECT ts, seq, count_offset FROM space_offset WHERE tenant = $1 AND space_id = $2 AND ts >= $3
             ORDER BY ts, seq)
            """;
    private static final String DELETE_OFFSETS = """
            DELETE FROM space_offset WHERE tenant = $1 AND space_id = $2 AND ts >= $3
              AND ($4::timestamptz IS NULL OR (ts, seq) < ($4::timestamptz, $5::bigint))
            """;
    private static final String INSERT_OFFSETS = """
            INSERT INTO space_offset (tenant, space_id, ts, seq, count_offset)
            SELECT $1, $2, u.ts, u.seq, u.o FROM unnest($3::timestamptz[], $4::bigint[], $5::int[]) AS u(ts, seq, o)
            ON CONFLICT (tenant, space_id, ts, seq) DO UPDATE SET count_offset = EXCLUDED.count_offset
            """;
    private static final String PAGE = """
            SELECT ts, seq, delta, count_after FROM space_event
            WHERE tenant = $1 AND space_id = $2 AND ts >= $3 AND (ts, seq) > ($3, $4)
            ORDER BY ts, seq LIMIT $5
            """;
    private static final String SET_COUNTS = """
            UPDATE space_event s SET count_after = u.c
            FROM unnest($3::timestamptz[], $4::bigint[], $5::int[]) AS u(ts, seq, c)
            WHERE s.tenant = $1 AND s.space_id = $2 AND s.ts = u.ts AND s.seq = u.seq
            """;

    /** The count as of T: the last contribution at or before T, one backward step on the primary key. */
    private static final String AS_OF = """
            SELECT e.ts, e.count_after + """ + OFFSET_AT + """
             AS count_after FROM (SELECT tenant, space_id, ts, seq, count_after FROM space_event
                                  WHERE tenant = $1 AND space_id = $2 AND ts <= $3
                                  ORDER BY ts DESC, seq DESC LIMIT 1) e
            """;
    /** A window's contributions and the offsets in force over it (kind 0: the one before the window; 1: offset; 2: row). */
    private static final String WINDOW = """
            SELECT 0 AS kind, NULL::timestamptz AS ts, NULL::bigint AS seq, NULL::smallint AS delta,
                   coalesce((SELECT count_offset FROM space_offset WHERE tenant = $1 AND space_id = $2 AND ts < $3
                             ORDER BY ts DESC, seq DESC LIMIT 1), 0) AS value
            UNION ALL
            (SELECT 1, ts, seq, NULL, count_offset FROM space_offset
             WHERE tenant = $1 AND space_id = $2 AND ts >= $3 AND ts < $4)
            UNION ALL
            (SELECT 2, ts, seq, delta, count_after FROM space_event
             WHERE tenant = $1 AND space_id = $2 AND ts >= $3 AND ts < $4)
            ORDER BY ts NULLS FIRST, seq, kind
            """;
    /** Every space's latest count at or before $1: a tenant's ($2), or every tenant's when $2 is null (system scope). */
    private static final String CURRENT_ALL = """
            SELECT s.tenant, s.space_id, s.timezone, s.daily_reset, e.ts, e.count_after + """ + OFFSET_AT + """
             AS count_after FROM space s
            LEFT JOIN LATERAL (SELECT tenant, space_id, ts, seq, count_after FROM space_event
                               WHERE tenant = s.tenant AND space_id = s.space_id AND ts <= $1
                               ORDER BY ts DESC, seq DESC LIMIT 1) e ON true
            WHERE $2::varchar IS NULL OR s.tenant = $2
            """;
    private static final String OUTBOX_LAG =
            "SELECT coalesce(extract(epoch FROM now() - min(queued_at)), 0)::float8 FROM ingest.queued_append";
    private static final String REALTIME_DIRTY = "SELECT dirty_since FROM ingest.realtime_status";
    private static final String REALTIME_CLEAN = """
            UPDATE ingest.realtime_status SET dirty_since = NULL, rebuilt_at = now()
            WHERE dirty_since IS NOT DISTINCT FROM $1
            """;

    /** A new contribution of an event to a space, not yet in the history. */
    public record Contribution(Instant ts, long seq, String dpuId, int delta) {
    }

    /** Events taken from the outbox, and their contributions by space, each list in key order. */
    public record Consumed(int events, Map<SpaceRef, List<Contribution>> added) {
    }

    /** A count offset: from this key on (until the next offset), counts are count_after plus {@code value}. */
    public record Offset(Instant ts, long seq, int value) {
    }

    /** The offset in force before an instant, and the offsets from there on, in key order. */
    public record Offsets(int base, List<Offset> from) {
    }

    public record Step(Instant ts, long seq, int delta, Integer countAfter) {
    }

    public record Point(Instant ts, Integer count) {
    }

    /** The last contribution before a window and the window's contributions, for buckets. */
    public record Window(Step prior, List<Step> steps) {
    }

    public record Current(SpaceRef space, DailyReset reset, Instant ts, Integer count) {
    }

    private final TenantSql tenantSql;

    HistoryRepository(TenantSql tenantSql) {
        this.tenantSql = tenantSql;
    }

    public Uni<Void> lock(SqlConnection conn) {
        return conn.preparedQuery(LOCK).execute(Tuple.of(HISTORY_LOCK)).replaceWithVoid();
    }

    public Uni<Boolean> tryLock(SqlConnection conn) {
        return conn.preparedQuery(TRY_LOCK).execute(Tuple.of(HISTORY_LOCK)).map(r -> r.iterator().next().getBoolean(0));
    }

    /** Whether ingest-service's event log is in this database (it is, once ingest-service has started once). */
    public Uni<Boolean> eventLogExists(SqlClient client) {
        return client.query(LOG_EXISTS).execute().map(r -> r.iterator().next().getBoolean(0));
    }

    /**
     * Whether any append or refold of any tenant is queued: one cheap statement, so that an idle poll costs no
     * transaction of its own, lock or custom-planned take. {@code logExists} false: the refold queue only.
     */
    public Uni<Boolean> workQueued(boolean logExists) {
        return tenantSql.systemQuery(logExists ? QUEUED_WORK : QUEUED_REFOLDS, Tuple.tuple())
                .map(r -> r.iterator().next().getBoolean(0));
    }

    /** Takes about {@code limit} queued events of every tenant; in the system scope. */
    public Uni<Consumed> consume(SqlConnection conn, int limit) {
        return CustomPlans.forStatement(conn, () -> conn.preparedQuery(CONSUME).execute(Tuple.of(limit))).map(rows -> {
            int events = 0;
            Map<SpaceRef, List<Contribution>> added = new HashMap<>();
            for (Row r : rows) {
                events = r.getInteger("n");
                String spaceId = r.getString("space_id");
                if (spaceId != null) {
                    added.computeIfAbsent(new SpaceRef(r.getString("tenant"), spaceId), k -> new ArrayList<>())
                            .add(new Contribution(instant(r.getOffsetDateTime("ts")), r.getLong("seq"),
                                    r.getString("dpu_id"), r.getInteger("delta")));
                }
            }
            return new Consumed(events, added);
        });
    }

    /** Inserts new contributions with their counts ({@code counts[i]} is the count_after of {@code added[i]}). */
    public Uni<Void> insert(SqlConnection conn, SpaceRef space, List<Contribution> added, List<Integer> counts) {
        if (added.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = added.size();
        OffsetDateTime[] times = new OffsetDateTime[n];
        Long[] seqs = new Long[n];
        String[] dpus = new String[n];
        Short[] deltas = new Short[n];
        for (int i = 0; i < n; i++) {
            Contribution c = added.get(i);
            times[i] = utc(c.ts());
            seqs[i] = c.seq();
            dpus[i] = c.dpuId();
            deltas[i] = (short) c.delta();
        }
        return conn.preparedQuery(INSERT_CONTRIBUTIONS)
                .execute(args(space.tenant(), space.spaceId(), times, seqs, dpus, deltas, counts.toArray(Integer[]::new)))
                .replaceWithVoid();
    }

    public Uni<Offsets> offsetsFrom(SqlClient client, SpaceRef space, Instant from) {
        return client.preparedQuery(OFFSETS_FROM).execute(args(space.tenant(), space.spaceId(), utc(from))).map(rows -> {
            int base = 0;
            List<Offset> offsets = new ArrayList<>();
            for (Row r : rows) {
                if (r.getOffsetDateTime("ts") == null) {
                    base = r.getInteger("count_offset");
                } else {
                    offsets.add(new Offset(instant(r.getOffsetDateTime("ts")), r.getLong("seq"), r.getInteger("count_offset")));
                }
            }
            return new Offsets(base, offsets);
        });
    }

    /**
     * Replaces the offsets of a space from {@code from} on with {@code offsets}; only those before {@code (untilTs,
     * untilSeq)} when {@code untilTs} is not null (the history from there on is unchanged).
     */
    public Uni<Void> replaceOffsets(SqlConnection conn, SpaceRef space, Instant from, Instant untilTs, long untilSeq,
            List<Offset> offsets) {
        Uni<Void> delete = conn.preparedQuery(DELETE_OFFSETS)
                .execute(args(space.tenant(), space.spaceId(), utc(from), utc(untilTs), untilSeq)).replaceWithVoid();
        if (offsets.isEmpty()) {
            return delete;
        }
        OffsetDateTime[] times = offsets.stream().map(o -> utc(o.ts())).toArray(OffsetDateTime[]::new);
        Long[] seqs = offsets.stream().map(Offset::seq).toArray(Long[]::new);
        Integer[] values = offsets.stream().map(Offset::value).toArray(Integer[]::new);
        return delete.chain(() -> conn.preparedQuery(INSERT_OFFSETS)
                        .execute(args(space.tenant(), space.spaceId(), times, seqs, values)))
                .replaceWithVoid();
    }

    /** Re-attributes a tenant's sensors' events from {@code from} on, queueing refolds of every space touched. */
    public Uni<Long> reattribute(SqlConnection conn, String tenant, List<String> dpuIds, Instant from) {
        String[] dpus = dpuIds.toArray(String[]::new);
        return conn.preparedQuery(REMOVE_CONTRIBUTIONS).execute(args(tenant, dpus, utc(from)))
                .chain(() -> conn.preparedQuery(ADD_CONTRIBUTIONS)
                        .execute(args(tenant, dpus, utc(from), utc(Instant.parse("9999-12-31T00:00:00Z")))))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Re-derives one space's contributions in [from, to) from the raw log; returns how many there are now. */
    public Uni<Integer> rederiveWindow(SqlConnection conn, SpaceRef space, Instant from, Instant to) {
        Tuple window = args(space.tenant(), space.spaceId(), utc(from), utc(to));
        return conn.preparedQuery(REMOVE_SPACE_WINDOW).execute(window)
                .chain(() -> conn.preparedQuery(ADD_SPACE_WINDOW).execute(window))
                .map(RowSet::rowCount);
    }

    public Uni<Void> requestRefold(SqlClient client, SpaceRef space, Instant from) {
        return client.preparedQuery(REQUEST_REFOLD).execute(args(space.tenant(), space.spaceId(), utc(from)))
                .replaceWithVoid();
    }

    public Uni<Map<SpaceRef, Instant>> takeRefolds(SqlConnection conn) {
        return conn.query(TAKE_REFOLDS).execute().map(rows -> {
            Map<SpaceRef, Instant> result = new HashMap<>();
            rows.forEach(r -> result.put(new SpaceRef(r.getString("tenant"), r.getString("space_id")),
                    r.getOffsetDateTime("from_ts") == null
                            ? HistoryRepository.BEGINNING : r.getOffsetDateTime("from_ts").toInstant()));
            return result;
        });
    }

    /** Each space's daily reset (absent for spaces without one). */
    public Uni<Map<SpaceRef, DailyReset>> resets(SqlClient client, Collection<SpaceRef> spaces) {
        String[] tenants = spaces.stream().map(SpaceRef::tenant).toArray(String[]::new);
        String[] ids = spaces.stream().map(SpaceRef::spaceId).toArray(String[]::new);
        return client.preparedQuery(RESETS).execute(args(tenants, ids)).map(rows -> {
            Map<SpaceRef, DailyReset> result = new HashMap<>();
            rows.forEach(r -> {
                DailyReset reset = reset(r);
                if (reset != null) {
                    result.put(new SpaceRef(r.getString("tenant"), r.getString("space_id")), reset);
                }
            });
            return result;
        });
    }

    public Uni<Step> prior(SqlClient client, SpaceRef space, Instant before) {
        return client.preparedQuery(PRIOR).execute(args(space.tenant(), space.spaceId(), utc(before)))
                .map(HistoryRepository::priorStep);
    }

    /** The next contributions after (ts, seq), in order. */
    public Uni<List<Step>> page(SqlClient client, SpaceRef space, Instant afterTs, long afterSeq, int limit) {
        return client.preparedQuery(PAGE).execute(args(space.tenant(), space.spaceId(), utc(afterTs), afterSeq, limit))
                .map(rows -> {
                    List<Step> steps = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        steps.add(new Step(instant(r.getOffsetDateTime("ts")), r.getLong("seq"), r.getShort("delta"),
                                r.getInteger("count_after")));
                    }
                    return steps;
                });
    }

    /** Stores recomputed counts; {@code changed} are the contributions (by ts and seq) and their new counts. */
    public Uni<Void> setCounts(SqlConnection conn, SpaceRef space, List<Step> changed, List<Integer> counts) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime[] times = changed.stream().map(s -> utc(s.ts())).toArray(OffsetDateTime[]::new);
        Long[] seqs = changed.stream().map(Step::seq).toArray(Long[]::new);
        return conn.preparedQuery(SET_COUNTS)
                .execute(args(space.tenant(), space.spaceId(), times, seqs, counts.toArray(Integer[]::new)))
                .replaceWithVoid();
    }

    /** The space's count as of {@code at}, read as its tenant. */
    public Uni<Point> asOf(SpaceRef space, Instant at) {
        return tenantSql.query(space.tenant(), AS_OF, args(space.tenant(), space.spaceId(), utc(at))).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row r = rows.iterator().next();
            return new Point(instant(r.getOffsetDateTime("ts")), r.getInteger("count_after"));
        });
    }

    /**
     * The last contribution before {@code from}, and the contributions in [from, to) in key order, each with its count
     * (count_after plus the offset in force); read as the space's tenant, in one transaction.
     */
    public Uni<Window> window(SpaceRef space, Instant from, Instant to) {
        Tuple window = args(space.tenant(), space.spaceId(), utc(from), utc(to));
        return tenantSql.transaction(space.tenant(), conn -> prior(conn, space, from)
                .chain(prior -> conn.preparedQuery(WINDOW).execute(window).map(rows -> {
                    List<Step> steps = new ArrayList<>(rows.size());
                    int offset = 0;
                    for (Row r : rows) {
                        int kind = r.getInteger("kind");
                        Integer value = r.getInteger("value");
                        if (kind < 2) {
                            offset = value;
                        } else {
                            steps.add(new Step(instant(r.getOffsetDateTime("ts")), r.getLong("seq"), r.getShort("delta"),
                                    value == null ? null : value + offset));
                        }
                    }
                    return new Window(prior, steps);
                })));
    }

    /**
     * Every space's latest contribution at or before {@code at}, for rebuilding the real-time counters: the tenant's
     * spaces, or every tenant's (in the system scope) when {@code tenant} is null.
     */
    public Uni<List<Current>> currentAll(String tenant, Instant at) {
        Tuple params = args(utc(at), tenant);
        Uni<RowSet<Row>> rows = tenant == null ? tenantSql.systemQuery(CURRENT_ALL, params)
                : tenantSql.query(tenant, CURRENT_ALL, params);
        return rows.map(all -> {
            List<Current> result = new ArrayList<>(all.size());
            for (Row r : all) {
                result.add(new Current(new SpaceRef(r.getString("tenant"), r.getString("space_id")), reset(r),
                        instant(r.getOffsetDateTime("ts")), r.getInteger("count_after")));
            }
            return result;
        });
    }

    /** Seconds the oldest queued event of any tenant has waited to be folded (0 when none waits). */
    public Uni<Double> outboxLag() {
        return tenantSql.systemQuery(OUTBOX_LAG, Tuple.tuple()).map(r -> r.iterator().next().getDouble(0));
    }

    /** When ingest-service last failed to update Redis (null: counters are complete). */
    public Uni<OffsetDateTime> realtimeDirtySince(SqlClient client) {
        return client.query(REALTIME_DIRTY).execute().map(r -> r.iterator().next().getOffsetDateTime(0));
    }

    /** Clears the mark, unless a new failure happened meanwhile. */
    public Uni<Boolean> markRealtimeClean(SqlClient client, OffsetDateTime dirtySince) {
        return client.preparedQuery(REALTIME_CLEAN).execute(Tuple.of(dirtySince)).map(r -> r.rowCount() > 0);
    }

    private static Step priorStep(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row r = rows.iterator().next();
        return new Step(instant(r.getOffsetDateTime("ts")), r.getLong("seq"), 0, r.getInteger("count_after"));
    }

    /** Parameters in order; nulls allowed (unlike {@code Tuple.tuple(List.of(...))}). */
    private static Tuple args(Object... values) {
        Tuple tuple = Tuple.tuple();
        for (Object value : values) {
            tuple.addValue(value);
        }
        return tuple;
    }

    private static DailyReset reset(Row r) {
        LocalTime at = r.getLocalTime("daily_reset");
        return at == null ? null : new DailyReset(ZoneId.of(r.getString("timezone")), at);
    }
}
