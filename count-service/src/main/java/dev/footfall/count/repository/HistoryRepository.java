package dev.footfall.count.repository;

import static dev.footfall.count.repository.TopologyRepository.instant;
import static dev.footfall.count.repository.TopologyRepository.utc;

import dev.footfall.common.db.CustomPlans;
import dev.footfall.common.time.DailyReset;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalTime;
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
    private static final String LOG_EXISTS = "SELECT to_regclass('ingest.event_outbox') IS NOT NULL";
    /** By the outbox's key, like the take, so appends already taken (dead rows until a vacuum) are not read again. */
    private static final String QUEUED_WORK = """
            SELECT (SELECT append_id FROM ingest.event_outbox ORDER BY append_id LIMIT 1) IS NOT NULL
                   OR EXISTS (SELECT 1 FROM refold)
            """;
    private static final String QUEUED_REFOLDS = "SELECT EXISTS (SELECT 1 FROM refold)";

    /** Where an event counts: the placement of its sensor at its time, and that doorway's links at its time. */
    static final String ATTRIBUTION = """
            JOIN placement p ON p.dpu_id = e.dpu_id AND p.doorway_id IS NOT NULL
                 AND p.installed_at <= e.ts AND (p.removed_at IS NULL OR e.ts < p.removed_at)
            JOIN doorway_link l ON l.doorway_id = p.doorway_id
                 AND l.valid_from <= e.ts AND (l.valid_to IS NULL OR e.ts < l.valid_to)
            """;

    /**
     * Takes whole appends from the outbox, oldest first, until at least {@code $1} events are taken or none is left
     * (a slice may exceed $1 by part of one append), and returns their events' contributions by space and key order,
     * next to how many events were taken (every row carries it; one row with a null space when none is attributed).
     * The running sum reads at most $1 rows (an append holds at least one event) in key order, so a backlog left by
     * hours of downtime costs no more per slice than a short one; the event arrays are only read for the rows taken.
     * The folder inserts the contributions with their counts, so each contribution is written once.
     */
    private static final String CONSUME = """
            WITH taken AS (
                DELETE FROM ingest.event_outbox WHERE append_id IN (
                    SELECT append_id FROM (SELECT append_id, sum(events) OVER (ORDER BY append_id) - events AS before
                                           FROM (SELECT append_id, events FROM ingest.event_outbox
                                                 ORDER BY append_id LIMIT $1) oldest) appends
                    WHERE before < $1)
                RETURNING events, seq, dpu_id, ts, direction
            ), taken_events AS (
                SELECT u.seq, u.dpu_id, u.ts, u.direction
                FROM taken, unnest(taken.seq, taken.dpu_id, taken.ts, taken.direction) AS u(seq, dpu_id, ts, direction)
            ), attributed AS (
                SELECT l.space_id, e.ts, e.seq, e.dpu_id, e.direction * l.direction AS delta FROM taken_events e
            """ + ATTRIBUTION + """
            ), counted AS (SELECT coalesce(sum(events), 0)::int AS n FROM taken)
            SELECT counted.n, a.space_id, a.ts, a.seq, a.dpu_id, a.delta FROM counted LEFT JOIN attributed a ON true
            ORDER BY a.space_id, a.ts, a.seq
            """;
    /** The sequence numbers of the events still queued, for the statements that must leave them to the reconciler. */
    private static final String QUEUED = """
            WITH still_queued AS MATERIALIZED (SELECT unnest(o.seq) AS seq FROM ingest.event_outbox o)
            """;
    private static final String INSERT_CONTRIBUTIONS = """
            INSERT INTO space_event (space_id, ts, seq, dpu_id, delta, count_after)
            SELECT $1, u.ts, u.seq, u.dpu_id, u.delta, u.c
            FROM unnest($2::timestamptz[], $3::bigint[], $4::text[], $5::smallint[], $6::int[]) AS u(ts, seq, dpu_id, delta, c)
            ON CONFLICT DO NOTHING
            """;

    private static final String REMOVE_CONTRIBUTIONS = """
            WITH removed AS (
                DELETE FROM space_event WHERE dpu_id = ANY($1) AND ts >= $2 RETURNING space_id, ts
            )
            INSERT INTO refold (space_id, from_ts) SELECT space_id, min(ts) FROM removed GROUP BY space_id
            ON CONFLICT (space_id) DO UPDATE SET from_ts = LEAST(refold.from_ts, EXCLUDED.from_ts)
            """;
    /** Re-derives contributions from the raw log; events still queued are left to the reconciler. */
    private static final String ADD_CONTRIBUTIONS = QUEUED + """
            , added AS (
                INSERT INTO space_event (space_id, ts, seq, dpu_id, delta)
                SELECT l.space_id, e.ts, e.seq, e.dpu_id, e.direction * l.direction FROM ingest.event e
            """ + ATTRIBUTION + """
                WHERE e.dpu_id = ANY($1) AND e.ts >= $2 AND e.ts < $3
                  AND NOT EXISTS (SELECT 1 FROM still_queued q WHERE q.seq = e.seq)
                ON CONFLICT DO NOTHING
                RETURNING space_id, ts
            ), queued AS (
                INSERT INTO refold (space_id, from_ts) SELECT space_id, min(ts) FROM added GROUP BY space_id
                ON CONFLICT (space_id) DO UPDATE SET from_ts = LEAST(refold.from_ts, EXCLUDED.from_ts)
            )
            SELECT count(*) FROM added
            """;
    private static final String REMOVE_SPACE_WINDOW = """
            DELETE FROM space_event WHERE space_id = $1 AND ts >= $2 AND ts < $3
            """;
    private static final String ADD_SPACE_WINDOW = QUEUED + """
            INSERT INTO space_event (space_id, ts, seq, dpu_id, delta)
            SELECT l.space_id, e.ts, e.seq, e.dpu_id, e.direction * l.direction FROM ingest.event e
            """ + ATTRIBUTION + """
            WHERE l.space_id = $1 AND e.ts >= $2 AND e.ts < $3
              AND NOT EXISTS (SELECT 1 FROM still_queued q WHERE q.seq = e.seq)
            ON CONFLICT DO NOTHING
            """;
    private static final String REQUEST_REFOLD = """
            INSERT INTO refold (space_id, from_ts) VALUES ($1, $2)
            ON CONFLICT (space_id) DO UPDATE SET from_ts = LEAST(refold.from_ts, EXCLUDED.from_ts)
            """;
    private static final String TAKE_REFOLDS = "DELETE FROM refold RETURNING space_id, from_ts";

    private static final String RESETS = "SELECT space_id, timezone, daily_reset FROM space WHERE space_id = ANY($1)";
    /** The offset in force at a contribution (e): the last offset at or before its key; 0 when none. */
    private static final String OFFSET_AT = """
            coalesce((SELECT o.count_offset FROM space_offset o WHERE o.space_id = e.space_id
                      AND (o.ts, o.seq) <= (e.ts, e.seq) ORDER BY o.ts DESC, o.seq DESC LIMIT 1), 0)""";
    private static final String PRIOR = """
            SELECT e.ts, e.seq, e.count_after + """ + OFFSET_AT + """
             AS count_after FROM (SELECT space_id, ts, seq, count_after FROM space_event WHERE space_id = $1 AND ts < $2
                                  ORDER BY ts DESC, seq DESC LIMIT 1) e
            """;
    /** The offset in force before {@code ts} (the base of a fold from there), and every offset from there on. */
    private static final String OFFSETS_FROM = """
            SELECT NULL::timestamptz AS ts, NULL::bigint AS seq, coalesce((SELECT count_offset FROM space_offset
                WHERE space_id = $1 AND ts < $2 ORDER BY ts DESC, seq DESC LIMIT 1), 0) AS count_offset
            UNION ALL
            (SELECT ts, seq, count_offset FROM space_offset WHERE space_id = $1 AND ts >= $2 ORDER BY ts, seq)
            """;
    private static final String DELETE_OFFSETS = """
            DELETE FROM space_offset WHERE space_id = $1 AND ts >= $2
              AND ($3::timestamptz IS NULL OR (ts, seq) < ($3::timestamptz, $4::bigint))
            """;
    private static final String INSERT_OFFSETS = """
            INSERT INTO space_offset (space_id, ts, seq, count_offset)
            SELECT $1, u.ts, u.seq, u.o FROM unnest($2::timestamptz[], $3::bigint[], $4::int[]) AS u(ts, seq, o)
            ON CONFLICT (space_id, ts, seq) DO UPDATE SET count_offset = EXCLUDED.count_offset
            """;
    private static final String PAGE = """
            SELECT ts, seq, delta, count_after FROM space_event
            WHERE space_id = $1 AND ts >= $2 AND (ts, seq) > ($2, $3)
            ORDER BY ts, seq LIMIT $4
            """;
    private static final String SET_COUNTS = """
            UPDATE space_event s SET count_after = u.c
            FROM unnest($2::timestamptz[], $3::bigint[], $4::int[]) AS u(ts, seq, c)
            WHERE s.space_id = $1 AND s.ts = u.ts AND s.seq = u.seq
            """;

    /** The count as of T: the last contribution at or before T, one backward step on the (space_id, ts, seq) index. */
    private static final String AS_OF = """
            SELECT e.ts, e.count_after + """ + OFFSET_AT + """
             AS count_after FROM (SELECT space_id, ts, seq, count_after FROM space_event WHERE space_id = $1 AND ts <= $2
                                  ORDER BY ts DESC, seq DESC LIMIT 1) e
            """;
    /** A window's contributions and the offsets in force over it (kind 0: the one before the window; 1: offset; 2: row). */
    private static final String WINDOW = """
            SELECT 0 AS kind, NULL::timestamptz AS ts, NULL::bigint AS seq, NULL::smallint AS delta,
                   coalesce((SELECT count_offset FROM space_offset WHERE space_id = $1 AND ts < $2
                             ORDER BY ts DESC, seq DESC LIMIT 1), 0) AS value
            UNION ALL
            (SELECT 1, ts, seq, NULL, count_offset FROM space_offset WHERE space_id = $1 AND ts >= $2 AND ts < $3)
            UNION ALL
            (SELECT 2, ts, seq, delta, count_after FROM space_event WHERE space_id = $1 AND ts >= $2 AND ts < $3)
            ORDER BY ts NULLS FIRST, seq, kind
            """;
    private static final String CURRENT_ALL = """
            SELECT s.space_id, s.timezone, s.daily_reset, e.ts, e.count_after + """ + OFFSET_AT + """
             AS count_after FROM space s
            LEFT JOIN LATERAL (SELECT space_id, ts, seq, count_after FROM space_event WHERE space_id = s.space_id
                               AND ts <= $1 ORDER BY ts DESC, seq DESC LIMIT 1) e ON true
            """;
    private static final String OUTBOX_LAG =
            "SELECT coalesce(extract(epoch FROM now() - min(queued_at)), 0)::float8 FROM ingest.event_outbox";
    private static final String REALTIME_DIRTY = "SELECT dirty_since FROM ingest.realtime_state";
    private static final String REALTIME_CLEAN = """
            UPDATE ingest.realtime_state SET dirty_since = NULL, rebuilt_at = now()
            WHERE dirty_since IS NOT DISTINCT FROM $1
            """;

    /** A new contribution of an event to a space, not yet in the history. */
    public record Contribution(Instant ts, long seq, String dpuId, int delta) {
    }

    /** Events taken from the outbox, and their contributions by space, each list in key order. */
    public record Consumed(int events, Map<String, List<Contribution>> added) {
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

    public record Current(String spaceId, DailyReset reset, Instant ts, Integer count) {
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
     * Whether any append or refold is queued: one cheap statement, so that an idle poll costs no transaction, lock
     * or custom-planned take. {@code logExists} false: the refold queue only.
     */
    public Uni<Boolean> workQueued(SqlClient client, boolean logExists) {
        return client.preparedQuery(logExists ? QUEUED_WORK : QUEUED_REFOLDS).execute()
                .map(r -> r.iterator().next().getBoolean(0));
    }

    /** Takes about {@code limit} queued events; planned for the slice's size (see {@link CustomPlans}). */
    public Uni<Consumed> consume(SqlConnection conn, int limit) {
        return CustomPlans.forStatement(conn, () -> conn.preparedQuery(CONSUME).execute(Tuple.of(limit))).map(rows -> {
            int events = 0;
            Map<String, List<Contribution>> added = new HashMap<>();
            for (Row r : rows) {
                events = r.getInteger("n");
                String spaceId = r.getString("space_id");
                if (spaceId != null) {
                    added.computeIfAbsent(spaceId, k -> new ArrayList<>()).add(new Contribution(
                            instant(r.getOffsetDateTime("ts")), r.getLong("seq"), r.getString("dpu_id"), r.getInteger("delta")));
                }
            }
            return new Consumed(events, added);
        });
    }

    /** Inserts new contributions with their counts ({@code counts[i]} is the count_after of {@code added[i]}). */
    public Uni<Void> insert(SqlConnection conn, String spaceId, List<Contribution> added, List<Integer> counts) {
        if (added.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = added.size();
        java.time.OffsetDateTime[] times = new java.time.OffsetDateTime[n];
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
                .execute(Tuple.of(spaceId, times, seqs, dpus, deltas, counts.toArray(Integer[]::new)))
                .replaceWithVoid();
    }

    public Uni<Offsets> offsetsFrom(SqlClient client, String spaceId, Instant from) {
        return client.preparedQuery(OFFSETS_FROM).execute(Tuple.of(spaceId, utc(from))).map(rows -> {
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
    public Uni<Void> replaceOffsets(SqlConnection conn, String spaceId, Instant from, Instant untilTs, long untilSeq,
            List<Offset> offsets) {
        Uni<Void> delete = conn.preparedQuery(DELETE_OFFSETS)
                .execute(Tuple.of(spaceId, utc(from), utc(untilTs), untilSeq)).replaceWithVoid();
        if (offsets.isEmpty()) {
            return delete;
        }
        java.time.OffsetDateTime[] times = offsets.stream().map(o -> utc(o.ts())).toArray(java.time.OffsetDateTime[]::new);
        Long[] seqs = offsets.stream().map(Offset::seq).toArray(Long[]::new);
        Integer[] values = offsets.stream().map(Offset::value).toArray(Integer[]::new);
        return delete.chain(() -> conn.preparedQuery(INSERT_OFFSETS).execute(Tuple.of(spaceId, times, seqs, values)))
                .replaceWithVoid();
    }

    /** Re-attributes the events of these sensors from {@code from} on, queueing refolds of every space touched. */
    public Uni<Long> reattribute(SqlConnection conn, List<String> dpuIds, Instant from) {
        String[] dpus = dpuIds.toArray(String[]::new);
        return conn.preparedQuery(REMOVE_CONTRIBUTIONS).execute(Tuple.of(dpus, utc(from)))
                .chain(() -> conn.preparedQuery(ADD_CONTRIBUTIONS)
                        .execute(Tuple.of(dpus, utc(from), utc(Instant.parse("9999-12-31T00:00:00Z")))))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Re-derives one space's contributions in [from, to) from the raw log; returns how many there are now. */
    public Uni<Integer> rederiveWindow(SqlConnection conn, String spaceId, Instant from, Instant to) {
        Tuple window = Tuple.of(spaceId, utc(from), utc(to));
        return conn.preparedQuery(REMOVE_SPACE_WINDOW).execute(window)
                .chain(() -> conn.preparedQuery(ADD_SPACE_WINDOW).execute(window))
                .map(RowSet::rowCount);
    }

    public Uni<Void> requestRefold(SqlClient client, String spaceId, Instant from) {
        return client.preparedQuery(REQUEST_REFOLD).execute(Tuple.of(spaceId, utc(from))).replaceWithVoid();
    }

    public Uni<Map<String, Instant>> takeRefolds(SqlConnection conn) {
        return conn.query(TAKE_REFOLDS).execute().map(rows -> {
            Map<String, Instant> result = new HashMap<>();
            rows.forEach(r -> result.put(r.getString("space_id"), r.getOffsetDateTime("from_ts") == null
                    ? HistoryRepository.BEGINNING : r.getOffsetDateTime("from_ts").toInstant()));
            return result;
        });
    }

    /** Each space's daily reset (absent for spaces without one). */
    public Uni<Map<String, DailyReset>> resets(SqlClient client, Collection<String> spaceIds) {
        return client.preparedQuery(RESETS).execute(Tuple.of(spaceIds.toArray(String[]::new))).map(rows -> {
            Map<String, DailyReset> result = new HashMap<>();
            rows.forEach(r -> {
                DailyReset reset = reset(r);
                if (reset != null) {
                    result.put(r.getString("space_id"), reset);
                }
            });
            return result;
        });
    }

    public Uni<Step> prior(SqlClient client, String spaceId, Instant before) {
        return client.preparedQuery(PRIOR).execute(Tuple.of(spaceId, utc(before))).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row r = rows.iterator().next();
            return new Step(instant(r.getOffsetDateTime("ts")), r.getLong("seq"), 0, r.getInteger("count_after"));
        });
    }

    /** The next contributions after (ts, seq), in order. */
    public Uni<List<Step>> page(SqlClient client, String spaceId, Instant afterTs, long afterSeq, int limit) {
        return client.preparedQuery(PAGE).execute(Tuple.of(spaceId, utc(afterTs), afterSeq, limit)).map(rows -> {
            List<Step> steps = new ArrayList<>(rows.size());
            for (Row r : rows) {
                steps.add(new Step(instant(r.getOffsetDateTime("ts")), r.getLong("seq"), r.getShort("delta"),
                        r.getInteger("count_after")));
            }
            return steps;
        });
    }

    /** Stores recomputed counts; {@code changed} are the contributions (by ts and seq) and their new counts. */
    public Uni<Void> setCounts(SqlConnection conn, String spaceId, List<Step> changed, List<Integer> counts) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        java.time.OffsetDateTime[] times = changed.stream().map(s -> utc(s.ts())).toArray(java.time.OffsetDateTime[]::new);
        Long[] seqs = changed.stream().map(Step::seq).toArray(Long[]::new);
        return conn.preparedQuery(SET_COUNTS)
                .execute(Tuple.of(spaceId, times, seqs, counts.toArray(Integer[]::new)))
                .replaceWithVoid();
    }

    public Uni<Point> asOf(SqlClient client, String spaceId, Instant at) {
        return client.preparedQuery(AS_OF).execute(Tuple.of(spaceId, utc(at))).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row r = rows.iterator().next();
            return new Point(instant(r.getOffsetDateTime("ts")), r.getInteger("count_after"));
        });
    }

    /** The contributions in [from, to) in key order, each with its count (count_after plus the offset in force). */
    public Uni<List<Step>> window(SqlClient client, String spaceId, Instant from, Instant to) {
        return client.preparedQuery(WINDOW).execute(Tuple.of(spaceId, utc(from), utc(to))).map(rows -> {
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
            return steps;
        });
    }

    /** Every space's latest contribution at or before {@code at}, for rebuilding the real-time counters. */
    public Uni<List<Current>> currentAll(SqlClient client, Instant at) {
        return client.preparedQuery(CURRENT_ALL).execute(Tuple.of(utc(at))).map(rows -> {
            List<Current> result = new ArrayList<>(rows.size());
            for (Row r : rows) {
                result.add(new Current(r.getString("space_id"), reset(r), instant(r.getOffsetDateTime("ts")),
                        r.getInteger("count_after")));
            }
            return result;
        });
    }

    /** Seconds the oldest queued event has waited to be folded (0 when none waits). */
    public Uni<Double> outboxLag(SqlClient client) {
        return client.query(OUTBOX_LAG).execute().map(r -> r.iterator().next().getDouble(0));
    }

    /** When ingest-service last failed to update Redis (null: counters are complete). */
    public Uni<java.time.OffsetDateTime> realtimeDirtySince(SqlClient client) {
        return client.query(REALTIME_DIRTY).execute().map(r -> r.iterator().next().getOffsetDateTime(0));
    }

    /** Clears the mark, unless a new failure happened meanwhile. */
    public Uni<Boolean> markRealtimeClean(SqlClient client, java.time.OffsetDateTime dirtySince) {
        return client.preparedQuery(REALTIME_CLEAN).execute(Tuple.of(dirtySince)).map(r -> r.rowCount() > 0);
    }

    private static DailyReset reset(Row r) {
        LocalTime at = r.getLocalTime("daily_reset");
        return at == null ? null : new DailyReset(ZoneId.of(r.getString("timezone")), at);
    }
}
