package dev.footfall.common.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Session-level PostgreSQL advisory locks: one replica at a time runs a job that holds the same key. */
public final class AdvisoryLocks {

    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock($1)";
    private static final String UNLOCK = "SELECT pg_advisory_unlock($1)";

    private AdvisoryLocks() {
    }

    /** Takes the lock on this connection if free; false when another session holds it. */
    public static Uni<Boolean> tryLock(SqlClient conn, long key) {
        return conn.preparedQuery(TRY_LOCK).execute(Tuple.of(key)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    public static Uni<Void> unlock(SqlClient conn, long key) {
        return conn.preparedQuery(UNLOCK).execute(Tuple.of(key)).replaceWithVoid();
    }
}
