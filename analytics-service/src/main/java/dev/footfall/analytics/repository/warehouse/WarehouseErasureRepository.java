package dev.footfall.analytics.repository.warehouse;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GDPR erasure of one member of a tenant from every layer, and the retention of a tenant's RSVP detail. Erasure first
 * marks what gold must recompute (wh_dirty_*, the transaction's own work tables), so that the caller can bring the
 * aggregates in line in the same transaction. Both run in the tenant's transaction.
 */
@ApplicationScoped
public class WarehouseErasureRepository {

    private record Statement(String name, String sql) {
    }

    // $1 the tenant, $2 the member id (natural, the tenant's). Marks first (they read the rows about to go), then
    // deletes silver, the key, bronze.
    private static final List<Statement> ERASE = List.of(
            new Statement("dirty events", """
                    INSERT INTO wh_dirty_event (event_sk)
                    SELECT DISTINCT r.event_sk
                    FROM wh_keymap_member k JOIN wh_silver_rsvp r ON r.tenant = $1 AND r.member_sk = k.member_sk
                    WHERE k.tenant = $1 AND k.member_id = $2 ON CONFLICT DO NOTHING"""),
            new Statement("dirty months", """
                    INSERT INTO wh_dirty_month (month)
                    SELECT DISTINCT date_trunc('month', r.valid_from)::date
                    FROM wh_keymap_member k JOIN wh_silver_rsvp r ON r.tenant = $1 AND r.member_sk = k.member_sk
                    WHERE k.tenant = $1 AND k.member_id = $2 ON CONFLICT DO NOTHING"""),
            new Statement("dirty groups", """
                    INSERT INTO wh_dirty_group (group_sk)
                    SELECT ms.group_sk
                    FROM wh_keymap_member k
                    JOIN wh_silver_membership ms ON ms.tenant = $1 AND ms.member_sk = k.member_sk
                    WHERE k.tenant = $1 AND k.member_id = $2 ON CONFLICT DO NOTHING"""),
            new Statement("wh_silver_rsvp", """
                    DELETE FROM wh_silver_rsvp r USING wh_keymap_member k
                    WHERE k.tenant = $1 AND k.member_id = $2 AND r.tenant = $1 AND r.member_sk = k.member_sk"""),
            new Statement("wh_silver_membership", """
                    DELETE FROM wh_silver_membership ms USING wh_keymap_member k
                    WHERE k.tenant = $1 AND k.member_id = $2 AND ms.tenant = $1 AND ms.member_sk = k.member_sk"""),
            new Statement("wh_silver_member", """
                    DELETE FROM wh_silver_member m USING wh_keymap_member k
                    WHERE k.tenant = $1 AND k.member_id = $2 AND m.tenant = $1 AND m.member_sk = k.member_sk"""),
            new Statement("wh_keymap_member", "DELETE FROM wh_keymap_member WHERE tenant = $1 AND member_id = $2"),
            new Statement("wh_bronze_rsvps", "DELETE FROM wh_bronze_rsvps WHERE tenant = $1 AND member_id = $2"),
            new Statement("wh_bronze_memberships",
                    "DELETE FROM wh_bronze_memberships WHERE tenant = $1 AND member_id = $2"),
            new Statement("wh_bronze_members", "DELETE FROM wh_bronze_members WHERE tenant = $1 AND id = $2"),
            new Statement("wh_erased_member", """
                    INSERT INTO wh_erased_member (tenant, member_hash)
                    VALUES ($1, sha256(convert_to('member:' || $2::bigint, 'UTF8')))
                    ON CONFLICT DO NOTHING"""));

    // $1 the tenant, $2 the cutoff: RSVP detail (every version) of the tenant's events that started before it. Gold
    // keeps their aggregates.
    private static final List<Statement> RETAIN = List.of(
            new Statement("wh_silver_rsvp", """
                    DELETE FROM wh_silver_rsvp r USING wh_silver_event e
                    WHERE e.tenant = $1 AND e.starts_at < $2 AND r.tenant = $1 AND r.event_sk = e.event_sk"""),
            new Statement("wh_bronze_rsvps", """
                    DELETE FROM wh_bronze_rsvps r USING wh_keymap_event k, wh_silver_event e
                    WHERE e.tenant = $1 AND e.starts_at < $2 AND k.tenant = $1 AND k.event_sk = e.event_sk
                      AND r.tenant = $1 AND r.event_id = k.event_id"""));

    /** Erases the member; returns rows removed per table. */
    public Uni<Map<String, Long>> erase(SqlClient tx, String tenant, long memberId) {
        return execute(tx, ERASE, Tuple.of(tenant, memberId));
    }

    /** Removes RSVP detail of events that started before the cutoff; returns rows removed per table. */
    public Uni<Map<String, Long>> retain(SqlClient tx, String tenant, OffsetDateTime cutoff) {
        return execute(tx, RETAIN, Tuple.of(tenant, cutoff));
    }

    private static Uni<Map<String, Long>> execute(SqlClient tx, List<Statement> statements, Tuple args) {
        Map<String, Long> rows = new LinkedHashMap<>();
        return Multi.createFrom().iterable(statements)
                .onItem().transformToUniAndConcatenate(s -> tx.preparedQuery(s.sql()).execute(args)
                        .invoke(r -> {
                            if (!s.name().startsWith("dirty")) {
                                rows.put(s.name(), (long) r.rowCount());
                            }
                        }))
                .collect().last().map(x -> rows);
    }
}
