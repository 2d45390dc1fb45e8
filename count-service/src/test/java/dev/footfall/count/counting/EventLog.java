package dev.footfall.count.counting;

import dev.footfall.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;


/**
 * Plays ingest-service in count-service's tests: appends events to the event log and outbox the way ingest-service's
 * append does (one key per event, stored once), then waits until count-service has folded everything.
 */
final class EventLog {

    /** An event as a sensor sends it; arrival order is the order of append calls. */
    record Event(String dpuId, Instant ts, int direction) {
    }

    private static final String APPEND = """
            WITH fresh AS (
                INSERT INTO ingest.event_key (tenant, dedup_key) VALUES (?, ?) ON CONFLICT DO NOTHING
                RETURNING tenant, dedup_key
            ), logged AS (
                INSERT INTO ingest.event (seq, dpu_id, ts, direction, source, tenant)
                SELECT nextval('ingest.event_seq'), ?, ?, ?, 'test', tenant FROM fresh
                RETURNING tenant, seq, dpu_id, ts, direction
            )
            INSERT INTO ingest.event_outbox (tenant, events, seq, dpu_id, ts, direction)
            SELECT tenant, 1, ARRAY[seq], ARRAY[dpu_id], ARRAY[ts], ARRAY[direction] FROM logged
            """;
    private static final String PENDING = """
            SELECT (SELECT count(*) FROM ingest.event_outbox) + (SELECT count(*) FROM count.refold)
            """;

    private EventLog() {
    }

    /** As the admin, who writes ingest-service's tables (the service's own role could not). */
    static Connection connect() {
        return TestDatabase.admin();
    }

    /** Appends a batch of the default tenant in one transaction and notifies count-service; returns how many were new. */
    static int append(List<Event> events) {
        return append("default", events);
    }

    /** Appends a tenant's batch in one transaction and notifies count-service; returns how many were new. */
    static int append(String tenant, List<Event> events) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            int stored = 0;
            try (PreparedStatement ps = c.prepareStatement(APPEND)) {
                for (Event e : events) {
                    long micros = e.ts().getEpochSecond() * 1_000_000L + e.ts().getNano() / 1000;
                    ps.setString(1, tenant);
                    ps.setString(2, "k:" + e.dpuId() + "|" + micros + "|" + e.direction());
                    ps.setString(3, e.dpuId());
                    ps.setTimestamp(4, Timestamp.from(e.ts()));
                    ps.setShort(5, (short) e.direction());
                    stored += ps.executeUpdate();
                }
            }
            c.createStatement().execute("NOTIFY footfall_events");
            c.commit();
            return stored;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void execute(String sql) {
        try (Connection c = connect()) {
            c.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every appended event and every queued refold is folded into the history. */
    static void awaitReconciled() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        try (Connection c = connect()) {
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet rs = c.createStatement().executeQuery(PENDING)) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        // The last transaction may still be committing its fold: the outbox delete commits with it.
                        return;
                    }
                }
                Thread.sleep(50);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("count-service did not reconcile within 30 s");
    }
}
