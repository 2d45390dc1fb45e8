package dev.footfall.common.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.function.Supplier;

/**
 * Plans made for the tables as they are at each run. The reactive clients cache prepared statements per connection,
 * and after five runs PostgreSQL may switch a statement to a generic plan and keep it. For a statement whose best plan
 * depends on how many rows a table holds at the moment (a queue that is empty most of the time and long after a burst,
 * a table that starts empty), the plan kept from the small table can be a sequential scan that tests every row against
 * a whole array: quadratic once the table is large. Run this first in such a statement's transaction.
 */
public final class CustomPlans {

    private static final String FOR_THIS_TRANSACTION = "SET LOCAL plan_cache_mode = force_custom_plan";
    private static final String CACHED_AGAIN = "SET LOCAL plan_cache_mode TO DEFAULT";

    private CustomPlans() {
    }

    /** Every statement of the current transaction is planned for its own parameters and the tables' current size. */
    public static Uni<Void> forThisTransaction(SqlClient conn) {
        return conn.query(FOR_THIS_TRANSACTION).execute().replaceWithVoid();
    }

    /**
     * Only {@code statement} is planned for its own parameters; the transaction's later statements use cached plans
     * again. For a transaction that runs many small statements after the one that needs it: planning each of them
     * every time cost the reconciler a tenth of a core under a stream of single events.
     */
    public static <T> Uni<T> forStatement(SqlClient conn, Supplier<Uni<T>> statement) {
        return forThisTransaction(conn).chain(statement::get).call(() -> conn.query(CACHED_AGAIN).execute());
    }
}
