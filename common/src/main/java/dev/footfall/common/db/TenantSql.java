package dev.footfall.common.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Every statement on tenant data runs in a transaction that first sets {@code footfall.tenant} (SET LOCAL), so the
 * row-level security policies of the tenant tables admit that tenant's rows only, whatever the statement says.
 * Scheduled jobs that work across tenants (folding, refreshing, curating) run in the system scope instead
 * ({@code footfall.scope = 'system'}), which no request path uses. Outside both, the policies admit no row at all.
 *
 * <p>BEGIN, the setting and the first statement are sent together (the PostgreSQL client pipelines commands on a
 * connection), so the scope costs no extra round trip: a one-statement read is one exchange, as it was without it.
 */
@ApplicationScoped
public class TenantSql {

    /** The setting the policies compare each row's tenant with; {@code set_config(..., true)} is SET LOCAL. */
    public static final String TENANT_SETTING = "footfall.tenant";

    private static final String SET_TENANT = "SELECT set_config('" + TENANT_SETTING + "', $1, true)";
    private static final String SET_SYSTEM = "SELECT set_config('footfall.scope', 'system', true)";
    private static final Tuple NO_PARAMS = Tuple.tuple();

    private final Pool pool;

    public TenantSql(Pool pool) {
        this.pool = pool;
    }

    /** One statement as {@code tenant}, in a transaction of its own. */
    public Uni<RowSet<Row>> query(String tenant, String sql, Tuple params) {
        return pool.withConnection(conn -> pipelined(conn, SET_TENANT, Tuple.of(tenant), sql, params));
    }

    /** Several statements as {@code tenant}, in one transaction: committed when {@code work} succeeds. */
    public <T> Uni<T> transaction(String tenant, Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(conn -> transaction(conn, SET_TENANT, Tuple.of(tenant), work));
    }

    /** One statement across tenants, for scheduled jobs only. */
    public Uni<RowSet<Row>> systemQuery(String sql, Tuple params) {
        return pool.withConnection(conn -> pipelined(conn, SET_SYSTEM, NO_PARAMS, sql, params));
    }

    /** A transaction across tenants, for scheduled jobs only. */
    public <T> Uni<T> systemTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(conn -> transaction(conn, SET_SYSTEM, NO_PARAMS, work));
    }

    /**
     * BEGIN, scope, statement and COMMIT in one flight. When the statement fails PostgreSQL turns the COMMIT into a
     * ROLLBACK, so the connection goes back to the pool outside any transaction either way.
     */
    private static Uni<RowSet<Row>> pipelined(SqlConnection conn, String scope, Tuple scopeParams, String sql,
            Tuple params) {
        Uni<Outcome> begin = Outcome.of(conn.query("BEGIN").execute());
        Uni<Outcome> set = Outcome.of(conn.preparedQuery(scope).execute(scopeParams));
        Uni<Outcome> statement = Outcome.of(conn.preparedQuery(sql).execute(params));
        Uni<Outcome> commit = Outcome.of(conn.query("COMMIT").execute());
        return Uni.combine().all().unis(begin, set, statement, commit).with((b, s, st, c) -> {
            Throwable failure = firstFailure(st, s, b, c);
            if (failure != null) {
                throw failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
            }
            return st.rows();
        });
    }

    private static <T> Uni<T> transaction(SqlConnection conn, String scope, Tuple scopeParams,
            Function<SqlConnection, Uni<T>> work) {
        Uni<Outcome> begin = Outcome.of(conn.query("BEGIN").execute());
        Uni<Outcome> set = Outcome.of(conn.preparedQuery(scope).execute(scopeParams));
        return Uni.combine().all().unis(begin, set).with((b, s) -> {
                    Throwable failure = firstFailure(s, b);
                    if (failure != null) {
                        throw failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
                    }
                    return conn;
                })
                .chain(c -> work.apply(c))
                .call(() -> conn.query("COMMIT").execute())
                .onFailure().call(() -> conn.query("ROLLBACK").execute().onFailure().recoverWithNull());
    }

    private static Throwable firstFailure(Outcome... outcomes) {
        for (Outcome o : outcomes) {
            if (o.failure() != null) {
                return o.failure();
            }
        }
        return null;
    }

    /** A command's result or failure, so that every command of a flight is waited for before one is reported. */
    private record Outcome(RowSet<Row> rows, Throwable failure) {
        static Uni<Outcome> of(Uni<RowSet<Row>> command) {
            return command.onItemOrFailure().transform(Outcome::new);
        }
    }
}
