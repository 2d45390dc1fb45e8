package dev.footfall.analytics.heartbeat;

import static dev.footfall.analytics.heartbeat.HeartbeatApi.curate;
import static dev.footfall.analytics.heartbeat.HeartbeatApi.heartbeat;
import static dev.footfall.analytics.heartbeat.HeartbeatApi.stage;
import static dev.footfall.analytics.heartbeat.HeartbeatSample.object;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.footfall.common.db.TenantSql;
import dev.footfall.common.security.Tenant;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A metric with thousands of distinct values per day (many per value bucket, negative values, zeros, duplicates): the
 * percentiles read through the bucket histograms equal PostgreSQL's percentile_cont over the curated rows.
 */
@QuarkusTest
class HighCardinalityPercentileTest {

    private static final long PROJECT = 9101;
    private static final Instant DAY0 = Instant.parse("2024-04-01T00:00:00Z");
    private static final Double[] FRACTIONS = {0.001, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 0.9999};
    private static final String P = "0.1,1,25,50,90,99,99.9,99.99";
    private static final String[] LABELS = {"p0.1", "p1", "p25", "p50", "p90", "p99", "p99.9", "p99.99"};
    private static boolean staged;

    @Inject
    TenantSql tenantSql;

    @BeforeEach
    void stageOnce() {
        if (staged) {
            return;
        }
        stage("software_versions", object("id", 91011, "project_id", PROJECT, "version", "9.0.0"),
                object("id", 91012, "project_id", PROJECT, "version", "9.1.0"));
        SplittableRandom random = new SplittableRandom(42);
        List<ObjectNode> batch = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            Instant captured = DAY0.plus(Duration.ofSeconds(i * 3L * 86_400 / 6000));
            double value = switch (i % 10) {
                case 0 -> 0;
                case 1 -> -random.nextInt(5000);
                case 2 -> random.nextInt(20) * 0.25;
                case 3 -> random.nextDouble() * 1e9;
                default -> 30_000 + random.nextInt(25_000);
            };
            batch.add(heartbeat(9_101_000 + i, PROJECT, captured, captured, 91011L + i % 2, 91011 + i % 7,
                    object("cpu_ms", value)));
            if (batch.size() == 1000) {
                stage("events", batch.toArray(ObjectNode[]::new));
                batch.clear();
            }
        }
        curate();
        staged = true;
    }

    @Test
    void bucketsHoldManyValuesOfACell() {
        long cells = tenantSql.query(Tenant.DEFAULT, "SELECT count(*) FROM hb_metric_day WHERE tenant = 'default'"
                + " AND project_id = 9101 AND metric = 'cpu_ms' AND cardinality(vals) > 3 * cardinality(bkeys)",
                Tuple.tuple()).await().indefinitely().iterator().next().getLong(0);
        assertTrue(cells > 0, "the query has to narrow buckets down, not just read single values");
    }

    @Test
    void wholeDaysByVersionEqualPercentileCont() {
        check("2024-04-01T00:00:00Z", "2024-04-04T00:00:00Z", "software_version");
    }

    @Test
    void partialDaysAtBothEndsWithoutGroupingEqualPercentileCont() {
        check("2024-04-01T07:13:00Z", "2024-04-03T19:02:00Z", "none");
    }

    @Test
    void oneDayByDayEqualsPercentileCont() {
        check("2024-04-02T00:00:00Z", "2024-04-03T00:00:00Z", "day");
    }

    private void check(String from, String to, String groupBy) {
        JsonPath body = given().auth().oauth2(Tokens.reader()).queryParam("p", P).queryParam("from", from)
                .queryParam("to", to).queryParam("group_by", groupBy)
                .get("/v1/projects/" + PROJECT + "/metrics/cpu_ms/percentiles").then().statusCode(200)
                .extract().jsonPath().using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        Map<String, double[]> expected = expected(from, to, groupBy);
        List<Map<String, Object>> groups = body.getList("groups");
        assertEquals(List.copyOf(expected.keySet()), groups.stream().map(g -> (String) g.get("key")).toList());
        for (int g = 0; g < groups.size(); g++) {
            double[] reference = expected.get((String) groups.get(g).get("key"));
            for (int i = 0; i < LABELS.length; i++) {
                Double actual = body.getDouble("groups[" + g + "].percentiles.'" + LABELS[i] + "'");
                assertNotNull(actual, LABELS[i]);
                assertEquals(reference[i], actual, 1e-9 * Math.max(1, Math.abs(reference[i])),
                        LABELS[i] + " of " + groups.get(g).get("key"));
            }
        }
    }

    /** percentile_cont per group over the curated rows themselves, not the pre-aggregates. */
    private Map<String, double[]> expected(String from, String to, String groupBy) {
        Map<String, double[]> result = new TreeMap<>();
        String key = switch (groupBy) {
            case "software_version" -> "h.software_version";
            case "day" -> "((h.captured_date AT TIME ZONE 'UTC')::date)::text";
            default -> "'all'";
        };
        tenantSql.query(Tenant.DEFAULT, """
                SELECT %s AS key, percentile_cont($3::float8[]) WITHIN GROUP (ORDER BY h.metric_values[k.ordinal])
                FROM hb_heartbeat h
                JOIN hb_metric_catalog k ON k.tenant = h.tenant AND k.project_id = h.project_id AND k.metric = 'cpu_ms'
                WHERE h.tenant = 'default' AND h.project_id = 9101 AND h.captured_date >= $1 AND h.captured_date < $2
                GROUP BY 1
                """.formatted(key), Tuple.of(Instant.parse(from).atOffset(ZoneOffset.UTC),
                        Instant.parse(to).atOffset(ZoneOffset.UTC), FRACTIONS))
                .await().indefinitely().forEach((Row r) -> {
                    Double[] values = r.getArrayOfDoubles(1);
                    double[] plain = new double[values.length];
                    for (int i = 0; i < values.length; i++) {
                        plain[i] = values[i];
                    }
                    result.put(r.getString(0), plain);
                });
        return result;
    }
}
