package dev.footfall.count.repository;

import static dev.footfall.count.repository.TopologyRepository.instant;
import static dev.footfall.count.repository.TopologyRepository.utc;

import dev.footfall.count.model.Replay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class ReplayRepository {

    private static final String COLUMNS = "replay_id, space_id, from_ts, to_ts, status, events_total, events_done, error, "
            + "created_at, finished_at";
    private static final String CREATE = "INSERT INTO replay (space_id, from_ts, to_ts) VALUES ($1, $2, $3) RETURNING "
            + COLUMNS;
    private static final String FIND = "SELECT " + COLUMNS + " FROM replay WHERE replay_id = $1 AND space_id = $2";
    /** Claims the oldest queued replay; SKIP LOCKED so that replicas never run the same one. */
    private static final String CLAIM = """
            UPDATE replay SET status = 'running' WHERE replay_id = (
                SELECT replay_id FROM replay WHERE status = 'queued' ORDER BY replay_id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING\s""" + COLUMNS;
    private static final String TOTAL = "SELECT count(*) FROM ingest.event e " + HistoryRepository.ATTRIBUTION
            + " WHERE l.space_id = $1 AND e.ts >= $2 AND e.ts < $3";
    private static final String PROGRESS = "UPDATE replay SET events_total = $2, events_done = $3 WHERE replay_id = $1";
    private static final String FINISH = """
            UPDATE replay SET status = $2, error = $3, finished_at = now() WHERE replay_id = $1
            """;

    private final Pool pool;

    ReplayRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Replay> create(String spaceId, Instant from, Instant to) {
        return pool.preparedQuery(CREATE).execute(Tuple.of(spaceId, utc(from), utc(to))).map(ReplayRepository::first);
    }

    public Uni<Replay> find(String spaceId, long replayId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(replayId, spaceId)).map(ReplayRepository::first);
    }

    public Uni<Replay> claim() {
        return pool.query(CLAIM).execute().map(ReplayRepository::first);
    }

    public Uni<Long> total(String spaceId, Instant from, Instant to) {
        return pool.preparedQuery(TOTAL).execute(Tuple.of(spaceId, utc(from), utc(to)))
                .map(r -> r.iterator().next().getLong(0));
    }

    public Uni<Void> progress(long replayId, long total, long done) {
        return pool.preparedQuery(PROGRESS).execute(Tuple.of(replayId, total, done)).replaceWithVoid();
    }

    public Uni<Void> finish(long replayId, String status, String error) {
        return pool.preparedQuery(FINISH).execute(Tuple.of(replayId, status, error)).replaceWithVoid();
    }

    private static Replay first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row r = rows.iterator().next();
        return new Replay(r.getLong("replay_id"), r.getString("space_id"), instant(r.getOffsetDateTime("from_ts")),
                instant(r.getOffsetDateTime("to_ts")), r.getString("status"), r.getLong("events_total"),
                r.getLong("events_done"), r.getString("error"), instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("finished_at")));
    }
}
