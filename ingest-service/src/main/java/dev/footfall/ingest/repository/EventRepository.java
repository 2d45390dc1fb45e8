package dev.footfall.ingest.repository;

import dev.footfall.ingest.model.LoggedEvent;
import dev.footfall.ingest.model.SensorEvent;
import dev.footfall.ingest.model.StoredEvent;
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
     * Appends a batch in one statement: claim the keys never seen before, log those events, and queue them for
     * count-service. Keys claimed by a concurrent request wait for it and then count as duplicates.
     */
    private static final String APPEND = """
            WITH input AS (
                SELECT dedup_key COLLATE "C" AS dedup_key, event_id, dpu_id, ts, direction, ord
                FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::smallint[])
                    WITH ORDINALITY AS i(dedup_key, event_id, dpu_id, ts, direction, ord)
            ), fresh AS (
                INSERT INTO event_key (dedup_key) SELECT dedup_key FROM input
                ON CONFLICT DO NOTHING RETURNING dedup_key
            ), logged AS (
                INSERT INTO event (seq, event_id, dpu_id, ts, direction, source, tenant, request_id)
                SELECT nextval('event_seq'), i.event_id, i.dpu_id, i.ts, i.direction, $6, $7, $8
                FROM (SELECT input.* FROM input JOIN fresh USING (dedup_key) ORDER BY input.ord) i
                RETURNING seq, dpu_id, ts, direction
            ), queued AS (
                INSERT INTO event_outbox (seq, dpu_id, ts, direction) SELECT seq, dpu_id, ts, direction FROM logged
            )
            SELECT seq, dpu_id, ts, direction FROM logged ORDER BY seq
            """;
    private static final String NOTIFY = "SELECT pg_notify('footfall_events', '')";
    private static final String MARK_DIRTY = """
            UPDATE realtime_state SET dirty_since = coalesce(dirty_since, now()) WHERE id
            """;
    private static final String FIND = """
            SELECT seq, event_id, dpu_id, ts, direction, received_at, source FROM event
            WHERE dpu_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts, seq LIMIT $4
            """;

    private final Pool pool;

    EventRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the events whose keys are new; returns them with their sequence numbers. Durable when it completes. */
    public Uni<List<StoredEvent>> append(List<SensorEvent> events, String source, String tenant, String requestId) {
        int n = events.size();
        String[] keys = new String[n];
        String[] ids = new String[n];
        String[] dpus = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Short[] directions = new Short[n];
        for (int i = 0; i < n; i++) {
            SensorEvent e = events.get(i);
            keys[i] = e.dedupKey();
            ids[i] = e.id();
            dpus[i] = e.dpuId();
            times[i] = e.timestamp().atOffset(ZoneOffset.UTC);
            directions[i] = (short) e.direction();
        }
        Tuple params = Tuple.tuple(List.of(keys, ids, dpus, times, directions, source, tenant))
                .addValue(requestId);
        // One statement, so no explicit transaction: it commits as a whole or not at all.
        return pool.preparedQuery(APPEND).execute(params)
                .map(rows -> {
                    List<StoredEvent> stored = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        stored.add(new StoredEvent(row.getLong(0), row.getString(1),
                                row.getOffsetDateTime(2).toInstant(), row.getShort(3)));
                    }
                    return stored;
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

    /** A sensor's logged events in [from, to), oldest first. */
    public Uni<List<LoggedEvent>> find(String dpuId, Instant from, Instant to, int limit) {
        return pool.preparedQuery(FIND).execute(Tuple.of(dpuId, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit))
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
