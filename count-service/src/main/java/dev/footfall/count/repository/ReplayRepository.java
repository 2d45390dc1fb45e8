package dev.footfall.count.repository;

import static dev.footfall.count.repository.TopologyRepository.instant;
import static dev.footfall.count.repository.TopologyRepository.utc;

import dev.footfall.count.model.Replay;
import io.smallrye.mutiny.Uni;
import dev.footfall.common.db.TenantSql;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class ReplayRepository {

    private static final String COLUMNS = "replay_id, space_id, from_ts, to_ts, status, events_total, events_done, error, "
            + "created_at, finished_at";
    private static final String CREATE = """
            INSERT INTO replay (tenant, space_id, from_ts, to_ts) VALUES ($1, $2, $3, $4) RETURNING\s""" + COLUMNS;
    private static final String FIND =
            "SELECT " + COLUMNS + " FROM replay WHERE tenant = $1 AND replay_id = $2 AND space_id = $3";
    /** Claims the oldest queued replay of any tenant; SKIP LOCKED so that replicas never run the same one. */
    private static final String CLAIM = """
            UPDATE replay SET status = 'running' WHERE (tenant, replay_id) = (
                SELECT tenant, replay_id FROM replay WHERE status = 'queued' ORDER BY replay_id LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING tenant,\s""" + COLUMNS;
    private static final String TOTAL = "SELECT count(*) FROM ingest.logged_event e " + HistoryRepository.ATTRIBUTION
            + " WHERE e.tenant = $1 AND l.space_id = $2 AND e.ts >= $3 AND e.ts < $4";
    private static final String PROGRESS = """
            UPDATE replay SET events_total = $3, events_done = $4 WHERE tenant = $1 AND replay_id = $2
            """;
    private static final String FINISH = """
            UPDATE replay SET status = $3, error = $4, finished_at = now() WHERE tenant = $1 AND replay_id = $2
            """;

    private final TenantSql tenantSql;

    ReplayRepository(TenantSql tenantSql) {
        this.tenantSql = tenantSql;
    }

    /** A replay claimed to run, with its tenant. */
    public record Claimed(String tenant, Replay replay) {
    }

    public Uni<Replay> create(String tenant, String spaceId, Instant from, Instant to) {
        return tenantSql.query(tenant, CREATE, Tuple.of(tenant, spaceId, utc(from), utc(to)))
                .map(ReplayRepository::first);
    }

    public Uni<Replay> find(String tenant, String spaceId, long replayId) {
        return tenantSql.query(tenant, FIND, Tuple.of(tenant, replayId, spaceId)).map(ReplayRepository::first);
    }

    /** The oldest queued replay of any tenant (system scope), marked running; null when none is queued. */
    public Uni<Claimed> claim() {
        return tenantSql.systemQuery(CLAIM, Tuple.tuple())
                .map(rows -> rows.size() == 0 ? null : new Claimed(rows.iterator().next().getString("tenant"), first(rows)));
    }

    public Uni<Long> total(String tenant, String spaceId, Instant from, Instant to) {
        return tenantSql.query(tenant, TOTAL, Tuple.of(tenant, spaceId, utc(from), utc(to)))
                .map(r -> r.iterator().next().getLong(0));
    }

    public Uni<Void> progress(String tenant, long replayId, long total, long done) {
        return tenantSql.query(tenant, PROGRESS, Tuple.of(tenant, replayId, total, done)).replaceWithVoid();
    }

    public Uni<Void> finish(String tenant, long replayId, String status, String error) {
        return tenantSql.query(tenant, FINISH, Tuple.of(tenant, replayId, status, error)).replaceWithVoid();
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
