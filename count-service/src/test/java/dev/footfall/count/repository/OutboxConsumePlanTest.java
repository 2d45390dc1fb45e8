package dev.footfall.count.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's take from the outbox must not turn into a sequential scan when the queue is long. The service's
 * connections cache prepared statements, and after five runs PostgreSQL may keep a generic plan made while the outbox
 * was nearly empty: a sequential scan that tests every row against the whole array of row addresses, which made one
 * slice of 50,000 events from an 800,000-event backlog take 90 s. Everything here happens in one transaction that is
 * rolled back, so the running reconciler never sees these rows.
 */
@QuarkusTest
class OutboxConsumePlanTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OUTBOX_SEQ_SCANS = """
            SELECT coalesce((SELECT seq_scan FROM pg_stat_xact_user_tables
                             WHERE relid = 'ingest.event_outbox'::regclass), 0)
            """;
    private static final String QUEUE = """
            INSERT INTO ingest.event_outbox (seq, dpu_id, ts, direction)
            SELECT 9000000000 + g, 'plan-dpu-' || (g % 100), timestamptz '2030-01-01' + g * interval '1 second', 1
            FROM generate_series(1, $1) g
            """;

    @Inject
    Pool pool;

    @Inject
    HistoryRepository history;

    @Test
    void aLongQueueIsTakenByRowAddressEvenAfterManyRunsOnAShortOne() {
        SqlConnection conn = pool.getConnection().await().atMost(WAIT);
        Transaction tx = conn.begin().await().atMost(WAIT);
        try {
            for (int i = 0; i < 8; i++) {
                history.consume(conn, 50_000).await().atMost(WAIT); // a short (here: empty) queue, again and again
            }
            int queued = 30_000;
            int slice = 5_000; // a slice of a long queue, as when count-service catches up after a burst
            conn.preparedQuery(QUEUE).execute(Tuple.of(queued)).await().atMost(WAIT);
            long scansBefore = seqScans(conn);

            HistoryRepository.Consumed consumed = history.consume(conn, slice).await().atMost(WAIT);

            assertEquals(slice, consumed.events());
            assertEquals(scansBefore, seqScans(conn), "sequential scans of ingest.event_outbox while taking the queue");
        } finally {
            tx.rollback().await().atMost(WAIT);
            conn.close().await().atMost(WAIT);
        }
    }

    private static long seqScans(SqlConnection conn) {
        return conn.query(OUTBOX_SEQ_SCANS).execute().await().atMost(WAIT).iterator().next().getLong(0);
    }
}
