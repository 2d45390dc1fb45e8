package dev.footfall.analytics.heartbeat;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.footfall.analytics.heartbeat.HeartbeatSample.Heartbeat;
import dev.footfall.common.db.TenantSql;
import dev.footfall.common.security.Tenant;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Percentiles of the public sample against an independent computation (sorted values, linear interpolation). */
@QuarkusTest
class SamplePercentileTest {

    private static final double[] PERCENTS = {1, 25, 50, 90, 99, 99.9};
    private static final String P = "1,25,50,90,99,99.9";

    @Inject
    Pool pool;

    @Inject
    TenantSql tenantSql;

    @BeforeEach
    void load() {
        HeartbeatSample.ensureLoaded();
    }

    @Test
    void metricsOfTheSampleAreDiscovered() {
        JsonPath body = given().auth().oauth2(Tokens.reader()).get("/v1/projects/367/metrics").then().statusCode(200)
                .extract().jsonPath();
        List<String> names = body.getList("metrics.name");
        assertEquals(12, names.size(), names.toString());
        assertTrue(names.contains("battery_perc_delta"));
        Map<String, Object> delta = body.getMap("metrics.find { it.name == 'battery_perc_delta' }");
        assertEquals(4282, ((Number) delta.get("values")).intValue());
        assertEquals("2021-05-28", delta.get("first_day"));
        assertEquals("2021-06-14", delta.get("last_day"));
    }

    @Test
    void wholeRangeWithoutGroupingMatchesReference() {
        check("battery_perc_delta", "2021-05-01", "2021-07-01", "none", null, null, h -> "all", h -> true);
        check("cpu_active_ms", "2021-05-01", "2021-07-01", "none", null, null, h -> "all", h -> true);
    }

    @Test
    void groupedBySoftwareVersionStringMatchesReference() {
        // Several version ids carry the same string; they form one group.
        check("battery_perc_delta", "2021-06-01", "2021-06-15", "software_version", null, null,
                Heartbeat::version, h -> true);
    }

    @Test
    void groupedByCohortMatchesReference() {
        check("battery_perc", "2021-05-28", "2021-06-14", "cohort", null, null, Heartbeat::cohort, h -> true);
    }

    @Test
    void groupedByDayWithPartialDaysAtBothEndsMatchesReference() {
        // Timestamps that cut days in the middle: the ends come from the curated rows, whole days from pre-aggregates.
        check("mem_heap_remaining_bytes", "2021-06-03T10:30:00Z", "2021-06-09 17:45:00+00", "day", null, null,
                h -> LocalDate.ofInstant(h.captured(), ZoneOffset.UTC).toString(), h -> true);
        check("battery_perc_delta", "2021-06-05T06:00:00Z", "2021-06-05T18:00:00Z", "none", null, null,
                h -> "all", h -> true);
    }

    @Test
    void filtersByCohortAndVersionMatchReference() {
        check("battery_perc_delta", "2021-05-01", "2021-07-01", "software_version", null, "production",
                Heartbeat::version, h -> "Production".equals(h.cohort()));
        check("battery_perc_delta", "2021-05-01", "2021-07-01", "cohort", "1.0.1", null,
                Heartbeat::cohort, h -> "1.0.1".equals(h.version()));
    }

    @Test
    void percentilesEqualPostgresPercentileContOverCuratedRows() {
        JsonPath body = query("flash_bytes_read", "2021-06-01", "2021-06-08", "none", null, null);
        List<Double> expected = new ArrayList<>();
        tenantSql.query(Tenant.DEFAULT, """
                SELECT unnest(percentile_cont(ARRAY[0.01, 0.25, 0.5, 0.9, 0.99, 0.999])
                       WITHIN GROUP (ORDER BY (e.event_info -> 'metrics' ->> 'flash_bytes_read')::float8))
                FROM hb_heartbeat h JOIN hb_stg_event e ON e.tenant = h.tenant AND e.id = h.event_id
                WHERE h.tenant = 'default' AND h.project_id = 367
                  AND h.captured_date >= '2021-06-01 00:00+00' AND h.captured_date < '2021-06-08 00:00+00'
                """, Tuple.tuple()).await().indefinitely().forEach(r -> expected.add(r.getDouble(0)));
        Map<String, Float> actual = body.getMap("groups[0].percentiles");
        String[] labels = {"p1", "p25", "p50", "p90", "p99", "p99.9"};
        for (int i = 0; i < labels.length; i++) {
            assertEquals(expected.get(i), body.getDouble("groups[0].percentiles.'" + labels[i] + "'"), 1e-6, labels[i]);
        }
        assertEquals(6, actual.size());
    }

    @Test
    void partitionsExistForEveryLoadedDay() {
        List<String> partitions = new ArrayList<>();
        pool.query("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'hb_heartbeat'::regclass ORDER BY 1
                """).execute().await().indefinitely().forEach(r -> partitions.add(r.getString(0)));
        for (LocalDate d = LocalDate.parse("2021-05-28"); !d.isAfter(LocalDate.parse("2021-06-14")); d = d.plusDays(1)) {
            assertTrue(partitions.contains("hb_heartbeat_p" + d.toString().replace("-", "")), d + " in " + partitions);
        }
        // Created ahead: today and the next 7 days.
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertTrue(partitions.contains("hb_heartbeat_p" + today.plusDays(7).toString().replace("-", "")));
        long rows = tenantSql.query(Tenant.DEFAULT, "SELECT count(*) FROM hb_heartbeat WHERE tenant = 'default'"
                + " AND project_id = 367", Tuple.tuple()).await().indefinitely().iterator().next().getLong(0);
        assertEquals(4282, rows);
    }

    private JsonPath query(String metric, String from, String to, String groupBy, String version, String cohort) {
        var request = given().auth().oauth2(Tokens.reader()).queryParam("p", P).queryParam("from", from)
                .queryParam("to", to).queryParam("group_by", groupBy);
        if (version != null) {
            request.queryParam("software_version", version);
        }
        if (cohort != null) {
            request.queryParam("cohort", cohort);
        }
        return request.get("/v1/projects/367/metrics/" + metric + "/percentiles").then().statusCode(200)
                .extract().jsonPath().using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private void check(String metric, String from, String to, String groupBy, String version, String cohort,
            Function<Heartbeat, String> key, Predicate<Heartbeat> filter) {
        Instant start = instant(from);
        Instant end = instant(to);
        TreeMap<String, List<Double>> expected = new TreeMap<>();
        for (Heartbeat h : HeartbeatSample.heartbeats()) {
            if (!h.captured().isBefore(start) && h.captured().isBefore(end) && filter.test(h)) {
                JsonNode v = h.metrics().get(metric);
                List<Double> values = expected.computeIfAbsent(Objects.requireNonNull(key.apply(h)), k -> new ArrayList<>());
                if (v != null && v.isNumber()) {
                    values.add(v.asDouble());
                }
            }
        }
        assertTrue(!expected.isEmpty(), "the reference selects some heartbeats");
        JsonPath body = query(metric, from, to, groupBy, version, cohort);
        List<Map<String, Object>> groups = body.getList("groups");
        assertEquals(expected.keySet().stream().toList(), groups.stream().map(g -> (String) g.get("key")).toList());
        for (int g = 0; g < groups.size(); g++) {
            List<Double> values = expected.get((String) groups.get(g).get("key"));
            values.sort(Double::compare);
            assertEquals(values.size(), ((Number) groups.get(g).get("n")).intValue(), "n of " + groups.get(g));
            for (double p : PERCENTS) {
                String label = "p" + (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p));
                Double actual = body.getDouble("groups[" + g + "].percentiles.'" + label + "'");
                assertNotNull(actual, label + " of " + groups.get(g));
                assertEquals(reference(values, p / 100), actual, 1e-9 * Math.max(1, Math.abs(actual)),
                        metric + " " + label + " of " + groups.get(g).get("key"));
            }
        }
        assertNull(body.get("groups.find { it.key == null }"));
    }

    /** percentile_cont: rank r = p (n - 1) in the sorted values, linear interpolation between floor(r) and ceil(r). */
    static double reference(List<Double> sorted, double p) {
        double r = p * (sorted.size() - 1);
        int lo = (int) Math.floor(r);
        int hi = (int) Math.ceil(r);
        return sorted.get(lo) + (r - lo) * (sorted.get(hi) - sorted.get(lo));
    }

    private static Instant instant(String text) {
        return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                : dev.footfall.common.time.Timestamps.parse(text);
    }
}
