package dev.footfall.count.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import dev.footfall.testing.TestDatabase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's take from the outbox (one row per append, through ingest-service's published take_appends): whole
 * appends, oldest first, until the slice holds at least the batch size, and every event of a taken append exactly
 * once. The take happens in one transaction that holds the history lock (so the running reconciler waits) and is
 * rolled back; the appends are queued by the admin (as ingest-service would) for sensors no placement knows, so the
 * reconciler folds nothing of them afterwards.
 */
@QuarkusTest
class OutboxTakeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** One append of {@code $2} events numbered from {@code $1}, for sensors no placement knows. */
    private static final String QUEUE_APPEND = """
            INSERT INTO ingest.event_outbox (tenant, events, seq, dpu_id, ts, direction)
            SELECT 'default', count(*), array_agg(g), array_agg('take-dpu-' || (g % 7)),
                   array_agg(timestamptz '2030-01-01' + g * interval '1 second'), array_agg(1::smallint)
            FROM generate_series(?::bigint, ?::bigint + ? - 1) g
            """;
    private static final String QUEUED_SEQS = "SELECT array_agg(seq ORDER BY seq) FROM ingest.queued_event";

    @Inject
    Pool pool;

    @Inject
    HistoryRepository history;

    @Test
    void wholeAppendsAreTakenOldestFirstUntilTheSliceIsFull() {
        SqlConnection conn = pool.getConnection().await().atMost(WAIT);
        Transaction tx = conn.begin().await().atMost(WAIT);
        try {
            conn.query("SELECT set_config('footfall.scope', 'system', true)").execute().await().atMost(WAIT);
            history.lock(conn).await().atMost(WAIT);
            int earlier;
            do { // whatever an earlier test left queued goes first (and comes back with the rollback)
                earlier = history.consume(conn, 100_000).await().atMost(WAIT).events();
            } while (earlier > 0);
            queue(9_000_000_000L, 2_000);
            queue(9_000_100_000L, 2_000);
            queue(9_000_200_000L, 1_500);

            assertEquals(4_000, history.consume(conn, 3_000).await().atMost(WAIT).events(),
                    "the first two appends: the first alone (2,000 events) is short of 3,000");
            assertEquals(List.of(9_000_200_000L, 9_000_201_499L), firstAndLastQueued(conn));
            assertEquals(1_500, history.consume(conn, 3_000).await().atMost(WAIT).events());
            assertEquals(0, history.consume(conn, 3_000).await().atMost(WAIT).events());
            assertEquals("auto", planCacheMode(conn),
                    "only the take is planned afresh; the fold's statements after it may use their cached plans");
        } finally {
            tx.rollback().await().atMost(WAIT);
            conn.close().await().atMost(WAIT);
        }
    }

    private static void queue(long firstSeq, int events) {
        try (Connection c = TestDatabase.admin(); PreparedStatement ps = c.prepareStatement(QUEUE_APPEND)) {
            ps.setLong(1, firstSeq);
            ps.setLong(2, firstSeq);
            ps.setInt(3, events);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String planCacheMode(SqlConnection conn) {
        return conn.query("SHOW plan_cache_mode").execute().await().atMost(WAIT).iterator().next().getString(0);
    }

    private static List<Long> firstAndLastQueued(SqlConnection conn) {
        Long[] seqs = conn.query(QUEUED_SEQS).execute().await().atMost(WAIT).iterator().next().getArrayOfLongs(0);
        return List.of(seqs[0], seqs[seqs.length - 1]);
    }
}
