package dev.footfall.ingest.repository;

import dev.footfall.common.db.TenantSql;
import dev.footfall.ingest.model.LoggedEvent;
import dev.footfall.ingest.model.SensorEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class EventRepository {

    /**
     * Appends a group of events in one statement: claim the keys never seen before, number those events in input
     * order, log them and queue them for count-service (one outbox row for the whole append). Keys claimed by a
     * concurrent statement wait for it and then count as duplicates. Returns (input position, sequence number) of each
     * event stored. The input must not repeat a key (the caller removes repeats), so each fresh key joins exactly one
     * input row.
     */
    private static final String APPEND = """
            WITH input AS (
                SELECT dedup_key COLLATE "C" AS dedup_key, event_id, dpu_id, ts, direction, source, request_id, ord
                FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::smallint[],
                            $6::varchar[], $7::varchar[])
                    WITH ORDINALITY AS i(dedup_key, event_id, dpu_id, ts, direction, source, request_id, ord)
            ), fresh AS (
                INSERT INTO event_key (tenant, dedup_key) SELECT $8::varchar, dedup_key FROM input
                ON CONFLICT DO NOTHING RETURNING dedup_key
            ), numbered AS MATERIALIZED (
                SELECT nextval('event_seq') AS seq, i.*
                FROM (SELECT input.* FROM input JOIN fresh USING (dedup_key) ORDER BY input.ord) i
            ), logged AS (
                INSERT INTO event (seq, event_id, dpu_id, ts, direction, source, tenant, request_id)
                SELECT seq, event_id, dpu_id, ts, direction, source, $8::varchar, request_id FROM numbered
            ), queued AS (
                INSERT INTO event_outbox (tenant, events, seq, dpu_id, ts, direction)
                SELECT $8::varchar, count(*), array_agg(seq), array_agg(dpu_id), array_agg(ts), array_agg(direction)
                FROM numbered HAVING count(*) > 0
            )
            SELECT ord, seq FROM numbered
            """;
    private static final String NOTIFY = "SELECT pg_notify('footfall_events', '')";
    private static final String MARK_DIRTY = """
            UPDATE realtime_state SET dirty_since = coalesce(dirty_since, now()) WHERE id
            """;
    private static final String FIND = """
            SELECT seq, event_id, dpu_id, ts, direction, received_at, source FROM event
            WHERE tenant = $1 AND dpu_id = $2 AND ts >= $3 AND ts < $4 ORDER BY ts, seq LIMIT $5
            """;

    private final Pool pool;
    private final TenantSql tenantSql;

    EventRepository(Pool pool, TenantSql tenantSql) {
        this.pool = pool;
        this.tenantSql = tenantSql;
    }

    /** One event to append, with where it came from. */
    public record Appended(SensorEvent event, String source, String requestId) {
    }

    /**
     * Stores a tenant's events whose keys are new, in one statement (in the tenant's transaction: it commits as a
     * whole or not at all). Durable when it completes. Returns the sequence number given to each input position, 0 where the
     * key had been stored before.
     */
    public Uni<long[]> append(String tenant, List<Appended> events) {
        int n = events.size();
        String[] keys = new String[n];
        String[] ids = new String[n];
        String[] dpus = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Short[] directions = new Short[n];
        String[] sources = new String[n];
        String[] requestIds = new String[n];
        for (int i = 0; i < n; i++) {
            Appended a = events.get(i);
            SensorEvent e = a.event();
            keys[i] = e.dedupKey();
            ids[i] = e.id();
            dpus[i] = e.dpuId();
            times[i] = e.timestamp().atOffset(ZoneOffset.UTC);
            directions[i] = (short) e.direction();
            sources[i] = a.source();
            requestIds[i] = a.requestId();
        }
        Tuple params = Tuple.tuple(List.of(keys, ids, dpus, times, directions, sources, requestIds, tenant));
        return tenantSql.query(tenant, APPEND, params).map(rows -> {
            long[] seqs = new long[n];
            for (Row row : rows) {
                seqs[(int) row.getLong(0).longValue() - 1] = row.getLong(1);
            }
            return seqs;
        });
    }

    /**
     * Wakes count-service's reconciler. Sent on its own, outside the append: PostgreSQL commits transactions that
     * NOTIFY one at a time, which would serialize every append.
     */
    public Uni<Void> notifyAppended() {
        return pool.query(NOTIFY).execute().replaceWithVoid();
    }

    /** Records that some accepted events could not be applied to Redis, so the counters need a rebuild. */
    public Uni<Void> markRealtimeDirty() {
        return pool.query(MARK_DIRTY).execute().replaceWithVoid();
    }

    /** A tenant's sensor's logged events in [from, to), oldest first. */
    public Uni<List<LoggedEvent>> find(String tenant, String dpuId, Instant from, Instant to, int limit) {
        Tuple params = Tuple.of(tenant, dpuId, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit);
        return tenantSql.query(tenant, FIND, params)
                .map(rows -> {
                    List<LoggedEvent> found = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        found.add(new LoggedEvent(r.getLong(0), r.getString(1), r.getString(2),
                                r.getOffsetDateTime(3).toInstant(), r.getShort(4), r.getOffsetDateTime(5).toInstant(),
                                r.getString(6)));
                    }
                    return found;
                });
    }
}
