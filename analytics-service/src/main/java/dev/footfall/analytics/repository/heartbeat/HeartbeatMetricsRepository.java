package dev.footfall.analytics.repository.heartbeat;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.model.heartbeat.GroupBy;
import dev.footfall.analytics.model.heartbeat.MetricSummary;
import dev.footfall.common.db.TenantSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Reads of the curated heartbeats and their pre-aggregates: metric discovery and exact percentiles. */
@ApplicationScoped
public class HeartbeatMetricsRepository {

    /** One result row: a group, its heartbeats and numeric values, and one percentile (ordinal 1..) or none. */
    public record PercentileRow(String key, long heartbeats, long n, Integer ordinal, Double value) {
    }

    /** What the tenant's metric catalog holds of a project and a metric. */
    public record Known(boolean project, boolean metric) {
    }

    /**
     * The days and edges of a query: whole UTC days {@code [fullFrom, fullTo)} come from the pre-aggregates, the partial
     * days at either end ({@code [edgeFrom1, edgeTo1)}, {@code [edgeFrom2, edgeTo2)}) from the curated rows.
     */
    public record Span(LocalDate fullFrom, LocalDate fullTo, Instant edgeFrom1, Instant edgeTo1, Instant edgeFrom2,
            Instant edgeTo2) {
    }

    private static final String METRICS = """
            SELECT k.metric, coalesce(sum(d.n), 0) AS n,
                   min(d.day) FILTER (WHERE d.n > 0) AS first_day, max(d.day) FILTER (WHERE d.n > 0) AS last_day
            FROM hb_metric_catalog k
            LEFT JOIN hb_metric_day d ON d.tenant = k.tenant AND d.project_id = k.project_id AND d.metric = k.metric
            WHERE k.tenant = $1 AND k.project_id = $2
            GROUP BY k.metric ORDER BY k.metric
            """;

    private static final String CATALOG_HOLDS = """
            SELECT EXISTS (SELECT 1 FROM hb_metric_catalog WHERE tenant = $1 AND project_id = $2),
                   EXISTS (SELECT 1 FROM hb_metric_catalog WHERE tenant = $1 AND project_id = $2 AND metric = $3)
            """;

    // The group of a row, by $4: version string, cohort name, UTC day, or one group. Unknown version or cohort is ''.
    private static final String KEY = """
            CASE $4 WHEN 'software_version' THEN coalesce(%1$s.software_version, '')
                    WHEN 'cohort' THEN coalesce(%1$s.cohort_name, '')
                    WHEN 'day' THEN %2$s::text
                    ELSE 'all' END""";
    private static final String FILTERS = """
            ($11::text IS NULL OR %1$s.software_version = $11)
            AND ($12::text IS NULL OR lower(%1$s.cohort_name) = lower($12))""";

    // Exact percentile_cont in two steps. First the bucket histograms (V53) of the whole days' cells and the buckets of
    // the edge rows' values are summed per group; the running counts over the buckets tell which bucket holds each
    // wanted rank r (floor and ceil of p * (n - 1), 0-based) and its rank within that bucket. Then only those buckets
    // are merged: each cell's slice of vals/cnts for the bucket (its runs are contiguous, as buckets follow the value
    // order) and the edge values in it; the running counts within the bucket give the values at the ranks, and the
    // result interpolates between them. Groups whose heartbeats have no numeric value still appear (n = 0).
    private static final String PERCENTILES = """
            WITH cells AS (
                SELECT %s AS key, d.vals, d.cnts, d.bkeys, d.bends, d.bcnts
                FROM hb_metric_day d
                WHERE d.tenant = $1 AND d.project_id = $2 AND d.metric = $3 AND d.day >= $5 AND d.day < $6 AND %s
            ), metric AS (
                SELECT ordinal FROM hb_metric_catalog WHERE tenant = $1 AND project_id = $2 AND metric = $3
            ), edge AS (
                SELECT %s AS key, h.metric_values[(SELECT ordinal FROM metric)] AS v
                FROM hb_heartbeat h
                WHERE h.tenant = $1 AND h.project_id = $2
                  AND ((h.captured_date >= $7 AND h.captured_date < $8)
                       OR (h.captured_date >= $9 AND h.captured_date < $10))
                  AND %s
            ), edge_values AS (
                SELECT key, v, hb_value_bucket(v) AS b FROM edge WHERE v IS NOT NULL
            ), buckets AS (
                SELECT key, b, sum(c)::bigint AS c FROM (
                    SELECT cells.key, u.b, u.c FROM cells CROSS JOIN LATERAL unnest(cells.bkeys, cells.bcnts) AS u(b, c)
                    UNION ALL
                    SELECT key, b, 1 FROM edge_values
                ) x
                GROUP BY key, b
            ), bucket_cum AS (
                SELECT key, b, c, (sum(c) OVER (PARTITION BY key ORDER BY b))::bigint AS upto FROM buckets
            ), total AS (
                SELECT key, sum(c)::bigint AS n FROM buckets GROUP BY key
            ), want AS (
                SELECT t.key, p.ord, floor(p.p * (t.n - 1))::bigint AS lo_rank, ceil(p.p * (t.n - 1))::bigint AS hi_rank,
                       p.p * (t.n - 1) - floor(p.p * (t.n - 1)) AS frac
                FROM total t CROSS JOIN unnest($13::float8[]) WITH ORDINALITY AS p(p, ord)
            ), located AS (
                SELECT w.key, w.ord, r.hi, bc.b, r.rank - (bc.upto - bc.c) AS rank_in_bucket
                FROM want w
                CROSS JOIN LATERAL (VALUES (false, w.lo_rank), (true, w.hi_rank)) AS r(hi, rank)
                JOIN bucket_cum bc ON bc.key = w.key AND bc.upto - bc.c <= r.rank AND r.rank < bc.upto
            ), needed AS (
                SELECT DISTINCT key, b FROM located
            ), bucket_values AS (
                SELECT n.key, n.b, u.v, u.c
                FROM needed n
                JOIN cells ON cells.key = n.key
                CROSS JOIN LATERAL (SELECT array_position(cells.bkeys, n.b) AS i) p
                CROSS JOIN LATERAL unnest(cells.vals[coalesce(cells.bends[p.i - 1], 0) + 1 : cells.bends[p.i]],
                                          cells.cnts[coalesce(cells.bends[p.i - 1], 0) + 1 : cells.bends[p.i]])
                                   AS u(v, c)
                WHERE p.i IS NOT NULL
                UNION ALL
                SELECT e.key, e.b, e.v, 1 FROM edge_values e JOIN needed n ON n.key = e.key AND n.b = e.b
            ), value_cum AS (
                -- The same value may come from several cells: each row covers the ranks [upto - c, upto).
                SELECT key, b, v, c,
                       (sum(c) OVER (PARTITION BY key, b ORDER BY v ROWS UNBOUNDED PRECEDING))::bigint AS upto
                FROM bucket_values
            ), pick AS (
                SELECT w.key, w.ord, w.frac,
                       max(vc.v) FILTER (WHERE NOT l.hi) AS lo, max(vc.v) FILTER (WHERE l.hi) AS hi
                FROM want w
                JOIN located l ON l.key = w.key AND l.ord = w.ord
                JOIN value_cum vc ON vc.key = l.key AND vc.b = l.b
                                 AND vc.upto - vc.c <= l.rank_in_bucket AND l.rank_in_bucket < vc.upto
                GROUP BY w.key, w.ord, w.frac
            ), heartbeats AS (
                SELECT key, sum(n)::bigint AS heartbeats FROM (
                    SELECT %s AS key, x.heartbeats AS n
                    FROM hb_cell_day x
                    WHERE x.tenant = $1 AND x.project_id = $2 AND x.day >= $5 AND x.day < $6 AND %s
                    UNION ALL
                    SELECT edge.key, 1 FROM edge
                ) y
                GROUP BY key
            )
            SELECT hb.key, hb.heartbeats, coalesce(t.n, 0) AS n, pk.ord::int AS ord,
                   pk.lo + pk.frac * (pk.hi - pk.lo) AS value
            FROM heartbeats hb
            LEFT JOIN total t ON t.key = hb.key
            LEFT JOIN pick pk ON pk.key = hb.key
            ORDER BY hb.key, pk.ord
            """.formatted(
                    KEY.formatted("d", "d.day"), FILTERS.formatted("d"),
                    KEY.formatted("h", "(h.captured_date AT TIME ZONE 'UTC')::date"), FILTERS.formatted("h"),
                    KEY.formatted("x", "x.day"), FILTERS.formatted("x"));

    private final TenantSql tenantSql;
    private final String queryWorkMem;

    HeartbeatMetricsRepository(TenantSql tenantSql, AnalyticsConfig config) {
        this.tenantSql = tenantSql;
        this.queryWorkMem = config.heartbeat().queryWorkMem();
    }

    public Uni<List<MetricSummary>> metrics(String tenant, long projectId) {
        return tenantSql.query(tenant, METRICS, Tuple.of(tenant, projectId)).map(rows -> {
            List<MetricSummary> metrics = new ArrayList<>(rows.size());
            rows.forEach(r -> metrics.add(new MetricSummary(r.getString("metric"), r.getLong("n"),
                    r.getLocalDate("first_day"), r.getLocalDate("last_day"))));
            return metrics;
        });
    }

    /** Whether the tenant's project has heartbeat metrics at all, and this one. */
    public Uni<Known> known(String tenant, long projectId, String metric) {
        return tenantSql.query(tenant, CATALOG_HOLDS, Tuple.of(tenant, projectId, metric)).map(rows -> {
            Row r = rows.iterator().next();
            return new Known(r.getBoolean(0), r.getBoolean(1));
        });
    }

    /** @param fractions the percentiles as fractions in (0, 1), in the order of the result ordinals */
    public Uni<List<PercentileRow>> percentiles(String tenant, long projectId, String metric, GroupBy groupBy,
            Span span, String softwareVersion, String cohort, Double[] fractions) {
        Tuple t = Tuple.tuple().addString(tenant).addLong(projectId).addString(metric).addString(groupBy.wireName())
                .addLocalDate(span.fullFrom()).addLocalDate(span.fullTo())
                .addValue(utc(span.edgeFrom1())).addValue(utc(span.edgeTo1()))
                .addValue(utc(span.edgeFrom2())).addValue(utc(span.edgeTo2()))
                .addString(softwareVersion).addString(cohort).addArrayOfDouble(fractions);
        // The bucket merge sorts in memory with more than the default work_mem (it spilled to disk at 90 days).
        return tenantSql.transaction(tenant, tx -> tx.preparedQuery("SELECT set_config('work_mem', $1, true)")
                .execute(Tuple.of(queryWorkMem)).chain(() -> tx.preparedQuery(PERCENTILES).execute(t))).map(rows -> {
            List<PercentileRow> result = new ArrayList<>(rows.size());
            for (Row r : rows) {
                result.add(new PercentileRow(r.getString("key"), r.getLong("heartbeats"), r.getLong("n"),
                        r.getInteger("ord"), r.getDouble("value")));
            }
            return result;
        });
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
