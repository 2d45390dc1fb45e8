package dev.footfall.analytics.repository.warehouse;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One source table as bronze copies it: key and data columns (the tenant comes before the keys), the change timestamp
 * the watermark follows, and the column naming a member (for erasure). Every SQL text built here comes from these
 * constants only.
 */
enum BronzeTable {
    GROUPS("groups", List.of("id"), List.of("name", "city", "country_code", "created_at", "topics", "updated_at"),
            "updated_at", null),
    MEMBERS("members", List.of("id"),
            List.of("name", "email", "city", "country_code", "birth_date", "joined_at", "updated_at"), "updated_at", "id"),
    MEMBERSHIPS("memberships", List.of("group_id", "member_id"), List.of("role", "joined_at", "updated_at"), "updated_at",
            "member_id"),
    VENUES("venues", List.of("id"), List.of("name", "city", "country_code", "lat", "lon", "updated_at"), "updated_at",
            null),
    EVENTS("events", List.of("id"), List.of("group_id", "venue_id", "name", "starts_at", "timezone", "duration",
            "rsvp_limit", "status", "created_at", "updated_at"), "updated_at", null),
    RSVPS("rsvps", List.of("event_id", "member_id"), List.of("response", "guests", "responded_at"), "responded_at",
            "member_id");

    final String name;
    final List<String> keys;
    final List<String> columns;
    final String changedAt;
    final String memberColumn;
    final String upsert;
    final String delete;
    final String firstLoad;
    final String changedUpto;

    BronzeTable(String name, List<String> keys, List<String> columns, String changedAt, String memberColumn) {
        this.name = name;
        this.keys = keys;
        this.columns = columns;
        this.changedAt = changedAt;
        this.memberColumn = memberColumn;
        this.upsert = upsertSql();
        this.delete = deleteSql();
        this.firstLoad = firstLoadSql();
        this.changedUpto = "SELECT max(%s) FROM source.%s WHERE tenant = $1".formatted(changedAt, name);
    }

    // Every statement is one tenant's ($1): it reads that tenant's source rows only, by the tenant-leading indexes.

    // Copies rows changed after the watermark ($3, less the overlap) and records their keys for silver; $2 is the run.
    // A row whose copy is already identical is skipped, so the overlap loads nothing twice. Rows of erased members are
    // not copied.
    private String upsertSql() {
        String all = String.join(", ", concat(keys, columns));
        String erased = erasedFilter();
        String key = String.join(", ", keys);
        String set = columns.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        String mine = columns.stream().map(c -> "b." + c).collect(Collectors.joining(", "));
        String theirs = columns.stream().map(c -> "EXCLUDED." + c).collect(Collectors.joining(", "));
        return """
                WITH up AS (
                    INSERT INTO wh_bronze_%1$s AS b (tenant, %2$s, _run_id)
                    SELECT s.tenant, %2$s, $2 FROM source.%1$s s
                    WHERE s.tenant = $1 AND s.%3$s > coalesce($3::timestamptz, '-infinity')
                    %4$s
                    ON CONFLICT (tenant, %5$s) DO UPDATE SET %6$s, _run_id = EXCLUDED._run_id, _loaded_at = now()
                    WHERE (%7$s) IS DISTINCT FROM (%8$s)
                    RETURNING %5$s
                ), changed AS (
                    INSERT INTO wh_changed (table_name, op, key1, key2) SELECT '%1$s', 'U', %9$s FROM up
                )
                SELECT count(*), (SELECT max(%3$s) FROM source.%1$s WHERE tenant = $1) FROM up
                """.formatted(name, all, changedAt, erased, key, set, mine, theirs,
                keys.size() == 2 ? key : key + ", NULL::bigint");
    }

    // A first load (the tenant's layers are empty, no watermark of its has moved): every source row of the tenant but
    // those of erased members, by a plain INSERT: nothing can conflict and silver reads bronze whole, so no change list
    // is written. $2 is the run.
    private String firstLoadSql() {
        String all = String.join(", ", concat(keys, columns));
        return """
                INSERT INTO wh_bronze_%1$s (tenant, %2$s, _run_id)
                SELECT s.tenant, %2$s, $2 FROM source.%1$s s
                WHERE s.tenant = $1
                %3$s
                """.formatted(name, all, erasedFilter());
    }

    private String erasedFilter() {
        return memberColumn == null ? "" : """
                  AND (NOT EXISTS (SELECT 1 FROM wh_erased_member WHERE tenant = $1)
                       OR NOT EXISTS (SELECT 1 FROM wh_erased_member e
                                      WHERE e.tenant = $1
                                        AND e.member_hash = sha256(convert_to('member:' || s.%s, 'UTF8'))))
                """.formatted(memberColumn);
    }

    // Applies deletions logged after the watermark ($2, less the overlap); a key that exists again in the source was
    // re-inserted and stays.
    private String deleteSql() {
        String match = keys.size() == 2
                ? "b.%s = d.key1 AND b.%s = d.key2".formatted(keys.get(0), keys.get(1))
                : "b.%s = d.key1".formatted(keys.get(0));
        String back = keys.size() == 2
                ? "s.%s = d.key1 AND s.%s = d.key2".formatted(keys.get(0), keys.get(1))
                : "s.%s = d.key1".formatted(keys.get(0));
        return """
                WITH d AS (
                    SELECT key1, key2, max(deleted_at) AS deleted_at FROM source.deletions d
                    WHERE d.tenant = $1 AND table_name = '%1$s' AND deleted_at > coalesce($2::timestamptz, '-infinity')
                      AND NOT EXISTS (SELECT 1 FROM source.%1$s s WHERE s.tenant = $1 AND %3$s)
                    GROUP BY key1, key2
                ), gone AS (
                    DELETE FROM wh_bronze_%1$s b USING d WHERE b.tenant = $1 AND %2$s
                    RETURNING d.key1, d.key2, d.deleted_at
                ), changed AS (
                    INSERT INTO wh_changed (table_name, op, key1, key2, at) SELECT '%1$s', 'D', key1, key2, deleted_at FROM gone
                )
                SELECT count(*),
                       (SELECT max(deleted_at) FROM source.deletions WHERE tenant = $1 AND table_name = '%1$s')
                FROM gone
                """.formatted(name, match, back);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
